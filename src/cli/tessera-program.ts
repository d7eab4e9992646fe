import { Command, Option } from 'commander';
import { runApplyCommand } from './apply-command';
import { workerEnvironment } from './worker-command';

export const DEFAULT_URL = 'http://127.0.0.1:3000';

const ENVIRONMENT_HELP = `
Environment:
  TESSERA_URL      base URL of the service (default ${DEFAULT_URL})
  TESSERA_API_KEY  API key sent as Authorization: Bearer (else TESSERA_ADMIN_KEY)
  NATS_URL         broker of model-on-demand requests (tessera worker; the service's other variables apply too)`;

/**
 * The `tessera` command line. Options that the environment can give name their variable in the help
 * (commander's Option.env), so the help shows each default once and `--url`/`--key` win over it.
 */
export function buildProgram(env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command();
  program.name('tessera').description('Tessera command line: contracts as code for the data mesh').addHelpText('after', ENVIRONMENT_HELP);

  program
    .command('apply')
    .description('apply every ODPS, ODCS and tessera/v1 YAML file under <dir> as one transaction')
    .argument('<dir>', 'directory of contracts, e.g. contracts/')
    .option('--dry-run', 'validate and report what would change, store nothing')
    .addOption(new Option('--url <url>', 'Tessera base URL').env('TESSERA_URL').default(DEFAULT_URL))
    .addOption(new Option('--key <key>', 'API key (else $TESSERA_ADMIN_KEY)').env('TESSERA_API_KEY'))
    .option('--json', 'print the raw JSON answer')
    .action(async (dir: string, opts: { dryRun?: boolean; url: string; key?: string; json?: boolean }) => {
      const key = opts.key ?? env.TESSERA_ADMIN_KEY;
      const result = await runApplyCommand({ dir, url: opts.url, key, dryRun: opts.dryRun === true, json: opts.json === true });
      if (result.stdout) console.log(result.stdout);
      if (result.stderr) console.error(result.stderr);
      process.exitCode = result.exitCode;
    });

  program
    .command('worker')
    .description('score model-on-demand requests of the given models from NATS (tessera.predict.<model>), apart from the API')
    .requiredOption('--models <names>', 'comma-separated model names, e.g. risk_model,churn')
    .addOption(new Option('--port <port>', 'port of /health, /ready and /metrics').env('PORT').default('3001'))
    .action((opts: { models: string; port: string }) => {
      const problem = workerEnvironment(opts, env);
      if (problem) {
        console.error(`tessera worker: ${problem}`);
        process.exitCode = 2;
        return;
      }
      // The service itself, in this process, configured by the environment just set. Loaded only
      // now (require, not a top-level import): the other commands stay a light HTTP client.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('../main');
    });
  return program;
}
