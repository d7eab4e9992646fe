import '../support/scoring-ort-realm';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainDemoModel } from '../../scripts/demo-training';
import { TesseraClient } from '../../scripts/tessera-client';
import { buildProgram } from '../../src/cli/tessera-program';
import { startTestApp, TestApp } from '../support/test-app';

/** `npm run demo:train`: idempotent, writes nothing into the working tree unless asked, has a help. */
describe('demo:train and the CLI (issue 17 point 2)', () => {
  let t: TestApp;
  let client: TesseraClient;
  const models = 'contracts/risk/models';
  const listing = () => readdirSync(models).sort();

  beforeAll(async () => {
    t = await startTestApp({ TESSERA_REDIS_PREFIX: 't:demo-train:', TESSERA_ONLINE_STORE: 'postgres' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    client = new TesseraClient(`http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`, t.adminKey);
  });
  afterAll(() => t?.close());

  it('a second run stores nothing twice and registers the same model; no file is written unless --out', async () => {
    const before = listing();
    const first: string[] = [];
    const a = await trainDemoModel(client, { version: '1.0.0', epochs: 500, register: true, root: process.cwd() }, (l) => first.push(l));
    const second: string[] = [];
    const b = await trainDemoModel(client, { version: '1.0.0', epochs: 500, register: true, root: process.cwd() }, (l) => second.push(l));
    expect(first.join('\n')).toMatch(/ingested current payments-driver-activity\/daily: 400 rows, 400 new, 0 already there/);
    expect(second.join('\n')).toMatch(/ingested current rides-driver-stats\/hourly: 400 rows, 0 new, 400 already there/);
    expect(second.join('\n')).toMatch(/ingested current payments-driver-activity\/daily: 400 rows, 0 new, 400 already there/);
    expect(second.join('\n')).toMatch(/training dataset driver_risk_v1_demo@1 already holds these 3080 rows/);
    // The mesh apply leaves contracts/risk/models out: the first run registers, the second finds it unchanged.
    expect([a.registration, b.registration]).toEqual(['created', 'unchanged']);
    // Deterministic: the committed demo model is these very bytes.
    expect(b.onnxSha256).toBe(a.onnxSha256);
    expect(a.onnxSha256).toBe(
      createHash('sha256')
        .update(readFileSync(join(models, 'driver_risk-1.0.0.onnx')))
        .digest('hex'),
    );
    expect(listing()).toEqual(before);

    const out = mkdtempSync(join(tmpdir(), 'tessera-demo-out-'));
    try {
      await trainDemoModel(client, { version: '1.2.0', epochs: 30, register: false, root: process.cwd(), outDir: out }, () => undefined);
      expect(readdirSync(out).sort()).toEqual(['driver_risk-1.2.0.onnx', 'driver_risk-1.2.0.yaml']);
      expect(readFileSync(join(out, 'driver_risk-1.2.0.yaml'), 'utf8')).toMatch(/^version: 1\.2\.0$/m);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    expect(listing()).toEqual(before);
  }, 120_000);

  it('npm run demo:train -- --help prints the options; an unknown option exits 2 naming it', () => {
    const run = (args: string[]) => spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/demo-train.ts', ...args], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    const help = run(['--help']);
    expect(help.status).toBe(0);
    for (const option of ['--version <semver>', '--epochs <n>', '--no-register', '--out <dir>', 'TESSERA_URL', 'TESSERA_API_KEY']) expect(help.stdout).toContain(option);
    const bad = run(['--bogus']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Unknown option '--bogus'/);
  }, 60_000);

  it('tessera apply --help names each default once, and the environment variables', () => {
    const apply = buildProgram().commands.find((c) => c.name() === 'apply')!;
    const help = apply.helpInformation();
    expect(help.match(/127\.0\.0\.1:3000/g)).toHaveLength(1);
    expect(help).toMatch(/env:\s+TESSERA_URL/);
    expect(help).toMatch(/env: TESSERA_API_KEY/);
  });
});
