import { Command, Option } from 'commander';
import { runApplyCommand } from './apply-command';

export const DEFAULT_URL = 'http://127.0.0.1:3000';

const ENVIRONMENT_HELP = `
Environment:
  TESSERA_URL      base URL of the service (default ${DEFAULT_URL})
  TESSERA_API_KEY  API key sent as Authorization: Bearer (else TESSERA_ADMIN_KEY)`;

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
  return program;
}
