#!/usr/bin/env node
import { Command } from 'commander';
import { runApplyCommand } from './apply-command';

const program = new Command();
program.name('tessera').description('Tessera command line: contracts as code for the data mesh');

program
  .command('apply')
  .description('apply every ODPS, ODCS and tessera/v1 YAML file under <dir> as one transaction')
  .argument('<dir>', 'directory of contracts, e.g. contracts/')
  .option('--dry-run', 'validate and report what would change, store nothing', false)
  .option('--url <url>', 'Tessera base URL (default: $TESSERA_URL or http://localhost:3000)', process.env.TESSERA_URL ?? 'http://localhost:3000')
  .option('--key <key>', 'API key (default: $TESSERA_API_KEY or $TESSERA_ADMIN_KEY)')
  .option('--json', 'print the raw JSON answer', false)
  .action(async (dir: string, opts: { dryRun: boolean; url: string; key?: string; json: boolean }) => {
    const key = opts.key ?? process.env.TESSERA_API_KEY ?? process.env.TESSERA_ADMIN_KEY;
    const result = await runApplyCommand({ dir, url: opts.url, key, dryRun: opts.dryRun, json: opts.json });
    if (result.stdout) console.log(result.stdout);
    if (result.stderr) console.error(result.stderr);
    process.exitCode = result.exitCode;
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`tessera: ${(err as Error).message}`);
  process.exitCode = 2;
});
