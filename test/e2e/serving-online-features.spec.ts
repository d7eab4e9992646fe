import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { hourlyView, ingestDriverRows, servingMeshFiles } from '../fixtures/serving-mesh';
import { startTestApp, TestApp } from '../support/test-app';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test:${randomBytes(6).toString('hex')}:`;
const HOUR = 3_600_000;
const EPOCH = '1970-01-01T00:00:00Z';
const feastTs = (d: Date): string => d.toISOString().replace('.000Z', 'Z');

describe.each([
  ['redis', { REDIS_URL, TESSERA_REDIS_PREFIX: prefix }],
  ['postgres', { TESSERA_ONLINE_STORE: 'postgres' }],
] as const)('online serving on the %s store', (kind, env) => {
  let t: TestApp;
  let store: OnlineStore;
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const ago = (ms: number): Date => new Date(now.getTime() - ms);

  const apply = async (files: { path: string; content: string }[]) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files, dryRun: false } });
    expect(res.statusCode).toBe(200);
  };
  const post = (payload: unknown) => t.app.inject({ method: 'POST', url: '/get-online-features', payload: payload as Record<string, unknown> });

  beforeAll(async () => {
    t = await startTestApp(env);
    store = t.app.get<OnlineStore>(ONLINE_STORE);
    expect(store.kind).toBe(kind);
    // Materialized with a 1 day ttl and without acc_rate; both change below.
    await apply(servingMeshFiles(hourlyView({ ttl: '1d', features: '[conv_rate, avg_daily_trips, note]' })));
    await ingestDriverRows(t.app, [
      { driver_id: 1001, event_timestamp: ago(3 * HOUR), conv_rate: 0.1, acc_rate: 0.5, avg_daily_trips: 5, note: 'older' },
      { driver_id: 1001, vehicle_id: 7, event_timestamp: ago(HOUR / 2), created: ago(HOUR / 2), conv_rate: 0.85, acc_rate: 0.9, avg_daily_trips: 12, note: 'ok' },
      { driver_id: 1002, event_timestamp: ago(3 * HOUR), conv_rate: 0.4, acc_rate: 0.7, avg_daily_trips: 7, note: 'stale' },
      { driver_id: 1003, event_timestamp: ago(HOUR / 4), conv_rate: null, acc_rate: 0.2, avg_daily_trips: 3, note: null },
    ]);
    const mat = await t.app.inject({ method: 'POST', url: '/materialize-incremental', payload: { end_ts: new Date().toISOString() } });
    expect(mat.statusCode).toBe(200);
    expect(mat.json().job).toMatchObject({ status: 'succeeded', featureViews: ['driver_hourly_stats', 'driver_lifetime', 'driver_vehicle'], rowsRead: 7, rowsWritten: 7 });
    // Now the ttl shrinks to 2 h (1002's row is 3 h old) and acc_rate is appended.
    await apply(servingMeshFiles(hourlyView({ ttl: '2h', features: '[conv_rate, avg_daily_trips, note, acc_rate]' })));
  });
  afterAll(async () => {
    await store.deleteAll();
    await t.close();
  });

  it("answers Feast's column-major shape with per-value statuses and event timestamps", async () => {
    const res = await post({ features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:note', 'driver_lifetime:avg_daily_trips'], entities: { driver_id: [1001, 1002, 1003, 9999] } });
    expect(res.statusCode).toBe(200);
    const fresh = feastTs(ago(HOUR / 2));
    const stale = feastTs(ago(3 * HOUR));
    const nulls = feastTs(ago(HOUR / 4));
    expect(res.json()).toEqual({
      metadata: { feature_names: ['driver_id', 'conv_rate', 'note', 'avg_daily_trips'] },
      results: [
        { values: [1001, 1002, 1003, 9999], statuses: ['PRESENT', 'PRESENT', 'PRESENT', 'PRESENT'], event_timestamps: [EPOCH, EPOCH, EPOCH, EPOCH] },
        { values: [0.85, null, null, null], statuses: ['PRESENT', 'OUTSIDE_MAX_AGE', 'NULL_VALUE', 'NOT_FOUND'], event_timestamps: [fresh, stale, nulls, EPOCH] },
        { values: ['ok', null, null, null], statuses: ['PRESENT', 'OUTSIDE_MAX_AGE', 'NULL_VALUE', 'NOT_FOUND'], event_timestamps: [fresh, stale, nulls, EPOCH] },
        // driver_lifetime has no ttl: the 3 h old row is served.
        { values: [12, 7, 3, null], statuses: ['PRESENT', 'PRESENT', 'PRESENT', 'NOT_FOUND'], event_timestamps: [fresh, stale, nulls, EPOCH] },
      ],
    });
  });

  it('names features view__feature with full_feature_names and serves duplicate entity rows', async () => {
    const res = await post({ features: ['driver_lifetime:avg_daily_trips', 'driver_hourly_stats:avg_daily_trips'], entities: { driver_id: [1001, 1001] }, full_feature_names: true });
    expect(res.json().metadata.feature_names).toEqual(['driver_id', 'driver_lifetime__avg_daily_trips', 'driver_hourly_stats__avg_daily_trips']);
    expect(
      res
        .json()
        .results.slice(1)
        .map((r: { values: unknown[] }) => r.values),
    ).toEqual([
      [12, 12],
      [12, 12],
    ]);
  });

  it('serves a feature service in its declared order', async () => {
    const res = await post({ feature_service: 'driver_risk_v1', entities: { driver_id: [1001] } });
    expect(res.json().metadata.feature_names).toEqual(['driver_id', 'conv_rate', 'avg_daily_trips']);
    expect(res.json().results.map((r: { values: unknown[] }) => r.values)).toEqual([[1001], [0.85], [12]]);
  });

  it('reports a feature appended after materialization as NOT_FOUND until it is materialized again', async () => {
    const before = await post({ features: ['driver_hourly_stats:acc_rate', 'driver_hourly_stats:conv_rate'], entities: { driver_id: [1001] } });
    expect(
      before
        .json()
        .results.slice(1)
        .map((r: { statuses: string[] }) => r.statuses[0]),
    ).toEqual(['NOT_FOUND', 'PRESENT']);
    const mat = await t.app.inject({ method: 'POST', url: '/materialize', payload: { start_ts: ago(HOUR).toISOString(), end_ts: new Date().toISOString(), feature_views: ['driver_hourly_stats'] } });
    expect(mat.json().job.rowsWritten).toBe(2); // same rows, grown layout: rewritten although not newer
    const after = await post({ features: ['driver_hourly_stats:acc_rate'], entities: { driver_id: [1001] } });
    expect(after.json().results[1]).toEqual({ values: [0.9], statuses: ['PRESENT'], event_timestamps: [feastTs(ago(HOUR / 2))] });
  });

  it('answers the same content over GraphQL', async () => {
    const res = await t.gql<{ onlineFeatures: unknown }>(
      `query($e: JSON!) { onlineFeatures(features: ["driver_hourly_stats:conv_rate"], entities: $e, fullFeatureNames: true) { metadata { featureNames } results { values statuses eventTimestamps } } }`,
      { e: { driver_id: [1001, 9999] } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.onlineFeatures).toEqual({
      metadata: { featureNames: ['driver_id', 'driver_hourly_stats__conv_rate'] },
      results: [
        { values: [1001, 9999], statuses: ['PRESENT', 'PRESENT'], eventTimestamps: [EPOCH, EPOCH] },
        { values: [0.85, null], statuses: ['PRESENT', 'NOT_FOUND'], eventTimestamps: [feastTs(ago(HOUR / 2)), EPOCH] },
      ],
    });
    const bad = await t.gql(`{ onlineFeatures(featureService: "nope", entities: {driver_id: [1]}) { metadata { featureNames } } }`);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', tesseraCode: 'FEATURE_SERVICE_NOT_FOUND' });
  });

  it.each([
    ['an unknown view', { features: ['nope:x'], entities: { driver_id: [1] } }, 404, 'FEATURE_VIEW_NOT_FOUND', /feature view nope not found/],
    ['an unknown feature', { features: ['driver_hourly_stats:nope'], entities: { driver_id: [1] } }, 400, 'FEATURE_NOT_FOUND', /feature driver_hourly_stats:nope not found/],
    ['a malformed reference', { features: ['conv_rate'], entities: { driver_id: [1] } }, 400, 'INVALID_REQUEST', /"conv_rate" is not view:feature/],
    ['a missing join key', { features: ['driver_hourly_stats:conv_rate'], entities: { customer_id: [1] } }, 400, 'INVALID_REQUEST', /missing join key\(s\) driver_id/],
    ['an unknown entity column', { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1], extra: [2] } }, 400, 'INVALID_REQUEST', /extra not a join key/],
    ['ragged entity columns', { features: ['driver_vehicle:conv_rate'], entities: { driver_id: [1, 2], vehicle_id: [1] } }, 400, 'INVALID_REQUEST', /columns differ in length \(driver_id: 2, vehicle_id: 1\)/],
    ['a key of the wrong type', { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1, 'abc'] } }, 400, 'INVALID_REQUEST', /join key driver_id: "abc" is not a valid integer/],
    [
      'clashing short names',
      { features: ['driver_hourly_stats:avg_daily_trips', 'driver_lifetime:avg_daily_trips'], entities: { driver_id: [1] } },
      400,
      'INVALID_REQUEST',
      /duplicate feature name avg_daily_trips .*full_feature_names/,
    ],
    ['features and feature_service together', { features: ['driver_hourly_stats:conv_rate'], feature_service: 'driver_risk_v1', entities: { driver_id: [1] } }, 400, 'BAD_REQUEST', /exactly one of/],
    ['no entities', { features: ['driver_hourly_stats:conv_rate'] }, 400, 'BAD_REQUEST', /entities/],
  ])('refuses %s, naming it', async (_what, body, status, code, message) => {
    const res = await post(body);
    expect(res.statusCode).toBe(status);
    expect(res.json().error).toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it('serves composite entity keys, whatever order the request lists them in', async () => {
    const res = await post({ features: ['driver_vehicle:conv_rate', 'driver_lifetime:note'], entities: { vehicle_id: [7, 8], driver_id: [1001, 1001] } });
    expect(res.json().metadata.feature_names).toEqual(['vehicle_id', 'driver_id', 'conv_rate', 'note']);
    expect(
      res
        .json()
        .results.slice(2)
        .map((r: { statuses: string[] }) => r.statuses),
    ).toEqual([
      ['PRESENT', 'NOT_FOUND'],
      ['PRESENT', 'PRESENT'],
    ]);
    expect(res.json().results[2].values).toEqual([0.85, null]);
  });

  it('serves the same feature list under the view as it is after each apply (its cached plan follows the view)', async () => {
    const same = { features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:note'], entities: { driver_id: [1002] } };
    const statuses = async () =>
      (await post(same))
        .json()
        .results.slice(1)
        .map((r: { statuses: string[] }) => r.statuses[0]);
    expect(await statuses()).toEqual(['OUTSIDE_MAX_AGE', 'OUTSIDE_MAX_AGE']); // 3 h old under the 2 h ttl
    await apply(servingMeshFiles(hourlyView({ ttl: '1d', features: '[conv_rate, avg_daily_trips, note, acc_rate]' })));
    expect(await statuses()).toEqual(['PRESENT', 'PRESENT']);
    await apply(servingMeshFiles(hourlyView({ ttl: '2h', features: '[conv_rate, avg_daily_trips, note, acc_rate]' })));
    expect(await statuses()).toEqual(['OUTSIDE_MAX_AGE', 'OUTSIDE_MAX_AGE']);
  });

  it('refuses more than 10,000 entity rows', async () => {
    const tooMany = await post({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: Array.from({ length: 10_001 }, (_, i) => i) } });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.message).toMatch(/10001 rows, at most 10000/);
  });

  if (kind === 'redis') {
    it('reads all views of a request with one MGET', async () => {
      const raw = new Redis(REDIS_URL);
      const monitor = await raw.monitor();
      const seen: string[] = [];
      monitor.on('monitor', (_time: string, args: string[]) => {
        // The rate limiter's counters (`<prefix>rl:`) share the Redis; only the store's reads count here.
        if (args.some((a) => a.startsWith(prefix) && !a.startsWith(`${prefix}rl:`))) seen.push(args[0].toLowerCase());
      });
      await new Promise((r) => setTimeout(r, 50));
      await post({ features: ['driver_hourly_stats:conv_rate', 'driver_lifetime:note'], entities: { driver_id: [1001, 1002, 1003] }, full_feature_names: true });
      await new Promise((r) => setTimeout(r, 100));
      monitor.disconnect();
      raw.disconnect();
      expect(seen).toEqual(['mget']);
    });
  }
});
