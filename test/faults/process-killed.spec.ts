import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { MaterializationJobRepository } from '../../src/features/materialization/materialization-job.repository';
import { MaterializationScheduler } from '../../src/features/materialization/materialization-scheduler';
import { MaterializationService } from '../../src/features/materialization/materialization.service';
import { RedisOnlineStore } from '../../src/features/online/redis-online-store';
import { FeatureViewResolver } from '../../src/features/registry/feature-view-resolver';
import { hourlyView, ingestDriverRows, servingMeshFiles } from '../fixtures/serving-mesh';
import { deleteRedisPrefix, ServiceProcess, startServiceProcess, stopProcess, until } from '../support/local-processes';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The service process itself dies (SIGKILL, no chance to clean up) in the middle of work, started by
 * the test as `node src/main.ts` on the suite's own database and Redis prefix:
 * - a materialization job: the job is reaped as abandoned, and running it again gives exactly the
 *   online state of an uninterrupted run;
 * - an ingest request, while its body is still arriving and while its COPY runs: nothing of it is
 *   stored; sent again, all of it is, once.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const VIEW = 'driver_hourly_stats';
const ROWS_URL = '/v1/data-products/rides-driver-stats/ports/hourly/rows';

async function meshApp(prefix: string): Promise<TestApp> {
  const t = await startTestApp({ REDIS_URL, TESSERA_ONLINE_STORE: 'redis', TESSERA_REDIS_PREFIX: prefix });
  const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: servingMeshFiles(hourlyView()), dryRun: false } });
  if (applied.statusCode !== 200) throw new Error(`apply failed: ${applied.body}`);
  return t;
}

const childEnv = (t: TestApp, prefix: string, extra: Record<string, string> = {}): Record<string, string> => ({
  DATABASE_URL: t.db.url,
  REDIS_URL,
  TESSERA_ONLINE_STORE: 'redis',
  TESSERA_REDIS_PREFIX: prefix,
  TESSERA_ADMIN_KEY: t.adminKey,
  LOG_LEVEL: 'warn',
  ...extra,
});

describe('fault: the service process killed (SIGKILL) in the middle of a materialization job', () => {
  const prefix = `t:mat-killed:${randomBytes(4).toString('hex')}:`;
  const refPrefix = `t:mat-killed-ref:${randomBytes(4).toString('hex')}:`;
  const DRIVERS = 20_000;
  const END = new Date();
  let t: TestApp;
  let child: ServiceProcess | undefined;

  beforeAll(async () => {
    t = await meshApp(prefix);
    const now = END.getTime();
    const rows = [];
    for (let d = 0; d < DRIVERS; d++) {
      rows.push({ driver_id: d, event_timestamp: new Date(now - 60_000 - (d % 1000) * 1000), conv_rate: d / DRIVERS });
      rows.push({ driver_id: d, event_timestamp: new Date(now - 30 * 60_000), conv_rate: -1 }); // older: must lose
    }
    await ingestDriverRows(t.app, rows);
  }, 120_000);
  afterAll(async () => {
    if (child) await stopProcess(child.proc, 'SIGKILL');
    await t?.close();
    await deleteRedisPrefix(prefix);
    await deleteRedisPrefix(refPrefix);
  });

  it('is reaped as abandoned, and the rerun leaves the online state of an uninterrupted run', async () => {
    // Small chunks: the job takes many round trips, so the kill lands in the middle of it.
    child = await startServiceProcess(childEnv(t, prefix, { TESSERA_MATERIALIZE_CHUNK_ROWS: '100' }));
    const request = fetch(`${child.baseUrl}/materialize-incremental`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ end_ts: END.toISOString(), feature_views: [VIEW] }),
    }).catch((err: Error) => ({ failed: err.message }));
    const latest = async () =>
      (await t.dataSource.query(`SELECT id, status, rows_written FROM tessera.materialization_jobs ORDER BY created_at DESC LIMIT 1`))[0] as { id: string; status: string; rows_written: number } | undefined;
    await until(
      'the job to have written some rows',
      async () => {
        const job = await latest();
        return job?.status === 'running' && Number(job.rows_written) > 0;
      },
      60_000,
      10,
    );
    await stopProcess(child.proc, 'SIGKILL');
    expect(await request).toEqual({ failed: 'fetch failed' }); // the connection died with the process
    const killed = (await latest())!;
    expect(killed.status).toBe('running'); // nobody was left to record anything
    expect(Number(killed.rows_written)).toBeLessThan(DRIVERS);
    expect((await t.dataSource.query(`SELECT 1 FROM tessera.materialization_watermarks WHERE view = $1`, [VIEW])).length).toBe(0);

    // Time passes without a heartbeat (aged here rather than waited for), then the reaper runs.
    await t.dataSource.query(`UPDATE tessera.materialization_jobs SET heartbeat_at = now() - interval '1 hour', started_at = now() - interval '1 hour' WHERE id = $1`, [killed.id]);
    await t.app.get(MaterializationScheduler).housekeeping();
    const [reaped] = await t.dataSource.query(`SELECT status, error FROM tessera.materialization_jobs WHERE id = $1`, [killed.id]);
    expect(reaped).toEqual({ status: 'failed', error: expect.stringMatching(/^abandoned: no heartbeat since .* rerun it$/) });

    const rerun = await t.app.inject({ method: 'POST', url: '/materialize-incremental', payload: { end_ts: END.toISOString(), feature_views: [VIEW] } });
    expect(rerun.statusCode).toBe(200);
    expect(rerun.json().job).toMatchObject({ status: 'succeeded', rowsRead: DRIVERS });
    // Vectors the killed run already wrote are not written twice (the store keeps them: not newer).
    expect(rerun.json().job.rowsWritten).toBeLessThanOrEqual(DRIVERS - Number(killed.rows_written));

    // The reference: the same interval materialized in one uninterrupted run into a store of its own.
    const redis = new Redis(REDIS_URL);
    const reference = new RedisOnlineStore(redis, refPrefix);
    const resolver = t.app.get(FeatureViewResolver);
    const view = await resolver.view(VIEW);
    await new MaterializationService(t.dataSource, resolver, reference, new MaterializationJobRepository(t.dataSource)).materialize({ start: new Date(0), end: END });
    const recovered = new RedisOnlineStore(new Redis(REDIS_URL), prefix);
    const ids = Array.from({ length: DRIVERS }, (_, d) => [d]);
    const read = (store: RedisOnlineStore) => store.read([{ view, featureIndexes: view.features.map((_, i) => i), entityKeys: ids }]);
    const [got] = await read(recovered);
    const [want] = await read(reference);
    await recovered.close();
    await reference.close();
    expect(got.filter((e) => e === null)).toHaveLength(0);
    expect(got.some((e) => e!.values[0] === -1)).toBe(false);
    expect(JSON.stringify(got)).toBe(JSON.stringify(want));
  }, 180_000);
});

