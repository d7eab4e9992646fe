import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runApplyCommand } from '../../src/cli/apply-command';
import { shopFiles } from '../fixtures/shop-mesh';
import { startTestApp, TestApp } from '../support/test-app';

describe('tessera apply <dir> (CLI)', () => {
  let t: TestApp;
  let url: string;
  let dir: string;
  const key = 'cli-admin-key-0123456789';
  beforeAll(async () => {
    t = await startTestApp({ TESSERA_ADMIN_KEY: key });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = await t.app.getUrl();
    dir = join(mkdtempSync(join(tmpdir(), 'tessera-cli-')), 'contracts');
    for (const f of shopFiles()) {
      const target = join(dir, '..', f.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, f.content);
    }
  });
  afterAll(() => t.close());

  it('dry-runs, applies, then reports nothing to do', async () => {
    const dry = await runApplyCommand({ dir, url, key, dryRun: true, json: false });
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toMatch(/would create 3, would update 0, unchanged 0 \(dry run: nothing stored\)/);
    const first = await runApplyCommand({ dir, url, key, dryRun: false, json: false });
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(/^created\s+DataContract shop-orders-v1@1\.0\.0 {2}\(contracts\/shop\/shop-orders\/orders\.odcs\.yaml\)$/m);
    expect(first.stdout).toMatch(/warning\s+contracts\/shop\/shop-revenue\.odps\.yaml outputPorts\[0\]\.contractId: contract shop-revenue-daily-v1 is not in the catalog yet/);
    const again = await runApplyCommand({ dir, url, key, dryRun: false, json: false });
    expect(again.stdout).toMatch(/nothing changed: 3 document\(s\) already up to date/);
  });

  it('exits 1 with every error when the server rejects the files', async () => {
    writeFileSync(join(dir, 'shop', 'broken.odps.yaml'), 'apiVersion: v1.0.0\nkind: DataProduct\nid: b\nstatus: shipped\n');
    const res = await runApplyCommand({ dir, url, key, dryRun: false, json: false });
    expect(res.exitCode).toBe(1);
    expect(res.stdout).toMatch(/error\s+contracts\/shop\/broken\.odps\.yaml status: /);
    expect(res.stdout).toMatch(/nothing was stored/);
  });

  it('exits 1 on a wrong key and 2 when the server or the directory cannot be reached', async () => {
    const wrongKey = await runApplyCommand({ dir, url, key: 'nope', dryRun: true, json: false });
    expect(wrongKey).toMatchObject({ exitCode: 1, stderr: 'tessera: 401 UNAUTHENTICATED: invalid API key' });
    const noServer = await runApplyCommand({ dir, url: 'http://127.0.0.1:1', key, dryRun: true, json: false });
    expect(noServer.exitCode).toBe(2);
    expect(noServer.stderr).toMatch(/cannot reach/);
    const noDir = await runApplyCommand({ dir: join(dir, 'missing'), url, key, dryRun: true, json: false });
    expect(noDir.exitCode).toBe(2);
    expect(noDir.stderr).toMatch(/cannot read/);
  });
});
