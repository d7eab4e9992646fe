import { Int32, Int64, makeData, makeVector, Table, tableFromIPC, tableToIPC, TimestampMicrosecond, vectorFromArray } from 'apache-arrow';
import { RetrievalJobWorker } from '../../src/features/datasets/retrieval-job.worker';
import { hourlyRows, pitMeshFiles } from '../support/pit-mesh';
import { until } from '../support/local-processes';
import { startTestApp, TestApp } from '../support/test-app';
import { labelRows, labelsFiles } from '../support/labels-port';

const ARROW = 'application/vnd.apache.arrow.stream';
const FEATURES = ['driver_hourly:trips_today', 'driver_hourly:conv_rate'];
/** Below it a request runs in place; from it on it is a job (this suite's TESSERA_RETRIEVAL_JOB_ROWS). */
const JOB_ROWS = 50;

/** A spine of `n` rows over the fixture drivers (and one unknown), times across the fixture hours. */
function spine(n: number): { driver_id: number[]; event_timestamp: string[]; label: (number | null)[] } {
  const ids = [1001, 1002, 4242];
  return {
    driver_id: Array.from({ length: n }, (_, i) => ids[i % 3]),
    event_timestamp: Array.from({ length: n }, (_, i) => new Date(Date.UTC(2021, 3, 12, 7, 0, 0) + i * 97_000).toISOString()),
    label: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : i % 2)),
  };
}

/** The spine as an Arrow IPC stream (record batches of 16 rows). */
function arrowSpine(e: ReturnType<typeof spine>): Uint8Array {
  const n = e.driver_id.length;
  const micros = BigInt64Array.from(e.event_timestamp, (t) => BigInt(Date.parse(t)) * 1000n);
  const batches = [];
  for (let from = 0; from < n; from += 16) {
    const to = Math.min(n, from + 16);
    batches.push(
      ...new Table({
        driver_id: vectorFromArray(
          e.driver_id.slice(from, to).map((v) => BigInt(v)),
          new Int64(),
        ),
        event_timestamp: makeVector(makeData({ type: new TimestampMicrosecond('UTC'), length: to - from, nullCount: 0, data: micros.slice(from, to) })),
        label: vectorFromArray(e.label.slice(from, to), new Int32()),
      }).batches,
    );
  }
  return tableToIPC(new Table(batches), 'stream');
}

/**
 * Retrieval jobs (issue 18, ADR 0028), in process: the worker of this app is not started
 * (TESSERA_RETRIEVAL_JOBS_RUN=false) but polled by the tests, so each step is deterministic. The kill
 * of a replica mid-job is test/faults/retrieval-job-killed.spec.ts.
 */
