import '../support/scoring-ort-realm';
import { randomBytes } from 'node:crypto';
import { BatchScoringWorker } from '../../src/scoring/batch/batch-scoring.worker';
import { MODEL_BYTES, setUpBatchScoring } from '../fixtures/models/batch-scoring-mesh';
import { directRun, features } from '../fixtures/models/scoring-predict';
import { ingestDriverRows } from '../fixtures/serving-mesh';
import { deleteRedisPrefix, ServiceProcess, startServiceProcess, stopProcess, until } from '../support/local-processes';
import { startTestApp, TestApp } from '../support/test-app';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The service process dies (SIGKILL) in the middle of a batch scoring job (ADR 0035), started by the
 * test as `node src/main.ts` on the suite's own database: the job stays `running` under a lease
 * nobody renews; once the lease has run out, another worker claims it, continues after the recorded
 * cursor, and the predictions port ends with exactly one row per entity, equal to a direct ONNX run.
 */
describe('fault: the service process killed (SIGKILL) in the middle of a batch scoring job', () => {
  const prefix = `t:batch-killed:${randomBytes(4).toString('hex')}:`;
  const DRIVERS = 3000;
  const T = new Date(Date.UTC(2026, 10, 20, 12, 0, 0));
  const conv = (d: number) => (d % 97) / 97;
  let t: TestApp;
  let child: ServiceProcess | undefined;

  beforeAll(async () => {
    // This process runs no worker on its own: it resumes the job only when the test says so.
    t = await startTestApp({ REDIS_URL, TESSERA_ONLINE_STORE: 'redis', TESSERA_REDIS_PREFIX: prefix, TESSERA_BATCH_SCORING_WORKER: 'off' });
    await setUpBatchScoring(t);
    const rows = Array.from({ length: DRIVERS }, (_, d) => ({ driver_id: d + 1, event_timestamp: new Date(T.getTime() - 60_000 - (d % 600) * 1000), conv_rate: conv(d + 1), avg_daily_trips: d % 40 }));
    await ingestDriverRows(t.app, rows);
  }, 120_000);
  afterAll(async () => {
    if (child) await stopProcess(child.proc, 'SIGKILL');
    await t?.close();
    await deleteRedisPrefix(prefix);
  });

  it('resumes after the cursor once the lease runs out: one row per entity, none twice, values as uninterrupted', async () => {
    // Small chunks: the job takes many round trips, so the kill lands in the middle of it.
    child = await startServiceProcess({
      DATABASE_URL: t.db.url,
      REDIS_URL,
      TESSERA_ONLINE_STORE: 'redis',
      TESSERA_REDIS_PREFIX: prefix,
      TESSERA_ADMIN_KEY: t.adminKey,
      TESSERA_BATCH_SCORING_CHUNK_ROWS: '25',
      LOG_LEVEL: 'warn',
    });
    const res = await fetch(`${child.baseUrl}/v1/models/driver_score/batch-scoring`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ as_of: T.toISOString() }),
    });
    expect(res.status).toBe(202);
    const { job } = (await res.json()) as { job: { id: string } };
    const state = async () =>
      (await t.dataSource.query(`SELECT status, done::int, attempts, lease_owner FROM tessera.batch_scoring_jobs WHERE id = $1`, [job.id]))[0] as {
        status: string;
        done: number;
        attempts: number;
        lease_owner: string;
      };
    await until('the job to have written some chunks', async () => (await state()).done >= 100, 60_000, 10);
    await stopProcess(child.proc, 'SIGKILL');
    const killed = await state();
    expect(killed).toMatchObject({ status: 'running', attempts: 1 }); // nobody was left to record anything
    expect(killed.done).toBeLessThan(DRIVERS);

    const worker = t.app.get(BatchScoringWorker);
    // The lease is still the dead process's: nothing to claim yet.
    expect(await worker.drain()).toEqual([]);
    // Time passes without a renewal (aged here rather than waited for), then a worker looks for work.
    await t.dataSource.query(`UPDATE tessera.batch_scoring_jobs SET lease_until = now() - interval '1 second' WHERE id = $1`, [job.id]);
    const [resumed] = await worker.drain();
    expect(resumed).toMatchObject({ id: job.id, status: 'succeeded', attempts: 2, done: DRIVERS, scored: DRIVERS, rejected: 0 });

    const rows = await t.dataSource.query<{ d: number; probability: number }[]>(`SELECT driver_id::int AS d, probability FROM dom_rides.rides_driver_scores__predictions__v1 WHERE as_of = $1 ORDER BY driver_id`, [
      T,
    ]);
    expect(rows).toHaveLength(DRIVERS);
    expect(new Set(rows.map((r) => r.d)).size).toBe(DRIVERS);
    const want = await directRun(MODEL_BYTES, { features: features(Array.from({ length: DRIVERS }, (_, d) => [conv(d + 1), d % 40])) });
    expect(rows.map((r) => r.probability)).toEqual(want.map((p) => Math.fround(p)));

    // Asked again: the same rows, nothing inserted.
    const again = await t.app.inject({ method: 'POST', url: '/v1/models/driver_score/batch-scoring', payload: { as_of: T.toISOString() } });
    expect(again.statusCode).toBe(202);
    const [rerun] = await worker.drain();
    expect(rerun).toMatchObject({ status: 'succeeded', scored: DRIVERS, inserted: 0 });
  }, 180_000);

  it('a graceful stop (SIGTERM) hands the job back at a chunk boundary: another worker continues at once', async () => {
    const asOf = new Date(T.getTime() + 1000);
    child = await startServiceProcess({
      DATABASE_URL: t.db.url,
      REDIS_URL,
      TESSERA_ONLINE_STORE: 'redis',
      TESSERA_REDIS_PREFIX: prefix,
      TESSERA_ADMIN_KEY: t.adminKey,
      TESSERA_BATCH_SCORING_CHUNK_ROWS: '25',
      LOG_LEVEL: 'warn',
    });
    const res = await fetch(`${child.baseUrl}/v1/models/driver_score/batch-scoring`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ as_of: asOf.toISOString() }),
    });
    expect(res.status).toBe(202);
    const { job } = (await res.json()) as { job: { id: string } };
    const state = async () =>
      (await t.dataSource.query(`SELECT status, done::int, attempts, lease_until <= now() AS handed_back FROM tessera.batch_scoring_jobs WHERE id = $1`, [job.id]))[0] as {
        status: string;
        done: number;
        attempts: number;
        handed_back: boolean;
      };
    await until('the job to have written some chunks', async () => (await state()).done >= 100, 60_000, 10);
    await stopProcess(child.proc, 'SIGTERM', 30_000);
    expect(child.proc.signalCode ?? child.proc.exitCode).not.toBe('SIGKILL');
    const stopped = await state();
    expect(stopped).toMatchObject({ status: 'running', attempts: 1, handed_back: true });
    expect(stopped.done).toBeLessThan(DRIVERS);
    // No lease to wait for: the next worker claims it now.
    const [resumed] = await t.app.get(BatchScoringWorker).drain();
    expect(resumed).toMatchObject({ id: job.id, status: 'succeeded', attempts: 2, done: DRIVERS, scored: DRIVERS });
    const [{ n }] = await t.dataSource.query(`SELECT count(DISTINCT driver_id)::int AS n FROM dom_rides.rides_driver_scores__predictions__v1 WHERE as_of = $1`, [asOf]);
    expect(n).toBe(DRIVERS);
  }, 180_000);
});
