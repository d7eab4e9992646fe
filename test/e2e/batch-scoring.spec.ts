import '../support/scoring-ort-realm';
import { randomBytes } from 'node:crypto';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { BatchScoringWorker } from '../../src/scoring/batch/batch-scoring.worker';
import { ingestDriverRows } from '../fixtures/serving-mesh';
import { MODEL_BYTES, SCORES_PORT, SCORES_PRODUCT, scoreModelDoc, scoresProduct, setUpBatchScoring } from '../fixtures/models/batch-scoring-mesh';
import { directRun, features } from '../fixtures/models/scoring-predict';
import { uploadModel } from '../fixtures/models/scoring-upload';
import { until } from '../support/local-processes';
import { startTestApp, TestApp } from '../support/test-app';

const MIN = 60_000;
const T = new Date(Date.UTC(2026, 10, 20, 12, 0, 0));
const at = (offsetMs: number) => new Date(T.getTime() + offsetMs);

interface Job {
  id: string;
  status: string;
  total: number | null;
  done: number;
  scored: number;
  rejected: number;
  inserted: number;
  onlineWritten: number | null;
  progress: number;
  attempts: number;
  error: string | null;
}

/**
 * Batch scoring (issue 14 point 1, ADR 0035) end to end on real PostgreSQL, Redis and ONNX Runtime:
 * features point-in-time as of T from the offline store, predictions into the model's port, the
 * online view refreshed for /get-online-features, idempotent repeats, typed refusals.
 */