describe('fault: the service process killed (SIGKILL) in the middle of an ingest request', () => {
  const prefix = `t:ingest-killed:${randomBytes(4).toString('hex')}:`;
  const ROWS = 200_000;
  let t: TestApp;
  let child: ServiceProcess | undefined;
  const base = Date.now() - 3600_000;
  const lines = Array.from({ length: ROWS }, (_, i) => `${JSON.stringify({ driver_id: i % 5000, event_timestamp: new Date(base + i).toISOString(), conv_rate: (i % 997) / 997 })}\n`);
  const body = lines.join('');
  const stored = async (): Promise<number> => {
    const [table] = await t.dataSource.query(`SELECT schema_name, table_name FROM tessera.offline_tables WHERE product_id = 'rides-driver-stats'`);
    return (await t.dataSource.query(`SELECT count(*)::int AS n FROM "${table.schema_name}"."${table.table_name}"`))[0].n;
  };
  const send = (svc: ServiceProcess, payload: string | ReadableStream<Uint8Array>) =>
    fetch(`${svc.baseUrl}${ROWS_URL}`, { method: 'POST', headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/x-ndjson' }, body: payload, duplex: 'half' }).catch((err: Error) => ({
      failed: err.message,
    }));
  const spawn = () => startServiceProcess(childEnv(t, prefix, { TESSERA_BODY_LIMIT_BYTES: String(64 * 2 ** 20) }));

  beforeAll(async () => {
    t = await meshApp(prefix);
  }, 60_000);
  afterAll(async () => {
    if (child) await stopProcess(child.proc, 'SIGKILL');
    await t?.close();
    await deleteRedisPrefix(prefix);
  });

  it('killed while the body is still arriving: nothing stored', async () => {
    child = await spawn();
    let sent = 0;
    const half = lines.length / 2;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent < half) {
          controller.enqueue(new TextEncoder().encode(lines.slice(sent, sent + 5000).join('')));
          sent += 5000;
        } else {
          await new Promise((r) => setTimeout(r, 50)); // the rest never comes before the kill
        }
      },
    });
    const request = send(child, stream);
    await until('half of the body to be sent', () => sent >= half, 30_000, 10);
    await stopProcess(child.proc, 'SIGKILL');
    await stream.cancel().catch(() => undefined);
    expect(await request).toEqual({ failed: 'fetch failed' });
    expect(await stored()).toBe(0);
  }, 120_000);

  it('killed while its COPY runs inside PostgreSQL: the transaction is rolled back, nothing stored', async () => {
    child = await spawn();
    const request = send(child, body);
    await until(
      'the ingest COPY to run',
      async () => (await t.dataSource.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY%' AND state = 'active'`)).length > 0,
      60_000,
      5,
    );
    await stopProcess(child.proc, 'SIGKILL');
    expect(await request).toEqual({ failed: 'fetch failed' });
    // PostgreSQL notices the dead client and aborts its transaction; the staged rows never reach the table.
    await until('the killed session to end', async () => (await t.dataSource.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY%'`)).length === 0, 30_000);
    expect(await stored()).toBe(0);
  }, 120_000);

  it('sent again after a restart: all rows stored once; sent once more: none added', async () => {
    child = await spawn();
    const first = await send(child, body);
    expect((first as Response).status).toBe(200);
    expect(await stored()).toBe(ROWS);
    const again = (await send(child, body)) as Response;
    expect(again.status).toBe(200);
    expect(await stored()).toBe(ROWS);
  }, 180_000);
});
