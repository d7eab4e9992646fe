import { arrowToJsonColumns } from '../support/pit-arrow-json';
import { dailyRows, hourlyRows, pitMeshFiles } from '../support/pit-mesh';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * POST /v1/historical-features and the GraphQL query over a mesh applied through /v1/contracts/apply
 * (which creates the ports' offline tables) with rows published through the ingest route.
 */
describe('historical features over REST and GraphQL', () => {
  let t: TestApp;
  const entities = {
    driver_id: [1001, 1001, 1002, 1001, 1002, 7],
    event_timestamp: ['2021-04-12T07:00:00Z', '2021-04-12T08:30:00Z', '2021-04-12T09:15:00Z', '2021-04-12T10:00:00Z', '2021-04-12T20:00:00Z', '2021-04-12T10:00:00Z'],
    label: [0, 1, 1, 0, 1, 0],
  };
  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/v1/historical-features', headers: { 'content-type': 'application/json', ...headers }, payload: payload as object });

  beforeAll(async () => {
    t = await startTestApp();
    const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: pitMeshFiles() } });
    expect(applied.statusCode).toBe(200);
    for (const [port, rows] of [
      ['hourly', hourlyRows],
      ['daily', dailyRows],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/v1/data-products/pit-driver-stats/ports/${port}/rows`,
        headers: { 'content-type': 'application/x-ndjson' },
        payload: rows.map((r) => JSON.stringify(r)).join('\n'),
      });
      expect(res.json()).toMatchObject({ inserted: rows.length });
    }
  });
  afterAll(() => t.close());

  it('answers point-in-time correct JSON columns for feature references', async () => {
    const res = await post({ features: ['driver_hourly:trips_today', 'driver_hourly:conv_rate', 'driver_daily:rating', 'driver_hourly:city'], entities });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({
      columns: {
        driver_id: [1001, 1001, 1002, 1001, 1002, 7],
        event_timestamp: ['2021-04-12T07:00:00.000Z', '2021-04-12T08:30:00.000Z', '2021-04-12T09:15:00.000Z', '2021-04-12T10:00:00.000Z', '2021-04-12T20:00:00.000Z', '2021-04-12T10:00:00.000Z'],
        label: [0, 1, 1, 0, 1, 0],
        // 10:00 has two versions: the later created (10:30) wins. 20:00 is 11 h after 1002's row, beyond the 2 h ttl.
        trips_today: [null, 3, 5, 9, null, null],
        conv_rate: [null, 0.5, 0.25, 0.8, null, null],
        // driver_daily has no ttl: the latest day row at or before T, however old (07:00 still sees the 11th).
        rating: [4.5, 4.5, 4.9, 4.5, 4.9, null],
        city: [null, 'paris', null, 'lyon', null, null],
      },
    });
  });

  it('resolves a feature service in its order and names outputs view__feature with full_feature_names', async () => {
    const res = await post({ feature_service: 'driver_model_v1', entities, full_feature_names: true });
    expect(res.statusCode).toBe(200);
    const { columns } = res.json();
    expect(Object.keys(columns)).toEqual(['driver_id', 'event_timestamp', 'label', 'driver_daily__rating', 'driver_hourly__trips_today', 'driver_daily__trips_today']);
    expect(columns.driver_daily__trips_today).toEqual([20, 20, 7, 20, 7, null]);
    expect(columns.driver_hourly__trips_today).toEqual([null, 3, 5, 9, null, null]);
  });

  it('streams the same answer as Arrow IPC when the client accepts it', async () => {
    const body = { feature_service: 'driver_model_v1', entities, full_feature_names: true };
    const json = (await post(body)).json();
    const res = await post(body, { accept: 'application/vnd.apache.arrow.stream' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.apache.arrow.stream');
    expect(arrowToJsonColumns(res.rawPayload).columns).toEqual(json.columns);
  });

  it('streams a larger answer as one record batch per 10,000 rows', async () => {
    const n = 25_000;
    const res = await post(
      { features: ['driver_hourly:trips_today'], entities: { driver_id: Array.from({ length: n }, (_, i) => (i % 2 ? 1001 : 1002)), event_timestamp: new Array(n).fill('2021-04-12T10:00:00Z') } },
      { accept: 'application/json;q=0.5, application/vnd.apache.arrow.stream' },
    );
    expect(res.statusCode).toBe(200);
    const { columns, table } = arrowToJsonColumns(res.rawPayload);
    expect(table.batches.map((b) => b.numRows)).toEqual([10_000, 10_000, 5_000]);
    expect(columns.trips_today).toEqual(Array.from({ length: n }, (_, i) => (i % 2 ? 9 : 5)));
  });

  it('refuses two features of one name without full_feature_names, naming both', async () => {
    const res = await post({ feature_service: 'driver_model_v1', entities });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_REQUEST');
    expect(res.json().error.message).toContain('driver_hourly:trips_today and driver_daily:trips_today would both be output as trips_today');
  });

  it.each([
    ['an unknown view', { features: ['nope:x'], entities }, 404, 'FEATURE_VIEW_NOT_FOUND', 'feature view nope not found'],
    ['an unknown feature', { features: ['driver_hourly:nope'], entities }, 400, 'FEATURE_NOT_FOUND', 'feature driver_hourly:nope not found'],
    ['an unknown feature service', { feature_service: 'nope', entities }, 404, 'FEATURE_SERVICE_NOT_FOUND', 'feature service nope not found'],
    ['a malformed reference', { features: ['driver_hourly.trips_today'], entities }, 400, 'INVALID_REQUEST', 'invalid feature reference "driver_hourly.trips_today"'],
    ['both features and a service', { features: ['driver_hourly:city'], feature_service: 'driver_model_v1', entities }, 400, 'BAD_REQUEST', 'features: give exactly one of'],
    ['a missing join key', { features: ['driver_hourly:city'], entities: { event_timestamp: ['2021-04-12T07:00:00Z'] } }, 400, 'INVALID_REQUEST', 'entities.driver_id: join key column is missing'],
    ['a missing event_timestamp', { features: ['driver_hourly:city'], entities: { driver_id: [1] } }, 400, 'INVALID_REQUEST', 'entities.event_timestamp: column is missing'],
    [
      'columns of different lengths',
      { features: ['driver_hourly:city'], entities: { driver_id: [1, 2], event_timestamp: ['2021-04-12T07:00:00Z'] } },
      400,
      'INVALID_REQUEST',
      'entities.driver_id: has 2 values but event_timestamp has 1',
    ],
    [
      'an invalid timestamp',
      { features: ['driver_hourly:city'], entities: { driver_id: [1, 2], event_timestamp: ['2021-04-12T07:00:00Z', '2021-04-12 07:00'] } },
      400,
      'INVALID_REQUEST',
      'entities.event_timestamp[1]: row 1: "2021-04-12 07:00" is not an ISO-8601 timestamp with a zone',
    ],
    ['an empty entity set', { features: ['driver_hourly:city'], entities: { driver_id: [], event_timestamp: [] } }, 400, 'INVALID_REQUEST', 'entities must have at least one row'],
    ['a column that is not an array', { features: ['driver_hourly:city'], entities: { driver_id: 1, event_timestamp: ['2021-04-12T07:00:00Z'] } }, 400, 'BAD_REQUEST', 'entities.driver_id: must be an array'],
  ])('refuses %s with a clear error', async (_what, body, status, code, message) => {
    const res = await post(body);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).toContain(message);
  });

  it('caps JSON answers at 100,000 rows and points to Arrow', async () => {
    const n = 100_001;
    const res = await post({ features: ['driver_hourly:city'], entities: { driver_id: new Array(n).fill(1), event_timestamp: new Array(n).fill(0) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'TOO_MANY_ROWS', details: { field: 'entities', reason: 'at most 100000 rows' } });
    expect(res.json().error.message).toContain('application/vnd.apache.arrow.stream');
  });

  it('answers the same over GraphQL, and refuses more than 10,000 rows there', async () => {
    const query = `query($e: JSON!, $f: [String!]) { historicalFeatures(entities: $e, features: $f) { columns } }`;
    const res = await t.gql<{ historicalFeatures: { columns: Record<string, unknown[]> } }>(query, { e: entities, f: ['driver_hourly:trips_today', 'driver_daily:rating'] });
    expect(res.errors).toBeUndefined();
    expect(res.data!.historicalFeatures.columns.trips_today).toEqual([null, 3, 5, 9, null, null]);
    expect(res.data!.historicalFeatures.columns.rating).toEqual([4.5, 4.5, 4.9, 4.5, 4.9, null]);

    const big = await t.gql(query, { e: { driver_id: new Array(10_001).fill(1), event_timestamp: new Array(10_001).fill(0) }, f: ['driver_hourly:city'] });
    expect(big.errors![0].extensions).toMatchObject({ tesseraCode: 'TOO_MANY_ROWS' });
    const bad = await t.gql(`{ historicalFeatures(entities: {driver_id: [1]}, featureService: "driver_model_v1", fullFeatureNames: true) { columns } }`);
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', tesseraCode: 'INVALID_REQUEST' });
    expect(bad.errors![0].message).toContain('entities.event_timestamp: column is missing');
  });
});
