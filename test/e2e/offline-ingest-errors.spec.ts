import { ingestLockKey } from '../../src/features/ingest/offline-ingest.repository';
import { OfflineSchemaService } from '../../src/features/offline/offline-schema.service';
import { startTestApp, TestApp } from '../support/test-app';

const ridesContract = `
apiVersion: v3.1.0
kind: DataContract
id: fleet-rides-v1
version: 1.0.0
status: active
schema:
  - name: rides
    properties:
      - { name: ride_id, logicalType: integer, required: true, primaryKey: true }
      - { name: driver, logicalType: string, required: true }
      - { name: fare, logicalType: number }
      - { name: started_at, logicalType: timestamp, required: true }
      - { name: plate, logicalType: string, unique: true }
`;

const fleetProduct = `
apiVersion: v1.0.0
kind: DataProduct
id: fleet
name: Fleet
domain: mobility
status: active
outputPorts:
  - { name: rides, version: 1.0.0, type: table, contractId: fleet-rides-v1 }
  - { name: events-api, version: 1.0.0, type: api, contractId: fleet-rides-v1 }
  - { name: bare, version: 1.0.0, type: table }
`;

const TABLE = 'dom_mobility.fleet__rides__v1';

describe('offline store: rejected ingests change nothing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/contracts/apply',
      payload: {
        files: [
          { path: 'c/rides.odcs.yaml', content: ridesContract },
          { path: 'c/fleet.odps.yaml', content: fleetProduct },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    const [{ normalized }] = await t.dataSource.query(`SELECT normalized FROM tessera.data_contracts WHERE id = 'fleet-rides-v1'`);
    const schema = t.app.get(OfflineSchemaService);
    // Apply syncs the ports itself; syncing again explicitly finds nothing to do (events-api stores no rows).
    await t.dataSource.transaction(async (m) => {
      expect(await schema.syncPort(m, { domain: 'mobility', productId: 'fleet', port: { name: 'rides', version: '1.0.0', type: 'table' }, contract: normalized })).toEqual({ action: 'unchanged', table: TABLE });
      expect(await schema.syncPort(m, { domain: 'mobility', productId: 'fleet', port: { name: 'events-api', version: '1.0.0', type: 'api' }, contract: normalized })).toEqual({ action: 'skipped' });
    });
    const seed = [
      { ride_id: 1, driver: 'ada', started_at: '2024-05-01T10:00:00Z' },
      { ride_id: 3, driver: 'cy', started_at: '2024-05-01T10:00:00Z', plate: 'AB-3' },
    ];
    expect((await post(ndjson(seed), 'application/x-ndjson')).json()).toMatchObject({ inserted: 2 });
  });
  afterAll(() => t.close());

  const post = (body: string | Buffer, contentType: string, path = 'fleet/ports/rides/rows') =>
    t.app.inject({ method: 'POST', url: `/v1/data-products/${path}`, headers: { 'content-type': contentType }, payload: body });
  const ndjson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const count = async (table = TABLE): Promise<number> => Number((await t.dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('is all or nothing: one bad row among good ones stores nothing', async () => {
    const before = await count();
    const rows = [1, 2, 3, 4, 5].map((i) => ({ ride_id: 100 + i, driver: 'hal', started_at: '2024-05-04T00:00:00Z', fare: i === 4 ? 'cheap' : i }));
    const res = await post(ndjson(rows), 'application/x-ndjson');
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      error: {
        code: 'INGEST_REJECTED',
        message: `1 problem(s) in the rows for ${TABLE}; nothing was stored`,
        details: { errors: [{ row: 4, field: 'fare', reason: 'expected a number, got string "cheap"' }], total: 1 },
      },
    });
    expect(await count()).toBe(before);
  });

  it('refuses keys already stored with other values, after loading nothing', async () => {
    const before = await count();
    const rows = [
      { ride_id: 200, driver: 'ivy', started_at: '2024-05-04T00:00:00Z' },
      { ride_id: 1, driver: 'not ada', started_at: '2024-05-04T00:00:00Z' },
      { ride_id: 201, driver: 'jo', started_at: '2024-05-04T00:00:00Z', plate: 'AB-3' },
    ];
    const res = await post(ndjson(rows), 'application/x-ndjson');
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual({
      errors: [
        { row: 2, field: 'ride_id', reason: 'duplicate primary key (ride_id) = (1): already stored with other values' },
        { row: 3, field: 'plate', reason: 'duplicate unique value (plate) = (AB-3): already stored with other values' },
      ],
      total: 2,
    });
    expect(await count()).toBe(before);
  });

  it('serialises writers of one table, so a key stored meanwhile is refused cleanly (422, not a 500)', async () => {
    // Another ingest into the same table is in flight: it holds the table's lock and has inserted ride 60000.
    const other = t.dataSource.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    await other.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [ingestLockKey({ schema: 'dom_mobility', name: 'fleet__rides__v1' })]);
    await other.query(`INSERT INTO ${TABLE} (ride_id, driver, started_at, _tessera_row_hash) VALUES (60000, 'first', now(), 'other-writer')`);
    const pending = post(ndjson([{ ride_id: 60000, driver: 'second', started_at: '2024-05-05T00:00:00Z' }]), 'application/x-ndjson');
    // The request waits for the lock instead of checking keys against a table that is about to change.
    for (let i = 0; i < 100; i++) {
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`);
      if (n === 1) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await other.commitTransaction();
    await other.release();
    const res = await pending;
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.errors).toEqual([{ row: 1, field: 'ride_id', reason: 'duplicate primary key (ride_id) = (60000): already stored with other values' }]);
    expect(await t.dataSource.query(`SELECT driver FROM ${TABLE} WHERE ride_id = 60000`)).toEqual([{ driver: 'first' }]);
  });

  it('lists the first 100 errors and counts them all', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => ({ ride_id: 1000 + i, driver: 'kim', started_at: 'soon' }));
    const res = await post(ndjson(rows), 'application/x-ndjson');
    const details = res.json().error.details;
    expect(details.total).toBe(150);
    expect(details.errors).toHaveLength(100);
    expect(details.errors[99]).toEqual({ row: 100, field: 'started_at', reason: 'expected an ISO-8601 timestamp (e.g. 2024-05-01T12:00:00Z) or epoch milliseconds' });
  });

  it('answers 404 for an unknown product, port or major, and 409 for a port without a table', async () => {
    const body = ndjson([{ ride_id: 1 }]);
    const cases: [string, number, string, string][] = [
      ['nope/ports/rides/rows', 404, 'PORT_NOT_FOUND', 'output port nope/rides not found'],
      ['fleet/ports/nope/rows', 404, 'PORT_NOT_FOUND', 'output port fleet/nope not found'],
      ['fleet/ports/rides/rows?major=2', 404, 'PORT_NOT_FOUND', 'output port fleet/rides v2 not found (it has version 1.0.0)'],
      ['fleet/ports/events-api/rows', 409, 'OFFLINE_TABLE_MISSING', 'output port fleet/events-api has no offline table: it is of type api; only table and featureView ports store rows'],
      ['fleet/ports/bare/rows', 409, 'OFFLINE_TABLE_MISSING', 'output port fleet/bare has no offline table: it has no contract, so there are no columns to store'],
    ];
    for (const [path, status, code, message] of cases) {
      const res = await post(body, 'application/x-ndjson', path);
      expect({ path, status: res.statusCode, error: res.json().error }).toEqual({ path, status, error: { code, message } });
    }
  });

  it('refuses malformed bodies, media types and parameters with 4xx and no stack trace', async () => {
    const cases: [string | Buffer, string, string, number, string, RegExp][] = [
      ['{"ride_id": 1}\n{oops\n', 'application/x-ndjson', '', 400, 'INVALID_REQUEST', /^NDJSON line 2 is not valid JSON/],
      ['[1, 2]\n', 'application/x-ndjson', '', 400, 'INVALID_REQUEST', /^NDJSON line 1 must be a JSON object/],
      ['a,b\n1,2,3\n', 'text/csv', '', 400, 'INVALID_REQUEST', /^CSV body cannot be parsed: Invalid Record Length/],
      ['a,a\n1,2\n', 'text/csv', '', 400, 'INVALID_REQUEST', /^CSV header names column "a" twice/],
      ['', 'application/x-ndjson', '', 400, 'INVALID_REQUEST', /^request body is empty$/],
      ['{"ride_id": 1}', 'application/json', '', 415, 'UNSUPPORTED_MEDIA_TYPE', /^Content-Type must be one of application\/x-ndjson, text\/csv, application\/vnd.apache.arrow.stream$/],
      ['{}\n', 'application/x-ndjson', '?major=x', 400, 'BAD_REQUEST', /major: must be a non-negative integer/],
      ['{}\n', 'application/x-ndjson', '?limit=3', 400, 'BAD_REQUEST', /invalid request/],
    ];
    for (const [body, type, query, status, code, message] of cases) {
      const res = await post(body, type, `fleet/ports/rides/rows${query}`);
      expect({ status: res.statusCode, code: res.json().error.code }).toEqual({ status, code });
      expect(res.json().error.message).toMatch(message);
      expect(res.body).not.toMatch(/at .*\.(js|ts):\d+/);
    }
  });

  it('answers 413 TOO_MANY_ROWS above the row limit', async () => {
    const res = await post('{}\n'.repeat(1_000_001), 'application/x-ndjson');
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toEqual({ code: 'TOO_MANY_ROWS', message: 'at most 1000000 rows per request; split the upload' });
  });
});
