import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceProcess, startServiceProcess, stopProcess } from '../support/local-processes';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/** Start-up says what it applied, or that it applied nothing and why (issue 17: the compose set-up was silent). */
describe('start-up apply is logged either way', () => {
  let db: TestDatabase;
  let child: ServiceProcess | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-startup-'));
  const env = () => ({ DATABASE_URL: db.url, TESSERA_DATA_DIR: dataDir, TESSERA_ONLINE_STORE: 'postgres', REDIS_URL: undefined });

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    if (child) await stopProcess(child.proc);
    child = undefined;
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('with DATABASE_URL and no TESSERA_APPLY_ON_START: applies nothing and says why', async () => {
    child = await startServiceProcess({ ...env(), TESSERA_APPLY_ON_START: undefined });
    expect(child.output()).toMatch(/"msg":"applied nothing at start-up: DATABASE_URL is set and TESSERA_APPLY_ON_START is unset/);
    expect(child.output()).not.toMatch(/applied contracts:/);
  }, 120_000);

  it('with TESSERA_APPLY_ON_START=contracts: says what it applied', async () => {
    child = await startServiceProcess({ ...env(), TESSERA_APPLY_ON_START: 'contracts' });
    expect(child.output()).toMatch(/"msg":"applied contracts: created \d+, updated 0, unchanged \d+"/);
    expect(child.output()).not.toMatch(/applied nothing/);
  }, 120_000);
});
