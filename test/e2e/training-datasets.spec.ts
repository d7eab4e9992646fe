import { tableFromIPC } from 'apache-arrow';
import { arrowToJsonColumns } from '../support/pit-arrow-json';
import { dailyRows, hourlyRows, pitMeshFiles } from '../support/pit-mesh';
import { startTestApp, TestApp } from '../support/test-app';

const ARROW = 'application/vnd.apache.arrow.stream';

/**
 * Training datasets over the retrieval test mesh: save a retrieval, list and describe it (the view
 * and contract versions it used), export it again (JSON and Arrow equal to the retrieval's answer),
 * version it, and refuse bad requests without leaving anything behind.
 */
describe('training datasets', () => {
  let t: TestApp;
  const entities = {
    driver_id: [1001, 1001, 1002, 1001, 1002, 7],
    event_timestamp: ['2021-04-12T07:00:00Z', '2021-04-12T08:30:00Z', '2021-04-12T09:15:00Z', '2021-04-12T10:00:00Z', '2021-04-12T20:00:00Z', '2021-04-12T10:00:00Z'],
    label: [0, 1, 1, 0, 1, 0],
  };
  const features = ['driver_hourly:trips_today', 'driver_hourly:conv_rate', 'driver_daily:rating', 'driver_hourly:city'];
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: payload as object });
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const stored = async (name: string) => {
    const [{ versions }] = await t.dataSource.query(`SELECT count(*)::int AS versions FROM tessera.training_datasets WHERE name = $1`, [name]);
    const [{ tables }] = await t.dataSource.query(`SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = 'tessera_datasets'`);
    return { versions: versions as number, tables: tables as number };
  };

  beforeAll(async () => {
    t = await startTestApp({ TESSERA_REDIS_PREFIX: 't:training-datasets:' });
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

  it('saves a retrieval as version 1 with the view and contract versions it used', async () => {
    const res = await post('/v1/training-datasets', { name: 'driver_train', description: 'first cut', features, entities });
    expect(res.statusCode).toBe(201);
    const ds = res.json();
    const hashes: { name: string; content_hash: string }[] = await t.dataSource.query(`SELECT name, content_hash FROM tessera.registry_objects WHERE kind = 'FeatureView' ORDER BY name`);
    const hash = Object.fromEntries(hashes.map((h) => [h.name, h.content_hash]));
    expect(ds).toMatchObject({
      id: 'driver_train@1',
      name: 'driver_train',
      version: 1,
      description: 'first cut',
      table: 'tessera_datasets."driver_train@1"',
      rowCount: 6,
      featureRefs: features,
      featureService: null,
      fullFeatureNames: false,
      createdBy: 'admin',
      columns: [
        { name: 'driver_id', role: 'key', logicalType: 'integer', feature: null },
        { name: 'event_timestamp', role: 'timestamp', logicalType: 'timestamp', feature: null },
        { name: 'label', role: 'extra', logicalType: 'integer', feature: null },
        { name: 'trips_today', role: 'feature', logicalType: 'integer', feature: 'driver_hourly:trips_today' },
        { name: 'conv_rate', role: 'feature', logicalType: 'number', feature: 'driver_hourly:conv_rate' },
        { name: 'rating', role: 'feature', logicalType: 'number', feature: 'driver_daily:rating' },
        { name: 'city', role: 'feature', logicalType: 'string', feature: 'driver_hourly:city' },
      ],
      featureViews: [
        { name: 'driver_hourly', version: hash.driver_hourly, ttlSeconds: 7200 },
        { name: 'driver_daily', version: hash.driver_daily, ttlSeconds: 0 },
      ],
      sourceContracts: [
        { featureView: 'driver_hourly', dataProduct: 'pit-driver-stats', outputPort: 'hourly', portVersion: '1.0.0', contractId: 'pit-driver-hourly-v1', contractVersion: '1.0.0' },
        { featureView: 'driver_daily', dataProduct: 'pit-driver-stats', outputPort: 'daily', portVersion: '1.0.0', contractId: 'pit-driver-daily-v1', contractVersion: '1.0.0' },
      ],
    });
    expect(hash.driver_hourly).toMatch(/\S{16,}/);
    expect(Date.parse(ds.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    // The rows are a real table, readable with SQL, in request order.
    const rows = await t.dataSource.query(`SELECT _row, driver_id, trips_today::int AS trips_today FROM tessera_datasets."driver_train@1" ORDER BY _row`);
    expect(rows.map((r: { trips_today: number | null }) => r.trips_today)).toEqual([null, 3, 5, 9, null, null]);
  });

  it('lists and describes it over REST and GraphQL', async () => {
    const list = await get('/v1/training-datasets?name=driver_train');
    expect(list.statusCode).toBe(200);
    expect(list.json().trainingDatasets.map((d: { id: string }) => d.id)).toEqual(['driver_train@1']);
    const one = await get('/v1/training-datasets/driver_train/versions/1');
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: 'driver_train@1', rowCount: 6 });

    const gql = await t.gql<{
      trainingDatasets: { id: string; featureViews: { name: string }[] }[];
      trainingDataset: { version: number; sourceContracts: { contractId: string }[]; rows: Record<string, unknown[]> };
    }>(
      `{ trainingDatasets(name: "driver_train") { id featureViews { name version } }
         trainingDataset(name: "driver_train", version: 1) { version sourceContracts { contractId contractVersion } rows(offset: 1, limit: 2) } }`,
    );
    expect(gql.errors).toBeUndefined();
    expect(gql.data!.trainingDatasets).toEqual([{ id: 'driver_train@1', featureViews: [expect.objectContaining({ name: 'driver_hourly' }), expect.objectContaining({ name: 'driver_daily' })] }]);
    expect(gql.data!.trainingDataset.sourceContracts.map((c) => c.contractId)).toEqual(['pit-driver-hourly-v1', 'pit-driver-daily-v1']);
    expect(gql.data!.trainingDataset.rows).toEqual({
      driver_id: [1001, 1002],
      event_timestamp: ['2021-04-12T08:30:00.000Z', '2021-04-12T09:15:00.000Z'],
      label: [1, 1],
      trips_today: [3, 5],
      conv_rate: [0.5, 0.25],
      rating: [4.5, 4.9],
      city: ['paris', null],
    });
  });

  it('exports exactly what the retrieval answered, as JSON and as Arrow', async () => {
    const retrieval = { features, entities };
    const json = (await post('/v1/historical-features', retrieval)).json();
    const arrow = await post('/v1/historical-features', retrieval, { accept: ARROW });

    const page = await get('/v1/training-datasets/driver_train/versions/1/rows');
    expect(page.statusCode).toBe(200);
    expect(page.json()).toEqual({ columns: json.columns, offset: 0, nextOffset: null, totalRows: 6 });

    const exported = await get('/v1/training-datasets/driver_train/versions/1/rows', { accept: ARROW });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe(ARROW);
    expect(tableFromIPC(exported.rawPayload).schema.fields.map(String)).toEqual(tableFromIPC(arrow.rawPayload).schema.fields.map(String));
    expect(arrowToJsonColumns(exported.rawPayload).columns).toEqual(arrowToJsonColumns(arrow.rawPayload).columns);
    expect(arrowToJsonColumns(exported.rawPayload).columns).toEqual(json.columns);
    // Same schema, same batches, same values and validity per column. (Not the same bytes: the export
    // decodes PostgreSQL's binary COPY, whose bitmaps are not padded the way Arrow's builders pad them.)
    const [ours, theirs] = [tableFromIPC(exported.rawPayload), tableFromIPC(arrow.rawPayload)];
    expect(ours.batches.map((b) => b.numRows)).toEqual(theirs.batches.map((b) => b.numRows));
    for (const f of theirs.schema.fields) {
      const [a, b] = [ours.getChild(f.name)!, theirs.getChild(f.name)!];
      expect([f.name, a.nullCount, a.toArray()]).toEqual([f.name, b.nullCount, b.toArray()]);
    }
  });

  it('keeps mixed extra columns, feature services and full feature names exactly as the retrieval answers them', async () => {
    const body = {
      feature_service: 'driver_model_v1',
      full_feature_names: true,
      entities: {
        note: ['a', { z: 1, a: [true, null] }, 2.5, null, 'tab\there', '"quoted"'],
        driver_id: entities.driver_id,
        weight: [1, 2.5, -3, 1e21, 0.1, null],
        flag: [true, false, null, true, true, false],
        event_timestamp: entities.event_timestamp,
        who: ['x', 'y\nz', 'back\\slash', 'ü', '', null],
      },
    };
    const saved = await post('/v1/training-datasets', { name: 'mixed', ...body });
    expect(saved.statusCode).toBe(201);
    expect(saved.json().featureService).toBe('driver_model_v1');
    expect(
      saved
        .json()
        .columns.slice(0, 6)
        .map((c: { logicalType: string }) => c.logicalType),
    ).toEqual(['json', 'integer', 'number', 'boolean', 'timestamp', 'string']);

    const json = (await post('/v1/historical-features', body)).json();
    const page = (await get('/v1/training-datasets/mixed/versions/latest/rows')).json();
    expect(page.columns).toEqual(json.columns);
    expect(Object.keys(page.columns)).toEqual(Object.keys(json.columns));

    const arrow = await post('/v1/historical-features', body, { accept: ARROW });
    const exported = await get('/v1/training-datasets/mixed/versions/1/rows', { accept: ARROW });
    expect(tableFromIPC(exported.rawPayload).schema.fields.map(String)).toEqual(tableFromIPC(arrow.rawPayload).schema.fields.map(String));
    expect(arrowToJsonColumns(exported.rawPayload).columns).toEqual(arrowToJsonColumns(arrow.rawPayload).columns);
    expect(arrowToJsonColumns(exported.rawPayload).columns.note).toEqual(['a', '{"z":1,"a":[true,null]}', '2.5', null, 'tab\there', '"quoted"']);
  });

  it('makes a second save version 2, leaving version 1 as it was', async () => {
    const res = await post('/v1/training-datasets', { name: 'driver_train', features: ['driver_daily:rating'], entities: { driver_id: [1002], event_timestamp: ['2021-04-13T00:00:00Z'] } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ id: 'driver_train@2', version: 2, rowCount: 1, description: null });
    const list = (await get('/v1/training-datasets?name=driver_train')).json();
    expect(list.trainingDatasets.map((d: { version: number }) => d.version)).toEqual([2, 1]);
    expect((await get('/v1/training-datasets/driver_train/versions/latest')).json().version).toBe(2);
    expect((await get('/v1/training-datasets/driver_train/versions/1/rows')).json().totalRows).toBe(6);
    await expect(t.dataSource.query(`UPDATE tessera.training_datasets SET description = 'x' WHERE name = 'driver_train'`)).rejects.toThrow(/immutable/);
  });

  it('numbers concurrent saves of one name without gaps or clashes', async () => {
    const body = { name: 'concurrent', features: ['driver_daily:rating'], entities: { driver_id: [1001], event_timestamp: ['2021-04-13T00:00:00Z'] } };
    const results = await Promise.all([1, 2, 3].map(() => post('/v1/training-datasets', body)));
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(results.map((r) => r.json().version).sort()).toEqual([1, 2, 3]);
  });

  it('saves through the GraphQL mutation', async () => {
    const res = await t.gql<{ saveTrainingDataset: { id: string; rowCount: number; createdBy: string; rows: Record<string, unknown[]> } }>(
      `mutation($e: JSON!) { saveTrainingDataset(input: { name: "gql-set", features: ["driver_hourly:city"], entities: $e }) { id rowCount createdBy rows } }`,
      { e: entities },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.saveTrainingDataset).toMatchObject({ id: 'gql-set@1', rowCount: 6, createdBy: 'admin' });
    expect(res.data!.saveTrainingDataset.rows.city).toEqual([null, 'paris', null, 'lyon', null, null]);
    const bad = await t.gql(`mutation { saveTrainingDataset(input: { name: "Bad Name", features: ["driver_hourly:city"], entities: {} }) { id } }`);
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(bad.errors![0].message).toContain('name: must be 1-50 characters');
    const missing = await t.gql(`{ trainingDataset(name: "nope") { id } }`);
    expect(missing.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', tesseraCode: 'TRAINING_DATASET_NOT_FOUND' });
  });

  it('pages JSON exports and streams large ones as 10,000-row record batches equal to the retrieval', async () => {
    const n = 25_000;
    const big = { driver_id: Array.from({ length: n }, (_, i) => (i % 3 ? 1001 : 1002)), event_timestamp: Array.from({ length: n }, (_, i) => (i % 2 ? '2021-04-12T10:00:00Z' : '2021-04-12T09:30:00Z')) };
    const saved = await post('/v1/training-datasets', { name: 'big', features: ['driver_hourly:trips_today', 'driver_hourly:conv_rate'], entities: big });
    expect(saved.json()).toMatchObject({ rowCount: n });
    const arrow = await post('/v1/historical-features', { features: ['driver_hourly:trips_today', 'driver_hourly:conv_rate'], entities: big }, { accept: ARROW });
    const exported = await get('/v1/training-datasets/big/versions/1/rows', { accept: ARROW });
    const { columns, table } = arrowToJsonColumns(exported.rawPayload);
    expect(table.batches.map((b) => b.numRows)).toEqual([10_000, 10_000, 5_000]);
    expect(columns).toEqual(arrowToJsonColumns(arrow.rawPayload).columns);

    const page = (await get('/v1/training-datasets/big/versions/1/rows?offset=24990&limit=20')).json();
    expect(page).toMatchObject({ offset: 24_990, nextOffset: null, totalRows: n });
    expect(page.columns.trips_today).toEqual(columns.trips_today.slice(24_990));
    const first = (await get('/v1/training-datasets/big/versions/1/rows?limit=3')).json();
    expect(first).toMatchObject({ offset: 0, nextOffset: 3, columns: { driver_id: [1002, 1001, 1001] } });
    const slice = await get('/v1/training-datasets/big/versions/1/rows?offset=10&limit=5', { accept: ARROW });
    expect(arrowToJsonColumns(slice.rawPayload).columns.driver_id).toEqual(big.driver_id.slice(10, 15));
  });

  it.each([
    ['an invalid name', { name: 'Driver Train', features, entities }, 400, 'BAD_REQUEST', 'name', 'name: must be 1-50 characters'],
    ['a missing name', { features, entities }, 400, 'BAD_REQUEST', 'name', 'name: must be a string'],
    ['an unknown field', { name: 'rejected', features, entities, extra: 1 }, 400, 'BAD_REQUEST', '(body)', 'Unrecognized key: "extra"'],
    ['an unknown view', { name: 'rejected', features: ['nope:x'], entities }, 404, 'FEATURE_VIEW_NOT_FOUND', undefined, 'feature view nope not found'],
    [
      'an invalid timestamp',
      { name: 'rejected', features, entities: { ...entities, event_timestamp: ['yesterday', ...entities.event_timestamp.slice(1)] } },
      400,
      'INVALID_REQUEST',
      'entities.event_timestamp[0]',
      'not an ISO-8601',
    ],
    ['a column named _row', { name: 'rejected', features, entities: { ...entities, _row: [1, 2, 3, 4, 5, 6] } }, 400, 'INVALID_REQUEST', 'entities._row', "dataset's row number column"],
    [
      'a column name PostgreSQL would truncate',
      { name: 'rejected', features, entities: { ...entities, ['x'.repeat(64)]: [1, 2, 3, 4, 5, 6] } },
      400,
      'INVALID_REQUEST',
      `entities.${'x'.repeat(64)}`,
      'longer than 63 bytes',
    ],
    ['a NUL character in a string column', { name: 'rejected', features, entities: { ...entities, note: ['a', 'b\u0000', 'c', 'd', 'e', 'f'] } }, 400, 'INVALID_REQUEST', 'entities.note[1]', 'NUL'],
    ['duplicate output names', { name: 'rejected', feature_service: 'driver_model_v1', entities }, 400, 'INVALID_REQUEST', 'features', 'would both be output as trips_today'],
  ])('refuses %s, naming the field, and stores nothing', async (_what, body, status, code, field, message) => {
    const before = await stored('rejected');
    const res = await post('/v1/training-datasets', body);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).toContain(message);
    if (field) expect(JSON.stringify(res.json().error.details)).toContain(`"field":"${field}"`);
    expect(await stored('rejected')).toEqual(before);
    expect(before.versions).toBe(0);
  });

  it('rolls back a save that fails after its rows were written: no version, no table left behind', async () => {
    // A table squatting on the next version's name makes the final rename fail, after the retrieval ran.
    await t.dataSource.query(`CREATE TABLE tessera_datasets."squatted@1" (x int)`);
    const before = await stored('squatted');
    const res = await post('/v1/training-datasets', { name: 'squatted', features, entities });
    expect(res.statusCode).toBe(500);
    expect(await stored('squatted')).toEqual(before);
    const building = await t.dataSource.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'tessera_datasets' AND tablename LIKE '\\_building%'`);
    expect(building).toEqual([]);
    await t.dataSource.query(`DROP TABLE tessera_datasets."squatted@1"`);
  });

  it('answers typed errors for unknown datasets and bad paths', async () => {
    const missing = await get('/v1/training-datasets/driver_train/versions/9');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: 'TRAINING_DATASET_NOT_FOUND', message: 'training dataset driver_train@9 not found' });
    const missingRows = await get('/v1/training-datasets/nope/versions/latest/rows', { accept: ARROW });
    expect(missingRows.statusCode).toBe(404);
    expect(missingRows.json().error.code).toBe('TRAINING_DATASET_NOT_FOUND');
    const badVersion = await get('/v1/training-datasets/driver_train/versions/abc');
    expect(badVersion.statusCode).toBe(400);
    expect(badVersion.json().error.details).toEqual([expect.objectContaining({ field: 'version' })]);
    const badName = await get('/v1/training-datasets/Bad!/versions/1');
    expect(badName.statusCode).toBe(400);
    expect(badName.json().error.details).toEqual([expect.objectContaining({ field: 'name' })]);
    const badOffset = await get('/v1/training-datasets/driver_train/versions/1/rows?offset=-1');
    expect(badOffset.statusCode).toBe(400);
    expect(badOffset.json().error.details).toEqual([expect.objectContaining({ field: 'offset' })]);
  });
});
