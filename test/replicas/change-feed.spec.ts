import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DataSource } from 'typeorm';
import { ChangeFeed } from '../../src/common/changes/change-feed';
import type { ChangeKind } from '../../src/common/changes/change-kind';
import { openDatabase } from '../../src/database';
import { TesseraConfig } from '../../src/config/tessera-config';
import { createApp } from '../../src/create-app';
import { until } from '../support/local-processes';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The change feed between two in-process replicas, each with a pool and a LISTEN connection of its
 * own on one database: NOTIFY only on commit, the local invalidation before the transaction's caller
 * continues, and the periodic version check catching a change whose notification never came.
 */
describe('change feed', () => {
  let t: TestApp;
  let otherDs: DataSource;
  let other: NestFastifyApplication;
  const heard: { replica: string; kind: ChangeKind; detail: string | undefined }[] = [];

  beforeAll(async () => {
    t = await startTestApp({ TESSERA_REDIS_PREFIX: 't:change-feed:', TESSERA_ONLINE_STORE: 'postgres' });
    otherDs = await openDatabase(t.db.url);
    const config = TesseraConfig.fromEnv({
      DATABASE_URL: t.db.url,
      TESSERA_APPLY_ON_START: 'false',
      TESSERA_DATA_DIR: mkdtempSync(join(tmpdir(), 'tessera-feed-')),
      TESSERA_ONLINE_STORE: 'postgres',
      TESSERA_REDIS_PREFIX: 't:change-feed:',
      TESSERA_CHANGE_CHECK_MS: '100',
      TESSERA_QUALITY_SCHEDULE: 'off',
      TESSERA_SLO_SCHEDULE: 'off',
    });
    other = await createApp(config, otherDs, { logger: false });
    for (const [replica, app] of [
      ['a', t.app],
      ['b', other],
    ] as const) {
      for (const kind of ['policies', 'agreements'] as const) app.get(ChangeFeed).subscribe(kind, (detail) => heard.push({ replica, kind, detail }));
    }
  });
  afterAll(async () => {
    await other?.close();
    await otherDs?.destroy();
    await t?.close();
  });
  beforeEach(() => void (heard.length = 0));

  const version = async (kind: string): Promise<number> => Number((await t.dataSource.query(`SELECT version FROM tessera.change_versions WHERE kind = $1`, [kind]))[0]?.version ?? 0);
  const feedA = () => t.app.get(ChangeFeed);

  it('refuses to publish outside a transaction', async () => {
    await expect(feedA().publish(t.dataSource.manager, 'policies')).rejects.toThrow('a policies change must be published inside its transaction');
    expect(await version('policies')).toBe(0);
  });

  it('announces a committed change to every replica, its own at once (before the caller goes on)', async () => {
    const before = await version('agreements');
    await t.dataSource.transaction((m) => feedA().publish(m, 'agreements', 'ag-1'));
    // The commit hook, synchronously. Under load the replica's own NOTIFY may also have arrived already
    // (a second, harmless invalidation): what matters is that A heard it before the caller went on.
    expect(heard.filter((h) => h.replica === 'a')[0]).toEqual({ replica: 'a', kind: 'agreements', detail: 'ag-1' });
    await until('replica b to hear of it', () => heard.some((h) => h.replica === 'b'), 2000, 5);
    expect(heard).toContainEqual({ replica: 'b', kind: 'agreements', detail: 'ag-1' });
    expect(await version('agreements')).toBe(before + 1);
  });

  it('announces nothing, anywhere, for a change that rolls back', async () => {
    const before = await version('policies');
    await expect(
      t.dataSource.transaction(async (m) => {
        await feedA().publish(m, 'policies', 'doomed');
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    // Long enough for a notification and three periodic checks of replica b.
    await new Promise((r) => setTimeout(r, 400));
    // Only policies: a late notification of the previous test's agreements change may still land here.
    expect(heard.filter((h) => h.kind === 'policies')).toEqual([]);
    expect(await version('policies')).toBe(before);
  });

  it('catches a change whose notification never came with the periodic version check', async () => {
    // A version bump without NOTIFY: what a replica sees after missing the notification.
    await t.dataSource.query(`INSERT INTO tessera.change_versions (kind, version) VALUES ('policies', 1) ON CONFLICT (kind) DO UPDATE SET version = change_versions.version + 1`);
    await until('replica b to catch up', () => heard.some((h) => h.replica === 'b' && h.kind === 'policies'), 2000, 10);
    expect(heard.find((h) => h.replica === 'b')).toEqual({ replica: 'b', kind: 'policies', detail: undefined });
  });
});
