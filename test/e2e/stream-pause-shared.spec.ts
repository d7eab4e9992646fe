import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { TesseraConfig } from '../../src/config/tessera-config';
import { createApp } from '../../src/create-app';
import { openDatabase } from '../../src/database';
import { featureFiles } from '../fixtures/feature-mesh';
import { cleanUpNats, NATS_URL, natsClient, NatsTest, streamNames, streamSourceDoc, until } from '../support/nats-test';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A stream source paused through one replica is paused on every replica, and stays paused for a
 * replica that starts later (issue 13, ADR 0026: a stored pause announced by the change feed).
 * Two service instances in this process on one database and one broker.
 */
describe('stream source pause and resume, shared by replicas', () => {
  const key = `pause-admin-${randomBytes(8).toString('hex')}`;
  const auth = { authorization: `Bearer ${key}` };
  const names = streamNames('pause');
  let a: TestApp;
  let b: { app: NestFastifyApplication; ds: DataSource } | null = null;
  let nats: NatsTest;

  const gql = async (app: NestFastifyApplication, query: string) =>
    (await app.inject({ method: 'POST', url: '/graphql', headers: { ...auth, 'content-type': 'application/json' }, payload: { query } })).json<{
      data?: Record<string, { name: string; paused: boolean; running: boolean; stored: number }[] | { paused: boolean }>;
      errors?: unknown[];
    }>();
  const state = async (app: NestFastifyApplication) => {
    const r = await gql(app, '{ streamSources { name paused running stored } }');
    return (r.data?.streamSources as { name: string; paused: boolean; running: boolean; stored: number }[]).find((s) => s.name === names.source)!;
  };
  const offlineRows = async () => {
    const [t] = await a.dataSource.query(`SELECT schema_name, table_name FROM tessera.offline_tables WHERE product_id = 'shop-customer-stats'`);
    const [r] = await a.dataSource.query(`SELECT count(*)::int AS n FROM "${t.schema_name}"."${t.table_name}" WHERE customer_id BETWEEN 7000 AND 7009`);
    return (r as { n: number }).n;
  };

  beforeAll(async () => {
    nats = await natsClient();
    a = await startTestApp({ NATS_URL, TESSERA_ADMIN_KEY: key, TESSERA_STREAM_BATCH_WAIT_MS: '20', TESSERA_ONLINE_STORE: 'postgres' });
    const files = [...featureFiles(), { path: 'contracts/shop/stream.yaml', content: streamSourceDoc(names) }];
    expect((await a.app.inject({ method: 'POST', url: '/v1/contracts/apply', headers: auth, payload: { files } })).statusCode).toBe(200);
    await until('running on A', async () => (await state(a.app)).running);
  });
  afterAll(async () => {
    await b?.app.close();
    await b?.ds.destroy();
    await a?.close();
    await cleanUpNats(nats, names);
  });

  it('paused through A: B, started afterwards, is paused too; resumed through B: A consumes again', async () => {
    const paused = await gql(a.app, `mutation { pauseStreamSource(name: "${names.source}") { paused } }`);
    expect(paused.data?.pauseStreamSource).toEqual({ paused: true });

    // Replica B starts after the pause: it reads the stored pause.
    const config = TesseraConfig.fromEnv({
      DATABASE_URL: a.db.url,
      NATS_URL,
      TESSERA_ADMIN_KEY: key,
      TESSERA_APPLY_ON_START: 'false',
      TESSERA_DATA_DIR: mkdtempSync(join(tmpdir(), 'tessera-test-data-')),
      TESSERA_QUALITY_SCHEDULE: 'off',
      TESSERA_SLO_SCHEDULE: 'off',
      TESSERA_ONLINE_STORE: 'postgres',
      TESSERA_STREAM_BATCH_WAIT_MS: '20',
    });
    const ds = await openDatabase(a.db.url);
    b = { app: await createApp(config, ds, { logger: false }), ds };
    await b.app.getHttpAdapter().getInstance().ready();
    await until('running on B', async () => (await state(b!.app)).running);
    expect((await state(b.app)).paused).toBe(true);

    for (let i = 0; i < 20; i++) await nats.js.publish(names.subject, JSON.stringify({ customer_id: 7000 + (i % 10), event_timestamp: new Date(Date.now() - 60_000 + i).toISOString(), spend: i }));
    await new Promise((r) => setTimeout(r, 1000));
    expect(await offlineRows()).toBe(0); // neither replica consumes

    const resumed = await gql(b.app, `mutation { resumeStreamSource(name: "${names.source}") { paused } }`);
    expect(resumed.data?.resumeStreamSource).toEqual({ paused: false });
    await until('A resumed (the change feed)', async () => !(await state(a.app)).paused, 5000);
    await until('the 20 rows stored', async () => (await offlineRows()) === 20, 15_000);

    // Paused through B now: A stops within the change feed's latency.
    await gql(b.app, `mutation { pauseStreamSource(name: "${names.source}") { paused } }`);
    await until('A paused (the change feed)', async () => (await state(a.app)).paused, 5000);
  }, 90_000);
});
