import { Binary, Bool, DateDay, Dictionary, Field, Float64, Int32, Int64, List, makeData, makeVector, Struct, Table, tableToIPC, TimeMicrosecond, TimestampMicrosecond, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
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
      - { name: paid, logicalType: boolean }
      - { name: started_at, logicalType: timestamp, required: true }
      - { name: day, logicalType: date }
      - { name: at, logicalType: time }
      - { name: meta, logicalType: object }
      - { name: stops, logicalType: array, items: { logicalType: string } }
      - { name: plate, logicalType: string, unique: true }
`;

/** Column names a contract author could write; all must work as quoted identifiers. */
const hostileContract = `
apiVersion: v3.1.0
kind: DataContract
id: fleet-hostile-v1
version: 1.0.0
status: active
schema:
  - name: odd
    properties:
      - { name: 'key"quoted', logicalType: integer, required: true, primaryKey: true }
      - { name: 'with space', logicalType: string }
      - { name: 'x); DROP TABLE tessera.data_products; --', logicalType: string }
      - { name: "it's", logicalType: string }
      - { name: 'back\\slash	tab', logicalType: string }
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
  - { name: odd, version: 1.0.0, type: table, contractId: fleet-hostile-v1 }
`;

const TABLE = 'dom_mobility.fleet__rides__v1';

/** Arrow's builders take timestamps as milliseconds; build raw int64 microsecond data to keep precision. */
const microsVector = (values: bigint[]) => makeVector(makeData({ type: new TimestampMicrosecond(), length: values.length, nullCount: 0, data: BigInt64Array.from(values) }));

describe('offline store: ingesting rows', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/contracts/apply',
      payload: {
        files: [
          { path: 'c/rides.odcs.yaml', content: ridesContract },
          { path: 'c/odd.odcs.yaml', content: hostileContract },
          { path: 'c/fleet.odps.yaml', content: fleetProduct },
        ],
      },
    });
    expect(res.statusCode).toBe(200); // apply creates the ports' offline tables
  });
  afterAll(() => t.close());

  const post = (body: string | Buffer, contentType: string, path = 'fleet/ports/rides/rows') =>
    t.app.inject({ method: 'POST', url: `/v1/data-products/${path}`, headers: { 'content-type': contentType }, payload: body });
  const ndjson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const count = async (table = TABLE): Promise<number> => Number((await t.dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);
  const stored = (where: string) =>
    t.dataSource.query(
      `SELECT ride_id::text, driver, fare, paid, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS started_at, day::text, at::text, meta, stops, plate
         FROM ${TABLE} WHERE ${where} ORDER BY ride_id`,
    );

  it('loads NDJSON rows and answers what it stored', async () => {
    const rows = [
      { ride_id: 1, driver: 'ada', fare: 12.5, paid: true, started_at: '2024-05-01T12:00:00.123456+02:00', day: '2024-05-01', at: '12:00', meta: { b: 1, a: [true] }, stops: ['x', 'y'], plate: 'AB-1' },
      { ride_id: 2, driver: 'bob', started_at: 1714557600000 },
      { ride_id: 3, driver: 'cy', fare: null, started_at: '2024-05-01T10:00:00Z', plate: 'AB-3' },
    ];
    const res = await post(ndjson(rows), 'application/x-ndjson');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ rows: 3, inserted: 3, duplicates: 0, table: TABLE });
    expect(await stored('ride_id <= 3')).toEqual([
      { ride_id: '1', driver: 'ada', fare: 12.5, paid: true, started_at: '2024-05-01T10:00:00.123456', day: '2024-05-01', at: '12:00:00', meta: { a: [true], b: 1 }, stops: ['x', 'y'], plate: 'AB-1' },
      { ride_id: '2', driver: 'bob', fare: null, paid: null, started_at: '2024-05-01T10:00:00.000000', day: null, at: null, meta: null, stops: null, plate: null },
      { ride_id: '3', driver: 'cy', fare: null, paid: null, started_at: '2024-05-01T10:00:00.000000', day: null, at: null, meta: null, stops: null, plate: 'AB-3' },
    ]);
  });

  it('counts re-sent rows as duplicates and stores nothing twice', async () => {
    const again = [
      { ride_id: 1, driver: 'ada', fare: 12.5, paid: true, started_at: '2024-05-01T10:00:00.123456Z', day: '2024-05-01', at: '12:00:00', meta: { a: [true], b: 1 }, stops: ['x', 'y'], plate: 'AB-1' },
      { ride_id: 2, driver: 'bob', started_at: '2024-05-01T10:00:00Z' }, // same instant, other notation
      { ride_id: 4, driver: 'dan', started_at: '2024-05-02T10:00:00Z' },
      { ride_id: 4, driver: 'dan', started_at: '2024-05-02T10:00:00Z' }, // repeated within the request
    ];
    const res = await post(ndjson(again), 'application/x-ndjson');
    expect(res.json()).toEqual({ rows: 4, inserted: 1, duplicates: 3, table: TABLE });
    expect(await count()).toBe(4);
    const same = await post(ndjson(again), 'application/x-ndjson');
    expect(same.json()).toEqual({ rows: 4, inserted: 0, duplicates: 4, table: TABLE });
    expect(await count()).toBe(4);
  });

  it('loads CSV with quoting, converting text to each column type; empty is NULL, "" is the empty string', async () => {
    const csv = [
      'ride_id,driver,fare,paid,started_at,day,at,meta,stops,plate',
      '10,"dee, the ""driver""",1.5e2,TRUE,2024-05-03T08:00:00-01:00,2024-05-03,08:30:15.5,"{""k"": ""v""}","[""a""]",""',
      '11,"multi',
      'line",,0,1714723200000,,,,,',
    ].join('\r\n');
    const res = await post(csv, 'text/csv; charset=utf-8');
    expect(res.json()).toEqual({ rows: 2, inserted: 2, duplicates: 0, table: TABLE });
    expect(await stored('ride_id IN (10, 11)')).toEqual([
      { ride_id: '10', driver: 'dee, the "driver"', fare: 150, paid: true, started_at: '2024-05-03T09:00:00.000000', day: '2024-05-03', at: '08:30:15.5', meta: { k: 'v' }, stops: ['a'], plate: '' },
      { ride_id: '11', driver: 'multi\r\nline', fare: null, paid: false, started_at: '2024-05-03T08:00:00.000000', day: null, at: null, meta: null, stops: null, plate: null },
    ]);
  });

  it('treats the same values sent as CSV and as NDJSON as the same row', async () => {
    const res = await post('ride_id,driver,started_at,fare\n2,bob,1714557600000,\n', 'text/csv');
    expect(res.json()).toEqual({ rows: 1, inserted: 0, duplicates: 1, table: TABLE });
  });

  it('loads an Arrow IPC stream, keeping microseconds and mapping typed columns', async () => {
    const table = new Table({
      ride_id: vectorFromArray([20n, 21n], new Int64()),
      driver: vectorFromArray(['eve', 'fay'], new Dictionary(new Utf8(), new Int32())),
      fare: vectorFromArray([9.75, null], new Float64()),
      paid: vectorFromArray([false, null], new Bool()),
      started_at: microsVector([1714723200123456n, -1n]),
      day: vectorFromArray([new Date(Date.UTC(2024, 4, 3)), null], new DateDay()),
      at: vectorFromArray([45296000001n, null], new TimeMicrosecond()),
      meta: vectorFromArray([{ n: 1n, s: 'x' }, null], new Struct([new Field('n', new Int64(), true), new Field('s', new Utf8(), true)])),
      stops: vectorFromArray([['p', 'q'], null], new List(new Field('item', new Utf8(), true))),
      plate: vectorFromArray(['EV-1', null], new Utf8()),
    });
    const res = await post(Buffer.from(tableToIPC(table, 'stream')), 'application/vnd.apache.arrow.stream');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ rows: 2, inserted: 2, duplicates: 0, table: TABLE });
    expect(await stored('ride_id IN (20, 21)')).toEqual([
      { ride_id: '20', driver: 'eve', fare: 9.75, paid: false, started_at: '2024-05-03T08:00:00.123456', day: '2024-05-03', at: '12:34:56.000001', meta: { n: 1, s: 'x' }, stops: ['p', 'q'], plate: 'EV-1' },
      { ride_id: '21', driver: 'fay', fare: null, paid: null, started_at: '1969-12-31T23:59:59.999999', day: null, at: null, meta: null, stops: null, plate: null },
    ]);
  });

  it('refuses an Arrow column of the wrong type per row, and an unreadable or unsupported stream with 400', async () => {
    const wrong = new Table({ ride_id: vectorFromArray(['30'], new Utf8()), driver: vectorFromArray(['gus'], new Utf8()), started_at: vectorFromArray([1714723200000], new TimestampMicrosecond()) });
    const res = await post(Buffer.from(tableToIPC(wrong, 'stream')), 'application/vnd.apache.arrow.stream');
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.errors).toEqual([{ row: 1, field: 'ride_id', reason: 'expected an integer, got string "30"' }]);

    const garbage = await post(Buffer.from('definitely not arrow'), 'application/vnd.apache.arrow.stream');
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringMatching(/^body is not a valid Arrow IPC stream: /) });

    const binary = new Table({ ride_id: vectorFromArray([new Uint8Array([1])], new Binary()) });
    const unsupported = await post(Buffer.from(tableToIPC(binary, 'stream')), 'application/vnd.apache.arrow.stream');
    expect(unsupported.statusCode).toBe(400);
    expect(unsupported.json().error.message).toMatch(/^Arrow column "ride_id" has type Binary, which ingestion does not read/);
  });

  it('stores columns with hostile names from NDJSON and CSV', async () => {
    const row = { 'key"quoted': 1, 'with space': 'a b', 'x); DROP TABLE tessera.data_products; --': 'boom', "it's": "o'clock", 'back\\slash\ttab': 'v\\al\tue\nx' };
    const a = await post(ndjson([row]), 'application/x-ndjson', 'fleet/ports/odd/rows');
    expect(a.json()).toEqual({ rows: 1, inserted: 1, duplicates: 0, table: 'dom_mobility.fleet__odd__v1' });
    const csv = `"key""quoted","with space","x); DROP TABLE tessera.data_products; --",it's,"back\\slash\ttab"\n2,c d,e,f,g\n`;
    const b = await post(csv, 'text/csv', 'fleet/ports/odd/rows');
    expect(b.json()).toMatchObject({ inserted: 1 });
    const rows = await t.dataSource.query(`SELECT * FROM dom_mobility.fleet__odd__v1 ORDER BY "key""quoted"`);
    expect(rows.map(({ _tessera_row_hash, _tessera_loaded_at, ...r }: Record<string, unknown>) => r)).toEqual([
      { ...row, 'key"quoted': '1' },
      { 'key"quoted': '2', 'with space': 'c d', 'x); DROP TABLE tessera.data_products; --': 'e', "it's": 'f', 'back\\slash\ttab': 'g' },
    ]);
    expect(Number((await t.dataSource.query(`SELECT count(*) AS n FROM tessera.data_products`))[0].n)).toBe(1);
  });

  it('round-trips arbitrary Unicode text through NDJSON and CSV unchanged', async () => {
    const texts = fc.sample(
      fc.string({ unit: 'binary', maxLength: 40 }).filter((x) => !x.includes('\u0000')),
      { numRuns: 300, seed: 42 },
    );
    texts.push('\\N', '\\', '\t\r\n', '"', '', ' padded ', '\uFEFFbom', '\u2028');
    const rows = texts.map((text, i) => ({ 'key"quoted': 10_000 + i, 'with space': text }));
    expect((await post(ndjson(rows), 'application/x-ndjson', 'fleet/ports/odd/rows')).json()).toMatchObject({ inserted: rows.length });
    const quote = (x: string) => `"${x.replace(/"/g, '""')}"`;
    const csv = ['"key""quoted","with space"', ...texts.map((text, i) => `${20_000 + i},${quote(text)}`)].join('\n');
    expect((await post(csv, 'text/csv', 'fleet/ports/odd/rows')).json()).toMatchObject({ inserted: rows.length });
    const back = await t.dataSource.query(`SELECT "key""quoted"::int AS k, "with space" AS v FROM dom_mobility.fleet__odd__v1 WHERE "key""quoted" >= 10000 ORDER BY 1`);
    expect(back).toEqual([...texts.map((v, i) => ({ k: 10_000 + i, v })), ...texts.map((v, i) => ({ k: 20_000 + i, v }))]);
  });

  it('picks the major with ?major=N, the newest by default', async () => {
    const contract = (await t.dataSource.query(`SELECT normalized FROM tessera.data_contracts WHERE id = 'fleet-rides-v1'`))[0].normalized;
    await t.dataSource.transaction((m) => t.app.get(OfflineSchemaService).syncPort(m, { domain: 'mobility', productId: 'fleet', port: { name: 'rides', version: '2.0.0', type: 'table' }, contract }));
    const row = ndjson([{ ride_id: 1, driver: 'v2', started_at: '2024-05-04T00:00:00Z' }]);
    expect((await post(row, 'application/x-ndjson')).json().table).toBe('dom_mobility.fleet__rides__v2');
    expect((await post(row, 'application/x-ndjson', 'fleet/ports/rides/rows?major=1')).statusCode).toBe(422); // ride 1 exists in v1
    expect((await post(row, 'application/x-ndjson', 'fleet/ports/rides/rows?major=2')).json()).toMatchObject({ inserted: 0, duplicates: 1 });
  });

  it('accepts a header-only CSV as zero rows', async () => {
    const res = await post('ride_id,driver,started_at\n', 'text/csv');
    expect(res.json()).toEqual({ rows: 0, inserted: 0, duplicates: 0, table: 'dom_mobility.fleet__rides__v2' });
  });
});
