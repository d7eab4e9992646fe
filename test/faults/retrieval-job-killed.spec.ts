import { Int32, Int64, makeData, makeVector, Table, tableToIPC, TimestampMicrosecond, vectorFromArray } from 'apache-arrow';
import { hourlyRows, pitMeshFiles } from '../support/pit-mesh';
import { ServiceProcess, startServiceProcess, stopProcess, until } from '../support/local-processes';
import { startTestApp, TestApp } from '../support/test-app';

const FEATURES = ['driver_hourly:trips_today', 'driver_hourly:conv_rate'];
const ROWS = 20_000;
const LEASE_MS = 2000;

interface JobRow {
  id: string;
  status: string;
  rows_done: string;
  attempts: number;
  claimed_by: string | null;
  dataset_version: number | null;
  error: string | null;
}

/**
 * A retrieval job survives the replica running it: `node src/main.ts` is killed (SIGKILL, nothing
 * cleaned up) in the middle of the job's join; a second service process claims it once the lease has
 * lapsed, runs it from the start, and keeps exactly the dataset an uninterrupted save stores.
 */
describe('fault: the replica running a retrieval job killed (SIGKILL) mid-job', () => {
  let t: TestApp;
  const children: ServiceProcess[] = [];

  beforeAll(async () => {
    // This app only prepares data and compares: it runs no jobs itself.
    t = await startTestApp({ TESSERA_RETRIEVAL_JOBS_RUN: 'false' });
    const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: pitMeshFiles() } });
    expect(applied.statusCode).toBe(200);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/data-products/pit-driver-stats/ports/hourly/rows',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: hourlyRows.map((r) => JSON.stringify(r)).join('\n'),
    });
    expect(res.json()).toMatchObject({ inserted: hourlyRows.length });
  }, 120_000);
  afterAll(async () => {
    for (const c of children) await stopProcess(c.proc, 'SIGKILL');
    await t?.close();
  });

  const ids = [1001, 1002, 4242];
  const entities = {
    driver_id: Array.from({ length: ROWS }, (_, i) => ids[i % 3]),
    event_timestamp: Array.from({ length: ROWS }, (_, i) => new Date(Date.UTC(2021, 3, 12, 7) + (i % 500) * 60_000).toISOString()),
    label: Array.from({ length: ROWS }, (_, i) => (i % 5 === 0 ? null : i % 2)),
  };
  const json = (name: string) => ({ 'content-type': 'application/json', body: JSON.stringify({ name, features: FEATURES, entities, async: true }), query: '' });
  // The same spine uploaded as Arrow (ADR 0025): the job reads it from the table it was COPYed into.
  const arrow = (name: string) => {
    const micros = BigInt64Array.from(entities.event_timestamp, (t) => BigInt(Date.parse(t)) * 1000n);
    const body = tableToIPC(
      new Table({
        driver_id: vectorFromArray(
          entities.driver_id.map((v) => BigInt(v)),
          new Int64(),
        ),
        event_timestamp: makeVector(makeData({ type: new TimestampMicrosecond('UTC'), length: ROWS, nullCount: 0, data: micros })),
        label: vectorFromArray(entities.label, new Int32()),
      }),
      'stream',
    );
    return { 'content-type': 'application/vnd.apache.arrow.stream', body: Buffer.from(body), query: `?name=${name}&async=true&${FEATURES.map((f) => `features=${encodeURIComponent(f)}`).join('&')}` };
  };

  it.each([
    ['JSON', 'survivor', json],
    ['Arrow upload', 'survivor_arrow', arrow],
  ])(
    'is claimed by another process after the lease and finishes with the uninterrupted result (%s spine)',
    async (_how, survivor, submission) => {
      const reference = `${survivor}_reference`;
      const env = (chunkRows: string) => ({
        DATABASE_URL: t.db.url,
        TESSERA_ADMIN_KEY: t.adminKey,
        TESSERA_ONLINE_STORE: 'postgres',
        REDIS_URL: undefined,
        NATS_URL: undefined,
        LOG_LEVEL: 'warn',
        TESSERA_RETRIEVAL_JOB_LEASE_MS: String(LEASE_MS),
        // Small steps on the first replica: the kill lands between many of them.
        TESSERA_RETRIEVAL_JOB_CHUNK_ROWS: chunkRows,
      });
      const first = await startServiceProcess(env('100'));
      children.push(first);
      const submit = submission(survivor);
      const submitted = await fetch(`${first.baseUrl}/v1/training-datasets${submit.query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': submit['content-type'] },
        body: submit.body,
      });
      expect(submitted.status).toBe(202);
      const { job } = (await submitted.json()) as { job: { id: string } };
      const row = async () => (await t.dataSource.query<JobRow[]>(`SELECT id, status, rows_done, attempts, claimed_by, dataset_version, error FROM tessera.retrieval_jobs WHERE id = $1`, [job.id]))[0];

      await until('the first process to have joined some rows', async () => Number((await row()).rows_done) > 0, 60_000, 10);
      await stopProcess(first.proc, 'SIGKILL');
      const killed = await row();
      expect(killed).toMatchObject({ status: 'running', attempts: 1 });
      expect(Number(killed.rows_done)).toBeLessThan(ROWS);
      expect((await t.dataSource.query(`SELECT 1 FROM tessera.training_datasets WHERE name = $1`, [survivor])).length).toBe(0); // its transaction died with it

      const second = await startServiceProcess(env('5000'));
      children.push(second);
      try {
        await until('the second process to finish the job', async () => ['succeeded', 'failed', 'cancelled'].includes((await row()).status), 120_000, 100);
        const done = await row();
        expect(done).toMatchObject({ status: 'succeeded', attempts: 2, dataset_version: 1, error: null, rows_done: String(ROWS) });
        expect(done.claimed_by).not.toBe(killed.claimed_by);

        // The reference: the same save run in one go, in the request.
        const saved = await t.app.inject({ method: 'POST', url: '/v1/training-datasets', payload: { name: reference, features: FEATURES, entities } });
        expect(saved.statusCode).toBe(201);
        const [a, b] = [`tessera_datasets."${survivor}@1"`, `tessera_datasets."${reference}@1"`];
        const compare = await t.dataSource.query<{ differing: string }[]>(
          `SELECT count(*) AS differing FROM ((SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b}) UNION ALL (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a})) d`,
        );
        expect(compare[0].differing).toBe('0');
        const [{ n }] = await t.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${a}`);
        expect(Number(n)).toBe(ROWS);
        // An uploaded spine's kept table went with the job's success.
        expect(await t.dataSource.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'tessera_datasets' AND tablename LIKE '\\_spine\\_%'`)).toEqual([]);
        // Fetched through the second process, the result downloads as Arrow.
        const download = await fetch(`${second.baseUrl}/v1/training-datasets/${survivor}/versions/1/rows`, { headers: { authorization: `Bearer ${t.adminKey}`, accept: 'application/vnd.apache.arrow.stream' } });
        expect(download.status).toBe(200);
        expect((await download.arrayBuffer()).byteLength).toBeGreaterThan(ROWS * 8);
      } finally {
        // The next case starts from a first replica again: this one must not claim its job.
        await stopProcess(second.proc);
      }
    },
    300_000,
  );
});
