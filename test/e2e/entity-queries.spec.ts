import { hourlyRows, pitMeshFiles } from '../support/pit-mesh';
import { startTestApp, TestApp } from '../support/test-app';
import { labelRows, labelsFiles } from '../support/labels-port';

/**
 * `entities_from` (issue 18): a training dataset whose entity rows are a port's rows, read inside
 * PostgreSQL with its timestamp as event_timestamp, checked against access agreements like any read.
 */
describe('training datasets from an entity query over a labels port', () => {
  let t: TestApp;
  const save = (payload: object, key?: string) => (key ? t.as(key) : t.app).inject({ method: 'POST', url: '/v1/training-datasets', payload });
  const rows = async (id: string) => {
    const [name, version] = id.split('@');
    const res = await t.app.inject({ method: 'GET', url: `/v1/training-datasets/${name}/versions/${version}/rows` });
    expect(res.statusCode).toBe(200);
    return res.json().columns as Record<string, unknown[]>;
  };
  const labelsQuery = { dataProduct: 'pit-trip-labels', outputPort: 'labels', columns: ['driver_id', 'labelled_at', 'completed'], from: '2021-04-12T00:00:00Z', to: '2021-04-13T00:00:00Z' };

  beforeAll(async () => {
    t = await startTestApp();
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

  it('builds the same dataset as the equivalent uploaded spine, rows in event-time order', async () => {
    const res = await save({ name: 'from_labels', features: ['driver_hourly:trips_today', 'driver_hourly:conv_rate'], entities_from: labelsQuery });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ id: 'from_labels@1', rowCount: 4 });
    expect(res.json().columns.map((c: { name: string; role: string }) => `${c.name}:${c.role}`)).toEqual([
      'driver_id:key',
      'event_timestamp:timestamp',
      'completed:extra',
      'trips_today:feature',
      'conv_rate:feature',
    ]);

    const spine = {
      driver_id: [1001, 1001, 1002, 1001],
      event_timestamp: ['2021-04-12T08:30:00Z', '2021-04-12T08:30:00Z', '2021-04-12T09:15:00Z', '2021-04-12T10:00:00Z'],
      completed: [null, null, 0, 1],
    };
    const uploaded = await save({ name: 'uploaded_labels', features: ['driver_hourly:trips_today', 'driver_hourly:conv_rate'], entities: spine });
    expect(uploaded.statusCode).toBe(201);
    const [fromQuery, fromUpload] = [await rows('from_labels@1'), await rows('uploaded_labels@1')];
    expect(fromQuery).toEqual(fromUpload);
    expect(fromQuery.trips_today).toEqual([3, 3, 5, 9]);
    expect(fromQuery.completed).toEqual([null, null, 0, 1]);
  });

  it('takes the whole port without bounds and the timestamp column by name', async () => {
    const res = await save({ name: 'all_labels', features: ['driver_hourly:trips_today'], entities_from: { ...labelsQuery, from: undefined, to: undefined, columns: ['driver_id'], timestamp: 'labelled_at' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().rowCount).toBe(5);
    expect((await rows('all_labels@1')).event_timestamp).toEqual(['2021-04-12T08:30:00.000Z', '2021-04-12T08:30:00.000Z', '2021-04-12T09:15:00.000Z', '2021-04-12T10:00:00.000Z', '2021-04-13T10:00:00.000Z']);
  });

  it('refuses a caller without an agreement on the labels port, and saves nothing', async () => {
    const created = await t.gql<{ createApiKey: { key: string } }>(`mutation($p: PrincipalInput!, $r: [RoleGrantInput!]) { createApiKey(principal: $p, roles: $r) { key } }`, {
      p: { id: 'person:rides-analyst', kind: 'person' },
      r: [{ role: 'domain_member', domain: 'rides' }],
    });
    const key = created.data!.createApiKey.key;
    const res = await save({ name: 'not_allowed', features: ['driver_hourly:trips_today'], entities_from: labelsQuery }, key);
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'ACCESS_AGREEMENT_REQUIRED', details: { missing: [{ dataProduct: 'pit-trip-labels', outputPort: 'labels' }] } });
    // The same analyst may build from an uploaded spine: only the labels port was refused.
    const ok = await save({ name: 'not_allowed', features: ['driver_hourly:trips_today'], entities: { driver_id: [1001], event_timestamp: ['2021-04-12T10:00:00Z'] } }, key);
    expect(ok.statusCode).toBe(201);
    expect(ok.json().id).toBe('not_allowed@1');
  });

  it('names the field and the reason of a bad entity query', async () => {
    const cases: [object, number, { field: string; reason?: unknown }][] = [
      [{ ...labelsQuery, outputPort: 'nope' }, 404, { field: 'entities_from.outputPort' }],
      [{ ...labelsQuery, columns: ['driver_id', 'labelled_at', 'shoe_size'] }, 400, { field: 'entities_from.columns', reason: 'no column shoe_size in the port' }],
      [{ ...labelsQuery, columns: ['labelled_at', 'completed'] }, 400, { field: 'entities_from.columns', reason: 'join key driver_id is missing' }],
      [{ ...labelsQuery, timestamp: 'completed' }, 400, { field: 'entities_from.timestamp' }],
      [{ ...labelsQuery, from: 'yesterday' }, 400, { field: 'entities_from.from' }],
    ];
    for (const [query, status, detail] of cases) {
      const res = await save({ name: 'bad_query', features: ['driver_hourly:trips_today'], entities_from: query });
      expect([res.statusCode, [res.json().error.details].flat()]).toEqual([status, expect.arrayContaining([expect.objectContaining(detail)])]);
    }
    const both = await save({ name: 'bad_query', features: ['driver_hourly:trips_today'], entities_from: labelsQuery, entities: { driver_id: [1], event_timestamp: ['2021-04-12T10:00:00Z'] } });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.details).toEqual([{ field: 'entities', reason: 'not allowed with entities_from' }]);
    const list = await t.app.inject({ method: 'GET', url: '/v1/training-datasets?name=bad_query' });
    expect(list.json().trainingDatasets).toEqual([]);
  });
});
