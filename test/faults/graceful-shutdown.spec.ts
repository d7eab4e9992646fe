import '../support/scoring-ort-realm';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ingestLockKey } from '../../src/features/ingest/offline-ingest.repository';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { goodModel } from '../fixtures/models/scoring-models';
import { modelDoc } from '../fixtures/models/scoring-mesh';
import { ADMIN_KEY, AUTH, gqlAuth, startPredictApp, upload, writeCustomers } from '../fixtures/models/scoring-predict';
import { exited, freePort, ServiceProcess, startServiceProcess, stopProcess, until } from '../support/local-processes';
import { servingMeshFiles } from '../fixtures/serving-mesh';
import type { TestApp } from '../support/test-app';

/**
 * SIGTERM to a real service process (`node src/main.ts`) while a 100,000-row ingest waits inside its
 * PostgreSQL transaction and 200 predictions wait in the prediction log's buffer (flush interval set far away):
 * it stops taking connections, finishes the ingest, writes every buffered prediction, and exits 0.
 */
const ROWS = 100_000;
const PREDICTIONS = 200;

describe('fault: graceful shutdown on SIGTERM', () => {
  const prefix = `t:sigterm:${randomBytes(4).toString('hex')}:`;
  let t: TestApp;
  let child: ServiceProcess | undefined;

  beforeAll(async () => {
    // The model, its deployment and the online rows are prepared through an in-process app on the same database and prefix.
    t = await startPredictApp('sigterm', { TESSERA_REDIS_PREFIX: prefix });
    await writeCustomers(t, [{ id: 1, ageMs: 60_000, spend: 2.5, orders: 4 }]);
    await upload(t, modelDoc(), goodModel(2));
    expect((await gqlAuth(t, `mutation { setModelStage(name: "customer_value", version: "1.0.0", stage: production) { stage } }`)).errors).toBeUndefined();
  }, 60_000);
  afterAll(async () => {
    if (child) await stopProcess(child.proc, 'SIGKILL');
    await t?.app.get<OnlineStore>(ONLINE_STORE).deleteAll();
    await t?.close();
  });

  it('drains the request in flight, refuses new ones, flushes the prediction log and exits 0', async () => {
    child = await startServiceProcess({
      DATABASE_URL: t.db.url,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      TESSERA_ONLINE_STORE: 'redis',
      TESSERA_REDIS_PREFIX: prefix,
      TESSERA_ADMIN_KEY: ADMIN_KEY,
      TESSERA_BODY_LIMIT_BYTES: String(64 * 2 ** 20),
      // Only the shutdown flush may write these entries.
      TESSERA_PREDICTION_LOG_FLUSH_MS: '600000',
      TESSERA_PREDICTION_LOG_BATCH: '100000',
      TESSERA_PREDICTION_LOG_BUFFER: '100000',
    });
    const url = child.baseUrl;
    const post = (path: string, body: string, type = 'application/json') => fetch(`${url}${path}`, { method: 'POST', headers: { ...AUTH, 'content-type': type }, body });

    for (let i = 0; i < PREDICTIONS / 20; i++) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => post('/v1/models/customer_value/predict', JSON.stringify({ entities: { customer_id: [1] } }))));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    }
    const logged = async (): Promise<number> => (await t.dataSource.query(`SELECT count(*)::int AS n FROM tessera.prediction_log WHERE model = 'customer_value'`))[0].n;
    expect(await logged()).toBe(0); // still buffered in the process

    const base = Date.now() - 3600_000;
    const ndjson = Array.from({ length: ROWS }, (_, i) => JSON.stringify({ customer_id: i % 1000, event_timestamp: new Date(base + i).toISOString(), spend: i % 100, orders: i % 7 })).join('\n');
    // Deterministically in flight: the test holds the table's ingest lock, so the request waits inside
    // its transaction until the lock is released — after the SIGTERM.
    const [table] = await t.dataSource.query(`SELECT schema_name, table_name FROM tessera.offline_tables WHERE product_id = 'shop-customer-stats'`);
    const holder = t.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [ingestLockKey({ schema: table.schema_name, name: table.table_name })]);
    const ingest = post('/v1/data-products/shop-customer-stats/ports/daily/rows', ndjson, 'application/x-ndjson');
    await until('the ingest to wait inside its transaction', async () => (await t.dataSource.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).length > 0, 60_000, 20);

    const signalled = Date.now();
    const end = exited(child.proc);
    child.proc.kill('SIGTERM');
    // A new connection after the signal is refused (or answered 503 on a kept-alive one), never served.
    await new Promise((r) => setTimeout(r, 200));
    const late = await fetch(`${url}/health`, { headers: { connection: 'close' } }).then(
      (r) => r.status,
      (err: Error) => err.message,
    );
    expect(late === 'fetch failed' || late === 503).toBe(true);
    await holder.commitTransaction(); // the ingest goes on while the service drains
    await holder.release();

    const drained = await ingest;
    expect(drained.status).toBe(200);
    expect(await drained.json()).toMatchObject({ inserted: ROWS });
    const { code, signal } = await end;
    if (code !== 0) console.log(child.output().slice(-3000));
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(25_000);
    expect(await logged()).toBe(PREDICTIONS);
    expect(child.output()).toMatch(/SIGTERM: no new connections; draining requests in flight/);
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM "${table.schema_name}"."${table.table_name}"`))[0].n).toBe(ROWS);
  }, 180_000);
});

describe('fault: graceful shutdown on SIGTERM with the embedded PostgreSQL (no DATABASE_URL)', () => {
  let child: ServiceProcess | undefined;
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-embedded-sigterm-'));
    chmodSync(dataDir, 0o755); // as root the embedded server runs as the postgres user, which must reach it
  });
  afterAll(async () => {
    if (child) await stopProcess(child.proc, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('drains a request in flight before it stops its own database server, and exits 0 leaving no server behind', async () => {
    const pgPort = await freePort();
    child = await startServiceProcess(
      { DATABASE_URL: undefined, REDIS_URL: undefined, TESSERA_ONLINE_STORE: 'postgres', TESSERA_DATA_DIR: dataDir, TESSERA_EMBEDDED_PG_PORT: String(pgPort), TESSERA_ADMIN_KEY: ADMIN_KEY },
      180_000,
    );
    const post = (path: string, body: string, type = 'application/json') => fetch(`${child!.baseUrl}${path}`, { method: 'POST', headers: { ...AUTH, 'content-type': type }, body });
    expect((await post('/v1/contracts/apply', JSON.stringify({ files: servingMeshFiles(), dryRun: false }))).status).toBe(200);

    // Held inside its transaction by the table's ingest lock, taken here on the embedded server itself.
    // As the service connects: its own non-superuser role, password generated with the data directory.
    const { service } = JSON.parse(readFileSync(join(dataDir, 'embedded-pg-roles.json'), 'utf8')) as { service: string };
    const holder = new Client({ connectionString: `postgres://tessera:${service}@127.0.0.1:${pgPort}/tessera` });
    holder.on('error', () => undefined);
    await holder.connect();
    expect((await holder.query(`SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user`)).rows[0]).toEqual({ rolsuper: false, rolcreaterole: true });
    const [table] = (await holder.query<{ schema_name: string; table_name: string }>(`SELECT schema_name, table_name FROM tessera.offline_tables WHERE product_id = 'rides-driver-stats'`)).rows;
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [ingestLockKey({ schema: table.schema_name, name: table.table_name })]);
    const base = Date.now() - 3600_000;
    const rows = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ driver_id: i % 500, event_timestamp: new Date(base + i).toISOString(), conv_rate: 0.5 })).join('\n');
    const ingest = post('/v1/data-products/rides-driver-stats/ports/hourly/rows', rows, 'application/x-ndjson');
    await until('the ingest to wait inside its transaction', async () => (await holder.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).rowCount! > 0, 60_000, 20);

    const end = exited(child.proc);
    child.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500)); // the embedded server must still be up after the signal
    await holder.query('COMMIT'); // answered: the server is still there, half a second after the signal
    await holder.end();

    const drained = await ingest;
    expect(drained.status).toBe(200);
    expect(await drained.json()).toMatchObject({ inserted: 20_000 });
    expect(await end).toEqual({ code: 0, signal: null });
    expect(child.output()).not.toMatch(/connection lost/);
    const orphans = await new Promise<string>((resolve) => execFile('pgrep', ['-f', dataDir], (_err, out) => resolve(String(out).trim())));
    expect(orphans).toBe('');
  }, 300_000);
});
