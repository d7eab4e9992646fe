import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../src/database';
import { TesseraConfig } from '../../src/config/tessera-config';
import { createApp } from '../../src/create-app';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { ingestLockKey } from '../../src/features/ingest/offline-ingest.repository';
import { servingMeshFiles } from '../fixtures/serving-mesh';
import { ScratchPostgres, startScratchPostgres, timed, until } from '../support/local-processes';

/**
 * PostgreSQL restarts for real (fast shutdown of a server this suite started on its own port, then a
 * start on the same data) under a running service: the request in flight fails cleanly and stores
 * nothing, requests meanwhile answer 503 DATABASE_UNAVAILABLE quickly, online serving from Redis goes
 * on, and the pool reconnects by itself once the server is back.
 */
const ADMIN_KEY = 'pg-restart-admin-key-0123456789abcdef';
const AUTH = { authorization: `Bearer ${ADMIN_KEY}` };
const BOUND_MS = 6000;
const ROWS_URL = '/v1/data-products/rides-driver-stats/ports/hourly/rows';

function ndjson(rows: number, from: number): string {
  const base = Date.now() - 3600_000;
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) lines.push(JSON.stringify({ driver_id: from + i, event_timestamp: new Date(base + i).toISOString(), conv_rate: (i % 100) / 100 }));
  return lines.join('\n');
}

describe('fault: PostgreSQL restarted under a running service', () => {
  let pg: ScratchPostgres;
  let ds: DataSource;
  let app: NestFastifyApplication;
  let dataDir: string;
  const inject = (opts: { method: 'GET' | 'POST'; url: string; payload?: unknown; headers?: Record<string, string> }) =>
    app.inject({ ...opts, payload: opts.payload as string, headers: { ...AUTH, ...(opts.headers ?? {}) } });
  const gql = (query: string) => inject({ method: 'POST', url: '/graphql', payload: { query } });
  const lookup = () => inject({ method: 'POST', url: '/get-online-features', payload: { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] } } });
  const ingest = (rows: number, from: number) => inject({ method: 'POST', url: ROWS_URL, headers: { 'content-type': 'application/x-ndjson' }, payload: ndjson(rows, from) });
  const storedRows = async (): Promise<number> => {
    const c = new Client({ connectionString: pg.url });
    await c.connect();
    try {
      const table = (await c.query<{ schema_name: string; table_name: string }>(`SELECT schema_name, table_name FROM tessera.offline_tables WHERE product_id = 'rides-driver-stats'`)).rows[0];
      return (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table.schema_name}"."${table.table_name}"`)).rows[0].n;
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    pg = await startScratchPostgres();
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-pg-restart-'));
    const config = TesseraConfig.fromEnv({
      DATABASE_URL: pg.url,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      TESSERA_ONLINE_STORE: 'redis',
      TESSERA_REDIS_PREFIX: `t:pg-restart:${randomBytes(4).toString('hex')}:`,
      TESSERA_ADMIN_KEY: ADMIN_KEY,
      TESSERA_DATA_DIR: dataDir,
      TESSERA_APPLY_ON_START: 'false',
      TESSERA_QUALITY_SCHEDULE: 'off',
      TESSERA_SLO_SCHEDULE: 'off',
    });
    ds = await openDatabase(pg.url);
    app = await createApp(config, ds, { logger: false });
    await app.getHttpAdapter().getInstance().ready();
    expect((await inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: servingMeshFiles(), dryRun: false } })).statusCode).toBe(200);
    expect((await ingest(1000, 1)).statusCode).toBe(200);
    const job = await inject({ method: 'POST', url: '/materialize-incremental', payload: { end_ts: new Date().toISOString(), feature_views: ['driver_hourly_stats'] } });
    expect(job.statusCode).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await app
      ?.get<OnlineStore>(ONLINE_STORE)
      .deleteAll()
      .catch(() => undefined);
    await app?.close();
    await ds?.destroy().catch(() => undefined);
    await pg?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a request in flight when the server goes down fails cleanly with a 5xx and a code, and stores nothing', async () => {
    const before = await storedRows();
    // Deterministically in flight: this session holds the table's ingest lock, so the request waits
    // inside its open transaction (BEGIN done, rows parsed and validated) until the server goes down.
    const holder = new Client({ connectionString: pg.url });
    holder.on('error', () => undefined); // the shutdown ends this session too
    await holder.connect();
    const [table] = (await holder.query<{ schema_name: string; table_name: string }>(`SELECT schema_name, table_name FROM tessera.offline_tables WHERE product_id = 'rides-driver-stats'`)).rows;
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [ingestLockKey({ schema: table.schema_name, name: table.table_name })]);
    const inFlight = ingest(100_000, 10_000);
    await until('the ingest to wait inside its transaction', async () => (await holder.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).rowCount! > 0, 60_000, 20);
    await pg.stop();
    const res = await inFlight;
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: { code: 'DATABASE_UNAVAILABLE', message: expect.stringMatching(/database/i) } });
    expect(res.body).not.toMatch(/at .*\.(ts|js):\d+|terminat|ECONN|SQLSTATE/);
    await holder.end().catch(() => undefined);
    await pg.start();
    expect(await storedRows()).toBe(before);
  }, 90_000);

  it('while it is down: database-backed requests answer 503 DATABASE_UNAVAILABLE within a bounded time; online reads go on from Redis', async () => {
    await pg.stop();
    try {
      const write = await timed(() => ingest(10, 500_000));
      expect(write.value.statusCode).toBe(503);
      expect(write.value.json().error.code).toBe('DATABASE_UNAVAILABLE');
      expect(write.ms).toBeLessThan(BOUND_MS);

      const query = await timed(() => gql(`{ features(search: "conv") { name } }`));
      expect(query.value.statusCode).toBe(200);
      expect(query.value.json().errors?.[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', tesseraCode: 'DATABASE_UNAVAILABLE' });
      expect(query.ms).toBeLessThan(BOUND_MS);

      const ready = await timed(() => inject({ method: 'GET', url: '/ready' }));
      expect(ready.value.statusCode).toBe(503);
      expect(ready.value.json().checks.database).toMatch(/^unavailable/);
      expect(ready.ms).toBeLessThan(BOUND_MS);

      const burst = await timed(() => Promise.all(Array.from({ length: 20 }, () => ingest(1, 600_000))));
      expect(burst.value.map((r) => r.statusCode)).toEqual(Array(20).fill(503));
      expect(burst.ms).toBeLessThan(BOUND_MS);

      // Registry and key checks are cached: the online path needs no database.
      const online = await lookup();
      expect(online.statusCode).toBe(200);
      expect(online.json().results[1].statuses).toEqual(['PRESENT']);
    } finally {
      await pg.start();
    }
  }, 90_000);

  it('once it is back: the same process serves again (the pool reconnects), and the interrupted load can be sent again in full', async () => {
    await until('database-backed requests to succeed again', async () => (await gql(`{ features(search: "conv") { name } }`)).json().errors === undefined, 20_000, 100);
    expect((await inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    const before = await storedRows();
    const again = await ingest(100_000, 10_000);
    expect(again.statusCode).toBe(200);
    expect(await storedRows()).toBe(before + 100_000);
  }, 90_000);
});
