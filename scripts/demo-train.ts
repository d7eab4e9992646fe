import 'reflect-metadata';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { trainDemoModel } from './demo-training';
import { TesseraClient } from './tessera-client';

const HELP = `Usage: npm run demo:train -- [options]

Trains the demo driver_risk model against a running Tessera and registers it (scripts/demo-training.ts):
applies contracts/, ingests seeded rows (and one row per driver for the current hour and day), builds and
saves the point-in-time training set of driver_risk_v1, fits a logistic regression, registers the ONNX
model through the contracts apply. Idempotent: a re-run stores nothing twice and registers "unchanged".
Writes nothing into the working tree unless --out is given.

Options:
  --version <semver>  model version to register (default: 1.0.0); e.g. 1.1.0 for a challenger
  --epochs <n>        gradient descent epochs (default: 500)
  --no-register       fit and report only, register nothing
  --out <dir>         also write the .onnx file and its Model document into <dir>
                      (contracts/risk/models to commit a new demo model)
  -h, --help          this help

Environment: TESSERA_URL (default http://127.0.0.1:3000), TESSERA_API_KEY (else TESSERA_ADMIN_KEY).`;

function options(): { version: string; epochs: number; register: boolean; outDir?: string } | null {
  const { values } = parseArgs({
    options: {
      version: { type: 'string', default: '1.0.0' },
      epochs: { type: 'string', default: '500' },
      'no-register': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return null;
  const epochs = Number(values.epochs);
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs: expected a positive integer, got "${values.epochs}"`);
  if (!/^\d+\.\d+\.\d+$/.test(values.version)) throw new Error(`--version: expected a semantic version like 1.1.0, got "${values.version}"`);
  return { version: values.version, epochs, register: !values['no-register'], outDir: values.out === undefined ? undefined : resolve(values.out) };
}

async function main(): Promise<void> {
  let o;
  try {
    o = options();
  } catch (err) {
    console.error(`demo:train: ${(err as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (o === null) return console.log(HELP);
  await trainDemoModel(TesseraClient.fromEnv(), { ...o, root: process.cwd() }, (line) => console.log(line));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
