import { randomBytes } from 'node:crypto';
import { TesseraConfig } from '../../src/config/tessera-config';
import { createApp } from '../../src/create-app';
import { MaterializationScheduler } from '../../src/features/materialization/materialization-scheduler';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { hourlyView, ingestDriverRows, servingMeshFiles } from '../fixtures/serving-mesh';
import { startTestApp, TestApp } from '../support/test-app';

const prefix = `test:${randomBytes(6).toString('hex')}:`;
const JOB_FIELDS = 'id featureViews incremental trigger startTs endTs status rowsRead rowsWritten progress error createdAt startedAt finishedAt';

describe('materialization: Feast routes, GraphQL, jobs and schedules', () => {
  let t: TestApp;
  let store: OnlineStore;
  const apply = async (files: { path: string; content: string }[]) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files, dryRun: false } });
    expect(res.statusCode).toBe(200);
  };
  const post = (url: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url, payload });
  const conv = async (ids: number[]) => (await post('/get-online-features', { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: ids } })).json().results[1].values as unknown[];

  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', TESSERA_REDIS_PREFIX: prefix });
    store = t.app.get<OnlineStore>(ONLINE_STORE);
    await apply(servingMeshFiles(hourlyView({ ttl: '0' })));
    await ingestDriverRows(t.app, [
      { driver_id: 1, event_timestamp: new Date('2024-01-01T10:00:00Z'), conv_rate: 0.1 },
      { driver_id: 1, event_timestamp: new Date('2024-01-02T10:00:00Z'), conv_rate: 0.2 },
      { driver_id: 2, event_timestamp: new Date('2024-01-03T10:00:00Z'), conv_rate: 0.3 },
    ]);
  });
  afterAll(async () => {
    await store.deleteAll();
    await t.close();
  });

  it('POST /materialize answers the finished job; zone-less timestamps are UTC, like Feast', async () => {
    const res = await post('/materialize', { start_ts: '2024-01-01T00:00:00', end_ts: '2024-01-02T00:00:00', feature_views: ['driver_hourly_stats'] });
    expect(res.statusCode).toBe(200);
    expect(res.json().job).toMatchObject({
      featureViews: ['driver_hourly_stats'],
      incremental: false,
      trigger: 'api',
      startTs: '2024-01-01T00:00:00.000Z',
      endTs: '2024-01-02T00:00:00.000Z',
      status: 'succeeded',
      rowsRead: 1,
      rowsWritten: 1,
      progress: 1,
      error: null,
    });
    expect(await conv([1, 2])).toEqual([0.1, null]);
  });

  it('POST /materialize-incremental continues from each view’s watermark; all online views by default', async () => {
    const first = (await post('/materialize-incremental', { end_ts: '2024-01-03T00:00:00Z' })).json().job;
    expect(first).toMatchObject({ featureViews: ['driver_hourly_stats', 'driver_lifetime', 'driver_vehicle'], incremental: true, startTs: null, status: 'succeeded' });
    // driver_hourly_stats from its watermark 2024-01-02 (entity 1); driver_lifetime from the beginning
    // (entity 1; entity 2 is at 2024-01-03T10); driver_vehicle has no row with a vehicle.
    expect(first.rowsRead).toBe(1 + 1 + 0);
    expect(await conv([1, 2])).toEqual([0.2, null]);
    const second = (await post('/materialize-incremental', { end_ts: '2024-02-01T00:00:00Z', feature_views: ['driver_hourly_stats'] })).json().job;
    expect(second.rowsRead).toBe(1);
    expect(await conv([1, 2])).toEqual([0.2, 0.3]);
  });

  it('refuses bad requests by field, unknown and offline-only views by name', async () => {
    const bad = await post('/materialize', { start_ts: 'yesterday', feature_views: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.map((d: { field: string }) => d.field)
        .sort(),
    ).toEqual(['end_ts', 'feature_views', 'start_ts']);
    const reversed = await post('/materialize', { start_ts: '2024-01-02T00:00:00Z', end_ts: '2024-01-01T00:00:00Z' });
    expect(reversed.json().error).toMatchObject({ code: 'INVALID_REQUEST', message: 'start_ts must be before end_ts' });
    const unknown = await post('/materialize-incremental', { end_ts: '2024-01-01T00:00:00Z', feature_views: ['nope'] });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ code: 'FEATURE_VIEW_NOT_FOUND', message: 'feature view nope not found' });
    const offline = await post('/materialize-incremental', { end_ts: '2024-01-01T00:00:00Z', feature_views: ['driver_offline_only'] });
    expect(offline.statusCode).toBe(400);
    expect(offline.json().error.message).toMatch(/driver_offline_only not online/);
  });

  it('materializes and lists jobs over GraphQL', async () => {
    const m = await t.gql<{ materialize: Record<string, unknown> }>(`mutation { materialize(startTs: "2023-01-01T00:00:00Z", endTs: "2023-02-01T00:00:00Z", featureViews: ["driver_lifetime"]) { ${JOB_FIELDS} } }`);
    expect(m.errors).toBeUndefined();
    expect(m.data!.materialize).toMatchObject({ featureViews: ['driver_lifetime'], status: 'succeeded', rowsRead: 0, startTs: '2023-01-01T00:00:00.000Z' });
    const inc = await t.gql<{ materializeIncremental: { id: string; incremental: boolean } }>(
      `mutation { materializeIncremental(endTs: "2024-02-01T00:00:00Z", featureViews: ["driver_lifetime"]) { id incremental } }`,
    );
    expect(inc.data!.materializeIncremental.incremental).toBe(true);
    const one = await t.gql<{ materializationJob: { id: string; status: string } }>(`query($id: ID!) { materializationJob(id: $id) { id status } }`, { id: inc.data!.materializeIncremental.id });
    expect(one.data!.materializationJob).toEqual({ id: inc.data!.materializeIncremental.id, status: 'succeeded' });
    const list = await t.gql<{ materializationJobs: { id: string }[] }>(`{ materializationJobs(first: 2) { id } }`);
    expect(list.data!.materializationJobs.map((j) => j.id)).toEqual([inc.data!.materializeIncremental.id, (m.data!.materialize as { id: string }).id]);
    const missing = await t.gql(`{ materializationJob(id: "00000000-0000-0000-0000-000000000000") { id } }`);
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', tesseraCode: 'JOB_NOT_FOUND' });
  });

  it('runs a view’s cron schedule incrementally up to now, and stops when the schedule is removed', async () => {
    const scheduler = t.app.get(MaterializationScheduler);
    await ingestDriverRows(t.app, [{ driver_id: 3, event_timestamp: new Date(Date.now() - 60_000), conv_rate: 0.9 }]);
    await apply(servingMeshFiles(hourlyView({ ttl: '0', schedule: '* * * * * *' }))); // every second
    await scheduler.sync();
    expect(scheduler.scheduled()).toEqual({ driver_hourly_stats: '* * * * * *' });
    // Another instance on the same database starts the schedule on bootstrap.
    const config = TesseraConfig.fromEnv({ DATABASE_URL: t.db.url, TESSERA_APPLY_ON_START: 'false', TESSERA_REDIS_PREFIX: prefix });
    const other = await createApp(config, t.dataSource, { logger: false });
    try {
      expect(other.get(MaterializationScheduler).scheduled()).toEqual({ driver_hourly_stats: '* * * * * *' });
    } finally {
      await other.close();
    }
    const deadline = Date.now() + 5000;
    while ((await conv([3]))[0] !== 0.9 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await conv([3])).toEqual([0.9]);
    // The online value is written before the job row is marked done: wait for the first scheduled job to finish.
    const firstScheduled = async () =>
      (await t.dataSource.query<{ status: string }[]>(`SELECT trigger, incremental, views, status FROM tessera.materialization_jobs WHERE trigger = 'schedule' ORDER BY created_at LIMIT 1`))[0];
    let job = await firstScheduled();
    while (job?.status === 'running' && Date.now() < deadline + 5000) {
      await new Promise((r) => setTimeout(r, 100));
      job = await firstScheduled();
    }
    expect(job).toEqual({ trigger: 'schedule', incremental: true, views: ['driver_hourly_stats'], status: 'succeeded' });
    await apply(servingMeshFiles(hourlyView({ ttl: '0' })));
    await scheduler.sync();
    expect(scheduler.scheduled()).toEqual({});
    await new Promise((r) => setTimeout(r, 1200)); // a tick in flight finishes
    const count = async () => Number((await t.dataSource.query(`SELECT count(*) AS n FROM tessera.materialization_jobs WHERE trigger = 'schedule'`))[0].n);
    const before = await count();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await count()).toBe(before);
  });
});