describe('batch scoring: POST /v1/models/{name}/batch-scoring and GraphQL scoreBatch', () => {
  let t: TestApp;
  const prefix = `t:batch-scoring:${randomBytes(4).toString('hex')}:`;

  const job = async (id: string): Promise<Job> => (await t.app.inject({ method: 'GET', url: `/v1/batch-scoring-jobs/${id}` })).json<{ job: Job }>().job;
  const finished = async (id: string): Promise<Job> => {
    let last: Job | undefined;
    await until(
      `job ${id} to finish`,
      async () => {
        last = await job(id);
        return last.status === 'succeeded' || last.status === 'failed';
      },
      60_000,
      50,
    );
    return last!;
  };
  const request = (body: Record<string, unknown>, name = 'driver_score') => t.app.inject({ method: 'POST', url: `/v1/models/${name}/batch-scoring`, payload: body });
  const predictions = async () =>
    t.dataSource.query<{ driver_id: number; as_of: Date; model: string; model_version: string; probability: number }[]>(
      `SELECT driver_id::int, as_of, model, model_version, probability FROM dom_rides.rides_driver_scores__predictions__v1 ORDER BY driver_id, as_of`,
    );

  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', TESSERA_ONLINE_STORE: 'redis', TESSERA_REDIS_PREFIX: prefix, TESSERA_BATCH_SCORING_CHUNK_ROWS: '3' });
    await setUpBatchScoring(t);
    await ingestDriverRows(t.app, [
      // driver 1: the row as of T is the 30-minute old one; the newer one (after T) must not be used.
      { driver_id: 1, event_timestamp: at(-30 * MIN), conv_rate: 0.5, avg_daily_trips: 10 },
      { driver_id: 1, event_timestamp: at(+30 * MIN), conv_rate: 0.99, avg_daily_trips: 99 },
      // driver 2: conv_rate older than the view's 2 h ttl at T → missing → rejected (onMissing: reject).
      { driver_id: 2, event_timestamp: at(-3 * 60 * MIN), conv_rate: 0.25, avg_daily_trips: 4 },
      // driver 3 also has an older row: it loses point-in-time and does not make driver 3 a second entity.
      { driver_id: 3, event_timestamp: at(-90 * MIN), conv_rate: 0.9, avg_daily_trips: 90 },
      // drivers 3..7: plain rows before T.
      ...[3, 4, 5, 6, 7].map((d) => ({ driver_id: d, event_timestamp: at(-d * MIN), conv_rate: d / 10, avg_daily_trips: d })),
      // driver 8 exists only after T: not in the population as of T.
      { driver_id: 8, event_timestamp: at(+MIN), conv_rate: 0.8, avg_daily_trips: 8 },
    ]);
  }, 120_000);
  afterAll(async () => {
    if (!t) return;
    await t.app.get<OnlineStore>(ONLINE_STORE).deleteAll();
    await t.close();
  });

  it('derives the predictions contract from the version: entity keys, as_of, model, model_version, outputs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/models/driver_score/versions/1.0.0/predictions-contract' });
    expect(res.statusCode).toBe(200);
    const props = res.json().schema[0].properties as { name: string; logicalType: string; primaryKey?: boolean; required: boolean }[];
    expect(props.map((p) => [p.name, p.logicalType, p.primaryKey ?? false, p.required])).toEqual([
      ['driver_id', 'integer', true, true],
      ['as_of', 'timestamp', true, true],
      ['model', 'string', true, true],
      ['model_version', 'string', true, true],
      ['probability', 'number', false, false],
    ]);
    expect(res.json().id).toBe('rides-driver-scores-predictions-v1');
  });

  it('scores the population as of T with point-in-time offline features, equal to a direct ONNX run', async () => {
    const res = await request({ as_of: T.toISOString() });
    expect(res.statusCode).toBe(202);
    const done = await finished(res.json().job.id);
    expect(done).toMatchObject({ status: 'succeeded', total: 7, done: 7, scored: 6, rejected: 1, inserted: 6, progress: 1, attempts: 1, error: null });
    const rows = await predictions();
    expect(rows.map((r) => r.driver_id)).toEqual([1, 3, 4, 5, 6, 7]); // 2 rejected (stale), 8 not yet there at T
    expect(rows.every((r) => r.as_of.getTime() === T.getTime() && r.model === 'driver_score' && r.model_version === '1.0.0')).toBe(true);
    // The reference: the values as of T (driver 1's later 0.99/99 row must not count) through onnxruntime directly.
    const want = await directRun(MODEL_BYTES, { features: features([[0.5, 10], ...[3, 4, 5, 6, 7].map((d) => [d / 10, d])]) });
    expect(rows.map((r) => r.probability)).toEqual(want.map((p) => Math.fround(p)));
  });

  it('refreshes the online view: consumers read the precomputed score through /get-online-features', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/get-online-features', payload: { features: ['driver_scores:probability', 'driver_scores:model_version'], entities: { driver_id: [1, 2] } } });
    expect(res.statusCode).toBe(200);
    const [, probability, version] = res.json().results as { values: unknown[]; statuses: string[] }[];
    expect(probability.statuses[0]).toBe('PRESENT');
    expect(probability.values[0]).toBeCloseTo((await predictions())[0].probability, 6);
    expect(version.values[0]).toBe('1.0.0');
    expect(probability.statuses[1]).toBe('NOT_FOUND'); // driver 2 was not scored
  });

  it('is idempotent: the same version and as-of again inserts nothing and leaves the same rows', async () => {
    const before = await predictions();
    const res = await request({ as_of: T.toISOString(), version: '1.0.0' });
    expect(res.statusCode).toBe(202);
    const done = await finished(res.json().job.id);
    expect(done).toMatchObject({ status: 'succeeded', scored: 6, inserted: 0 });
    expect(await predictions()).toEqual(before);
  });

  it('scores a given entity list over GraphQL; a later as-of adds rows beside the earlier ones', async () => {
    const later = at(+60 * MIN);
    const r = await t.gql<{ scoreBatch: Job }>(`mutation($asOf: DateTime!) { scoreBatch(name: "driver_score", asOf: $asOf, entities: { driver_id: [1, 8] }) { id status } }`, { asOf: later.toISOString() });
    expect(r.errors).toBeUndefined();
    const done = await finished(r.data!.scoreBatch.id);
    expect(done).toMatchObject({ status: 'succeeded', total: 2, scored: 2, inserted: 2 });
    const q = await t.gql<{ batchScoringJob: { entityCount: number; status: string } }>(`query($id: ID!) { batchScoringJob(id: $id) { entityCount status } }`, { id: done.id });
    expect(q.data?.batchScoringJob).toEqual({ entityCount: 2, status: 'succeeded' });
    const rows = (await predictions()).filter((p) => p.as_of.getTime() === later.getTime());
    const want = await directRun(MODEL_BYTES, {
      features: features([
        [0.99, 99],
        [0.8, 8],
      ]),
    });
    expect(rows.map((p) => [p.driver_id, p.probability])).toEqual([
      [1, Math.fround(want[0])],
      [8, Math.fround(want[1])],
    ]);
    const list = await t.app.inject({ method: 'GET', url: '/v1/models/driver_score/batch-scoring?first=2' });
    expect(list.json().jobs.map((j: Job) => j.id)).toEqual([done.id, expect.any(String)]);
  });

  it('refuses bad requests with typed errors naming the field, and stores no job', async () => {
    const count = async () => Number((await t.dataSource.query(`SELECT count(*) AS n FROM tessera.batch_scoring_jobs`))[0].n);
    const before = await count();
    const unknownKey = await request({ as_of: T.toISOString(), entities: { customer_id: [1] } });
    expect(unknownKey.statusCode).toBe(400);
    expect(unknownKey.json().error.code).toBe('INVALID_BATCH_REQUEST');
    expect(unknownKey.json().error.details).toEqual(
      expect.arrayContaining([
        { field: 'entities.customer_id', reason: expect.stringContaining('not a join key') },
        { field: 'entities.driver_id', reason: expect.stringContaining('missing') },
      ]),
    );
    const badValue = await request({ entities: { driver_id: [1, 'x'] } });
    expect(badValue.json().error.details).toEqual([{ field: 'entities.driver_id[1]', reason: expect.stringContaining('integer') }]);
    const badTime = await request({ as_of: 'yesterday' });
    expect(badTime.statusCode).toBe(400);
    const unknownVersion = await request({ version: '9.9.9' });
    expect(unknownVersion.statusCode).toBe(404);
    // A version without batchScoring cannot be batch scored: 409 naming the field.
    const { batchScoring: _b, ...plain } = scoreModelDoc({ name: 'driver_plain' });
    expect((await uploadModel(t, plain, MODEL_BYTES)).status).toBe(201);
    const none = await request({}, 'driver_plain');
    expect(none.statusCode).toBe(409);
    expect(none.json().error).toMatchObject({ code: 'BATCH_SCORING_UNAVAILABLE', details: [{ field: 'batchScoring', reason: expect.stringContaining('declares no batchScoring') }] });
    // A port whose contract does not fit the outputs is refused before anything runs.
    expect((await uploadModel(t, scoreModelDoc({ name: 'driver_misfit', batchScoring: { output: { dataProduct: 'rides-driver-stats', outputPort: 'hourly' } } }), MODEL_BYTES)).status).toBe(201);
    const misfit = await request({}, 'driver_misfit');
    expect(misfit.statusCode).toBe(409);
    expect(misfit.json().error.message).toMatch(/does not fit the predictions of driver_misfit 1.0.0: no column as_of/);
    expect(await count()).toBe(before);
    expect((await t.app.inject({ method: 'GET', url: '/v1/batch-scoring-jobs/00000000-0000-0000-0000-000000000000' })).statusCode).toBe(404);
  });

  it('a model of another domain scores only under its own access agreements to the feature ports, checked again at every run', async () => {
    const product = 'fraud-driver-scores';
    const doc = scoreModelDoc({ name: 'fraud_driver_score', domain: 'fraud', batchScoring: { output: { dataProduct: product, outputPort: SCORES_PORT } } });
    // The fraud domain comes into the catalog with its first product.
    const home = `apiVersion: v1.0.0\nkind: DataProduct\nid: fraud-cases\nname: Fraud cases\ndomain: fraud\nstatus: active\n`;
    expect((await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: [{ path: 'contracts/fraud/fraud-cases.odps.yaml', content: home }] } })).statusCode).toBe(200);
    expect((await uploadModel(t, doc, MODEL_BYTES)).status).toBe(201);
    const contract = await t.app.inject({ method: 'GET', url: '/v1/models/fraud_driver_score/versions/1.0.0/predictions-contract?format=yaml' });
    expect(contract.statusCode).toBe(200);
    const productDoc = scoresProduct.replace(`id: ${SCORES_PRODUCT}`, `id: ${product}`).replace('domain: rides', 'domain: fraud').replace(`contractId: ${SCORES_PRODUCT}-`, `contractId: ${product}-`);
    const applied = await t.app.inject({
      method: 'POST',
      url: '/v1/contracts/apply',
      payload: {
        files: [
          { path: `contracts/fraud/${product}.odps.yaml`, content: productDoc },
          { path: `contracts/fraud/${product}/predictions.odcs.yaml`, content: contract.body },
        ],
      },
    });
    expect(applied.statusCode).toBe(200);
    const jobsOf = async () => Number((await t.dataSource.query(`SELECT count(*) AS n FROM tessera.batch_scoring_jobs WHERE model = 'fraud_driver_score'`))[0].n);

    // The features come from the rides domain's ports: without the model's agreements, refused and nothing queued.
    const refused = await request({ as_of: T.toISOString(), entities: { driver_id: [1, 3] } }, 'fraud_driver_score');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('ACCESS_AGREEMENT_REQUIRED');
    const missing = (refused.json().error.details as { missing: { dataProduct: string; outputPort: string }[] }).missing;
    const ports = [...new Map(missing.map((m) => [`${m.dataProduct}/${m.outputPort}`, m])).values()];
    expect(ports.length).toBeGreaterThan(0);
    expect(ports.every((p) => p.dataProduct === 'rides-driver-stats')).toBe(true);
    expect(await jobsOf()).toBe(0);

    // The owning domain grants the model (consumer kind model) each port: the job runs.
    const ids: string[] = [];
    for (const p of ports) {
      const asked = await t.gql<{ requestAccess: { id: string } }>(`mutation($i: AccessRequestInput!) { requestAccess(input: $i) { id } }`, {
        i: { consumer: { id: 'fraud_driver_score', kind: 'model' }, dataProduct: p.dataProduct, outputPort: p.outputPort, purpose: 'fraud scoring', endDate: new Date(Date.now() + 30 * 86_400_000).toISOString() },
      });
      expect(asked.errors).toBeUndefined();
      ids.push(asked.data!.requestAccess.id);
      expect((await t.gql(`mutation { approveAccess(id: "${asked.data!.requestAccess.id}") { status } }`)).errors).toBeUndefined();
    }
    const allowed = await request({ as_of: T.toISOString(), entities: { driver_id: [1, 3] } }, 'fraud_driver_score');
    expect(allowed.statusCode).toBe(202);
    expect(await finished(allowed.json().job.id)).toMatchObject({ status: 'succeeded', scored: 2 });

    // A job queued while the agreements held (as a cron tick would have) fails when it runs after they are revoked.
    for (const id of ids) expect((await t.gql(`mutation { revokeAccess(id: "${id}", reason: "test") { status } }`)).errors).toBeUndefined();
    const [{ id: queuedId }] = await t.dataSource.query<{ id: string }[]>(
      `INSERT INTO tessera.batch_scoring_jobs (id, model, version, as_of, population_key, trigger, status, requested_by)
       VALUES (gen_random_uuid(), 'fraud_driver_score', '1.0.0', $1, 'all', 'schedule', 'queued', 'schedule') RETURNING id`,
      [at(+5 * MIN)],
    );
    t.app.get(BatchScoringWorker).kick();
    const failed = await finished(queuedId);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/model:fraud_driver_score holds no approved access agreement for rides-driver-stats\//);
  });

  it('a cron in the Model document queues one job per tick as of the tick time, on any number of replicas', async () => {
    const bad = await uploadModel(t, scoreModelDoc({ name: 'driver_nightly', batchScoring: { output: { dataProduct: 'rides-driver-scores', outputPort: 'predictions' }, schedule: 'every night' } }), MODEL_BYTES);
    expect(bad.status).toBe(400);
    expect(bad.body.error?.details).toEqual([{ field: 'metadata.batchScoring.schedule', reason: expect.stringContaining('cron') }]);
    const doc = scoreModelDoc({ name: 'driver_nightly', batchScoring: { output: { dataProduct: 'rides-driver-scores', outputPort: 'predictions' }, schedule: '0 3 * * *' } });
    expect((await uploadModel(t, doc, MODEL_BYTES)).status).toBe(201);
    const worker = t.app.get(BatchScoringWorker);
    await worker.sync();
    expect(worker.scheduled()).not.toHaveProperty('driver_nightly'); // only production versions are scheduled
    expect((await t.gql(`mutation { setModelStage(name: "driver_nightly", version: "1.0.0", stage: production) { stage } }`)).errors).toBeUndefined();
    await worker.sync();
    expect(worker.scheduled()).toMatchObject({ driver_nightly: '1.0.0 0 3 * * *' });
    // Two replicas fire the same tick (sub-second apart): one job, as of the tick time.
    const tick = at(+30 * MIN + 250);
    await Promise.all([worker.tick('driver_nightly', '1.0.0', tick), worker.tick('driver_nightly', '1.0.0', new Date(tick.getTime() + 400))]);
    const jobs = await t.dataSource.query<{ id: string; as_of: Date; trigger: string; requested_by: string }[]>(
      `SELECT id, as_of, trigger, requested_by FROM tessera.batch_scoring_jobs WHERE model = 'driver_nightly'`,
    );
    expect(jobs).toEqual([{ id: expect.any(String), as_of: at(+30 * MIN), trigger: 'schedule', requested_by: 'schedule' }]);
    worker.kick();
    expect(await finished(jobs[0].id)).toMatchObject({ status: 'succeeded', scored: 7 }); // drivers 1, 3..8 as of T+30min
    await worker.tick('driver_nightly', '1.0.0', tick); // a late replica after the job finished: still one job
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM tessera.batch_scoring_jobs WHERE model = 'driver_nightly'`))[0].n).toBe(1);
  });

  it('a worker resumes a job whose lease ran out after the recorded cursor', async () => {
    const worker = t.app.get(BatchScoringWorker);
    // A job "claimed" by a process that died after two chunks: running, lease expired, cursor at driver 4.
    const asOf = at(+45 * MIN);
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO tessera.batch_scoring_jobs (id, model, version, as_of, population_key, trigger, status, total, done, scored, inserted, cursor, attempts, lease_owner, lease_until, requested_by)
       VALUES (gen_random_uuid(), 'driver_score', '1.0.0', $1, 'all', 'api', 'running', 8, 3, 3, 3, '[4]', 1, 'dead:1', now() - interval '1 second', 'test') RETURNING id`,
      [asOf],
    );
    // This app's worker polls too: whichever of its claims gets the job first, it finishes once.
    worker.kick();
    const done = await finished(id);
    // total: the 3 recorded plus the 4 drivers after the cursor as of T+45min (5, 6, 7 and 8).
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2, total: 7, done: 7 });
    // Only drivers after the cursor were scored by this run.
    const rows = (await predictions()).filter((p) => p.as_of.getTime() === asOf.getTime());
    expect(rows.map((p) => p.driver_id)).toEqual([5, 6, 7, 8]);
  });
});