describe('retrieval jobs', () => {
  let t: TestApp;
  let worker: RetrievalJobWorker;
  const job = async (id: string, key?: string) => (key ? t.as(key) : t.app).inject({ method: 'GET', url: `/v1/retrieval-jobs/${id}` });
  const rows = async (name: string, version: number | string) => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/training-datasets/${name}/versions/${version}/rows?limit=100000` });
    expect(res.statusCode).toBe(200);
    return res.json().columns as Record<string, unknown[]>;
  };

  beforeAll(async () => {
    t = await startTestApp({ TESSERA_RETRIEVAL_JOBS_RUN: 'false', TESSERA_RETRIEVAL_JOB_ROWS: String(JOB_ROWS), TESSERA_RETRIEVAL_JOB_CHUNK_ROWS: '7' });
    worker = t.app.get(RetrievalJobWorker);
    const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: [...pitMeshFiles(), ...labelsFiles] } });
    expect(applied.statusCode).toBe(200);
    for (const [url, body] of [
      ['/v1/data-products/pit-driver-stats/ports/hourly/rows', hourlyRows],
      ['/v1/data-products/pit-trip-labels/ports/labels/rows', labelRows],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-ndjson' }, payload: body.map((r) => JSON.stringify(r)).join('\n') });
      expect(res.json()).toMatchObject({ inserted: body.length });
    }
  });
  afterAll(() => t.close());

  it('answers 202 on request, reports progress, and keeps the result as the version a synchronous save would store', async () => {
    const entities = spine(40);
    const direct = await t.app.inject({ method: 'POST', url: '/v1/training-datasets', payload: { name: 'direct', features: FEATURES, entities } });
    expect(direct.statusCode).toBe(201);

    const res = await t.app.inject({ method: 'POST', url: '/v1/training-datasets', payload: { name: 'queued', features: FEATURES, entities, async: true } });
    expect(res.statusCode).toBe(202);
    const queued = res.json().job;
    expect(res.headers.location).toBe(`/v1/retrieval-jobs/${queued.id}`);
    expect(queued).toMatchObject({ kind: 'training-dataset', status: 'queued', rowsDone: 0, rowsTotal: 40, progress: 0, datasetName: 'queued', datasetVersion: null, resultUrl: null, attempts: 0 });
    expect((await t.app.inject({ method: 'GET', url: '/v1/training-datasets?name=queued' })).json().trainingDatasets).toEqual([]);

    // Every progress write, as PostgreSQL saw it (a trigger in this suite's own database).
    await t.dataSource.query(`CREATE TABLE public.progress_log (at serial, job uuid, status text, rows_done bigint, rows_total bigint)`);
    await t.dataSource.query(`CREATE FUNCTION public.log_progress() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO public.progress_log (job, status, rows_done, rows_total) VALUES (NEW.id, NEW.status, NEW.rows_done, NEW.rows_total); RETURN NEW; END $$`);
    await t.dataSource.query(`CREATE TRIGGER log_progress AFTER UPDATE OF rows_done ON tessera.retrieval_jobs FOR EACH ROW EXECUTE FUNCTION public.log_progress()`);
    expect(await worker.poll()).toBe(true);
    await t.dataSource.query(`DROP TRIGGER log_progress ON tessera.retrieval_jobs`);
    const log = await t.dataSource.query<{ status: string; rows_done: string; rows_total: string }[]>(`SELECT status, rows_done, rows_total FROM public.progress_log WHERE job = $1 ORDER BY at`, [queued.id]);
    // Claimed (0), before the first step (0), after each step of TESSERA_RETRIEVAL_JOB_CHUNK_ROWS = 7 rows, then succeeded.
    expect(log.map((r) => [r.status, Number(r.rows_done), Number(r.rows_total)])).toEqual([['running', 0, 40], ...[0, 7, 14, 21, 28, 35, 40].map((n) => ['running', n, 40]), ['succeeded', 40, 40]]);
    const done = (await job(queued.id)).json().job;
    expect(done).toMatchObject({ status: 'succeeded', rowsDone: 40, rowsTotal: 40, progress: 1, datasetVersion: 1, resultUrl: '/v1/training-datasets/queued/versions/1/rows', attempts: 1, error: null });
    expect(await rows('queued', 1)).toEqual(await rows('direct', 1));
    // The spine is kept only while the job may run; the rest of the request stays for the record.
    const [kept] = await t.dataSource.query<{ request: { name: string; retrieval: { entities: object; features: string[] } } }[]>(`SELECT request FROM tessera.retrieval_jobs WHERE id = $1`, [queued.id]);
    expect(kept.request).toMatchObject({ name: 'queued', retrieval: { entities: {}, features: FEATURES } });

    // The result downloads as Arrow like any dataset.
    const arrow = await t.app.inject({ method: 'GET', url: done.resultUrl, headers: { accept: ARROW } });
    expect(arrow.headers['content-type']).toBe(ARROW);
    expect(tableFromIPC(arrow.rawPayload).numRows).toBe(40);
  });

  it('runs a request as a job from TESSERA_RETRIEVAL_JOB_ROWS rows on, also POST /v1/historical-features (kept as a dataset)', async () => {
    const entities = spine(JOB_ROWS);
    const inPlace = await t.app.inject({ method: 'POST', url: '/v1/historical-features', payload: { features: FEATURES, entities: spine(JOB_ROWS - 1) } });
    expect(inPlace.statusCode).toBe(200);
    const res = await t.app.inject({ method: 'POST', url: '/v1/historical-features', headers: { accept: ARROW }, payload: { features: FEATURES, entities } });
    expect(res.statusCode).toBe(202);
    const queued = res.json().job;
    expect(queued).toMatchObject({ kind: 'historical-features', status: 'queued', rowsTotal: JOB_ROWS, datasetName: expect.stringMatching(/^retrieval-[0-9a-f]{32}$/) });
    expect(await worker.poll()).toBe(true);
    const done = (await job(queued.id)).json().job;
    expect(done).toMatchObject({ status: 'succeeded', datasetVersion: 1 });
    const kept = await rows(done.datasetName, 1);
    const answered = (await t.app.inject({ method: 'POST', url: '/v1/historical-features', payload: { features: FEATURES, entities: spine(JOB_ROWS - 1) } })).json().columns;
    for (const name of Object.keys(answered)) expect(kept[name].slice(0, JOB_ROWS - 1)).toEqual(answered[name]);
  });

  it('runs an Arrow upload as a job from the rows COPYed at upload (kept in a table until the job ends, not in the job JSON)', async () => {
    const keptTables = async () =>
      (await t.dataSource.query<{ tablename: string }[]>(`SELECT tablename FROM pg_tables WHERE schemaname = 'tessera_datasets' AND tablename LIKE '\\_spine\\_%'`)).map((r) => r.tablename);
    const upload = (url: string, query: string, body: Uint8Array, accept = 'application/json') =>
      t.app.inject({ method: 'POST', url: `${url}?${FEATURES.map((f) => `features=${encodeURIComponent(f)}`).join('&')}&${query}`, headers: { 'content-type': ARROW, accept }, payload: Buffer.from(body) });
    const entities = spine(40);
    const direct = await t.app.inject({ method: 'POST', url: '/v1/training-datasets', payload: { name: 'upload_direct', features: FEATURES, entities } });
    expect(direct.statusCode).toBe(201);

    const res = await upload('/v1/training-datasets', 'name=upload_job&async=true', arrowSpine(entities));
    expect(res.statusCode).toBe(202);
    const queued = res.json().job;
    expect(queued).toMatchObject({ kind: 'training-dataset', status: 'queued', rowsTotal: 40 });
    const [{ request }] = await t.dataSource.query<{ request: { retrieval: { entities: object }; staged: { schema: string; table: string; rowCount: number } } }[]>(
      `SELECT request FROM tessera.retrieval_jobs WHERE id = $1`,
      [queued.id],
    );
    // The job's JSON names the kept table; the rows are there, not in the JSON.
    expect(request.retrieval.entities).toEqual({});
    expect(request.staged).toMatchObject({ schema: 'tessera_datasets', rowCount: 40 });
    expect(await keptTables()).toEqual([request.staged.table]);
    const [{ n }] = await t.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM tessera_datasets.${JSON.stringify(request.staged.table)}`);
    expect(Number(n)).toBe(40);

    expect(await worker.poll()).toBe(true);
    expect((await job(queued.id)).json().job).toMatchObject({ status: 'succeeded', datasetVersion: 1, rowsDone: 40 });
    expect(await rows('upload_job', 1)).toEqual(await rows('upload_direct', 1));
    // Gone with the job's success, and from its kept request.
    expect(await keptTables()).toEqual([]);
    const [after] = await t.dataSource.query<{ request: object }[]>(`SELECT request FROM tessera.retrieval_jobs WHERE id = $1`, [queued.id]);
    expect(after.request).not.toHaveProperty('staged');

    // From TESSERA_RETRIEVAL_JOB_ROWS uploaded rows on, POST /v1/historical-features queues a job too; cancelled queued, its table goes.
    const big = await upload('/v1/historical-features', '', arrowSpine(spine(JOB_ROWS)), ARROW);
    expect(big.statusCode).toBe(202);
    expect(big.json().job).toMatchObject({ kind: 'historical-features', rowsTotal: JOB_ROWS });
    expect(await keptTables()).toHaveLength(1);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/retrieval-jobs/${big.json().job.id}` })).json().job.status).toBe('cancelled');
    expect(await keptTables()).toEqual([]);
  });

  it('cancels a queued job at once, and a running one at its next step without keeping anything', async () => {
    const submit = async (name: string) => (await t.app.inject({ method: 'POST', url: '/v1/training-datasets', payload: { name, features: FEATURES, entities: spine(30), async: true } })).json().job;
    const first = await submit('cancel_queued');
    const cancelled = await t.app.inject({ method: 'DELETE', url: `/v1/retrieval-jobs/${first.id}` });
    expect(cancelled.json().job).toMatchObject({ status: 'cancelled', cancelRequested: true });
    expect(await worker.poll()).toBe(false); // nothing left to run

    const second = await submit('cancel_running');
    const running = worker.poll();
    await until('the job to have joined some rows', async () => (await job(second.id)).json().job.rowsDone > 0, 30_000, 1);
    const res = await t.app.inject({ method: 'POST', url: `/v1/retrieval-jobs/${second.id}/cancel` });
    expect(res.statusCode).toBe(200);
    const cancelledAt = res.json().job.rowsDone as number;
    await running;
    const after = (await job(second.id)).json().job;
    // Either stopped at a step, or it had already committed its last step when the flag landed.
    if (after.status === 'cancelled') {
      expect(after).toMatchObject({ cancelRequested: true, datasetVersion: null });
      expect((await t.app.inject({ method: 'GET', url: '/v1/training-datasets?name=cancel_running' })).json().trainingDatasets).toEqual([]);
    } else {
      expect(after.status).toBe('succeeded');
      expect(cancelledAt).toBe(30);
    }

    const finished = await t.app.inject({ method: 'DELETE', url: `/v1/retrieval-jobs/${second.id}` });
    expect(finished.json().job.status).toBe(after.status); // a finished job stays as it ended
  });

  it('shows a job only to its submitter (404 to anyone else) and names a bad id', async () => {
    const mine = (await t.app.inject({ method: 'POST', url: '/v1/training-datasets', payload: { name: 'private', features: FEATURES, entities: spine(3), async: true } })).json().job;
    const created = await t.gql<{ createApiKey: { key: string } }>(`mutation($p: PrincipalInput!, $r: [RoleGrantInput!]) { createApiKey(principal: $p, roles: $r) { key } }`, {
      p: { id: 'person:other-analyst', kind: 'person' },
      r: [{ role: 'consumer' }],
    });
    const other = created.data!.createApiKey.key;
    for (const res of [await job(mine.id, other), await t.as(other).inject({ method: 'DELETE', url: `/v1/retrieval-jobs/${mine.id}` })]) {
      expect([res.statusCode, res.json().error?.code]).toEqual([404, 'JOB_NOT_FOUND']);
    }
    expect((await job(mine.id)).json().job.status).toBe('queued');
    const bad = await job('not-a-uuid');
    expect([bad.statusCode, bad.json().error.details]).toEqual([400, [expect.objectContaining({ field: 'id' })]]);
    const badFlag = await t.app.inject({ method: 'POST', url: '/v1/training-datasets', payload: { name: 'x', features: FEATURES, entities: spine(3), async: 'yes' } });
    expect([badFlag.statusCode, badFlag.json().error.details]).toEqual([400, [expect.objectContaining({ field: 'async' })]]);
    await t.app.inject({ method: 'DELETE', url: `/v1/retrieval-jobs/${mine.id}` });
  });

  it('GraphQL: starts, reads and cancels jobs', async () => {
    const started = await t.gql<{ startTrainingDatasetJob: { id: string; status: string; rowsTotal: number } }>(
      `mutation($i: SaveTrainingDatasetInput!) { startTrainingDatasetJob(input: $i) { id status rowsTotal } }`,
      { i: { name: 'gql_job', features: FEATURES, entities: spine(12) } },
    );
    expect(started.errors).toBeUndefined();
    const id = started.data!.startTrainingDatasetJob.id;
    expect(started.data!.startTrainingDatasetJob).toMatchObject({ status: 'queued', rowsTotal: 12 });
    expect(await worker.poll()).toBe(true);
    const read = await t.gql<{ retrievalJob: { status: string; progress: number; datasetVersion: number } }>(`query($id: ID!) { retrievalJob(id: $id) { status progress datasetVersion } }`, { id });
    expect(read.data!.retrievalJob).toEqual({ status: 'succeeded', progress: 1, datasetVersion: 1 });
    const cancel = await t.gql<{ cancelRetrievalJob: { status: string } }>(`mutation($id: ID!) { cancelRetrievalJob(id: $id) { status } }`, { id });
    expect(cancel.data!.cancelRetrievalJob.status).toBe('succeeded');
  });
});

describe('entities_from on historical retrieval (REST and GraphQL)', () => {
  let t: TestApp;
  const labelsQuery = { dataProduct: 'pit-trip-labels', outputPort: 'labels', columns: ['driver_id', 'labelled_at', 'completed'], from: '2021-04-12T00:00:00Z', to: '2021-04-13T00:00:00Z' };
  const sameSpine = {
    driver_id: [1001, 1001, 1002, 1001],
    event_timestamp: ['2021-04-12T08:30:00Z', '2021-04-12T08:30:00Z', '2021-04-12T09:15:00Z', '2021-04-12T10:00:00Z'],
    completed: [null, null, 0, 1],
  };

  beforeAll(async () => {
    t = await startTestApp({ TESSERA_RETRIEVAL_JOBS_RUN: 'false' });
    const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: [...pitMeshFiles(), ...labelsFiles] } });
    expect(applied.statusCode).toBe(200);
    for (const [url, body] of [
      ['/v1/data-products/pit-driver-stats/ports/hourly/rows', hourlyRows],
      ['/v1/data-products/pit-trip-labels/ports/labels/rows', labelRows],
    ] as const) {
      await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-ndjson' }, payload: body.map((r) => JSON.stringify(r)).join('\n') });
    }
  });
  afterAll(() => t.close());

  it('answers JSON, Arrow and GraphQL equal to the same spine sent as rows', async () => {
    const fromQuery = await t.app.inject({ method: 'POST', url: '/v1/historical-features', payload: { features: FEATURES, entities_from: labelsQuery } });
    expect(fromQuery.statusCode).toBe(200);
    const fromRows = await t.app.inject({ method: 'POST', url: '/v1/historical-features', payload: { features: FEATURES, entities: sameSpine } });
    const want = fromRows.json().columns;
    // The spine's timestamps come back as the port stores them: compare instants.
    const got = fromQuery.json().columns;
    expect(got.event_timestamp.map((s: string) => Date.parse(s))).toEqual(want.event_timestamp.map((s: string) => Date.parse(s)));
    expect({ ...got, event_timestamp: null }).toEqual({ ...want, event_timestamp: null });
    expect(got.trips_today).toEqual([3, 3, 5, 9]);

    const arrow = await t.app.inject({ method: 'POST', url: '/v1/historical-features', headers: { accept: ARROW }, payload: { features: FEATURES, entities_from: labelsQuery } });
    expect(arrow.headers['content-type']).toBe(ARROW);
    const table = tableFromIPC(arrow.rawPayload);
    expect(table.numRows).toBe(4);
    expect([...table.getChild('trips_today')!].map(Number)).toEqual([3, 3, 5, 9]);
    expect([...table.getChild('driver_id')!].map(Number)).toEqual(sameSpine.driver_id);

    const gql = await t.gql<{ historicalFeatures: { columns: Record<string, unknown[]> } }>(`query($f: [String!], $q: JSON) { historicalFeatures(features: $f, entitiesFrom: $q) { columns } }`, {
      f: FEATURES,
      q: labelsQuery,
    });
    expect(gql.errors).toBeUndefined();
    expect(gql.data!.historicalFeatures.columns.trips_today).toEqual([3, 3, 5, 9]);
  });

  it('refuses entities with entities_from, and a bad query, naming the field', async () => {
    const both = await t.app.inject({ method: 'POST', url: '/v1/historical-features', payload: { features: FEATURES, entities_from: labelsQuery, entities: sameSpine } });
    expect([both.statusCode, both.json().error.details]).toEqual([400, [{ field: 'entities', reason: 'not allowed with entities_from' }]]);
    const bad = await t.app.inject({ method: 'POST', url: '/v1/historical-features', payload: { features: FEATURES, entities_from: { ...labelsQuery, columns: ['driver_id', 'shoe_size'] } } });
    expect([bad.statusCode, bad.json().error.details]).toEqual([400, expect.arrayContaining([expect.objectContaining({ field: 'entities_from.columns' })])]);
  });
});
