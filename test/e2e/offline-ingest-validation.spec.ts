import { OfflineIngestService } from '../../src/features/ingest/offline-ingest.service';
import { OfflineSchemaService } from '../../src/features/offline/offline-schema.service';
import { startTestApp, TestApp } from '../support/test-app';

/** Every kind of rule ingestion enforces, one column each. */
const strictContract = `
apiVersion: v3.1.0
kind: DataContract
id: lab-readings-v1
version: 1.0.0
status: active
schema:
  - name: readings
    properties:
      - { name: id, logicalType: integer, required: true, primaryKey: true }
      - { name: sensor, logicalType: string, required: true, logicalTypeOptions: { minLength: 2, maxLength: 12, pattern: '^[a-z_]+$' } }
      - { name: value, logicalType: number, logicalTypeOptions: { minimum: 0, exclusiveMaximum: 1000, multipleOf: 0.5 } }
      - { name: level, logicalType: integer, logicalTypeOptions: { exclusiveMinimum: 0, maximum: 8 } }
      - { name: small, logicalType: integer, logicalTypeOptions: { format: u8 } }
      - { name: ok, logicalType: boolean }
      - { name: at, logicalType: timestamp, required: true, logicalTypeOptions: { minimum: '2000-01-01T00:00:00Z' } }
      - { name: day, logicalType: date, logicalTypeOptions: { maximum: '2030-12-31' } }
      - { name: clock, logicalType: time }
      - { name: meta, logicalType: object, logicalTypeOptions: { required: [source], maxProperties: 2 } }
      - { name: tags, logicalType: array, items: { logicalType: string }, logicalTypeOptions: { maxItems: 2, uniqueItems: true } }
      - { name: email, logicalType: string, logicalTypeOptions: { format: email } }
      - { name: serial, logicalType: string, unique: true }
      - { name: local, logicalType: timestamp, logicalTypeOptions: { defaultTimezone: '+02:00' } }
`;

const labProduct = `
apiVersion: v1.0.0
kind: DataProduct
id: lab
name: Lab
domain: science
status: active
outputPorts:
  - { name: readings, version: 1.0.0, type: table, contractId: lab-readings-v1 }
`;

const TABLE = 'dom_science.lab__readings__v1';

describe('offline store: every row is checked against the contract', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/contracts/apply',
      payload: {
        files: [
          { path: 'c/r.odcs.yaml', content: strictContract },
          { path: 'c/lab.odps.yaml', content: labProduct },
        ],
      },
    });
    expect(res.statusCode).toBe(200); // apply creates the port's offline table
  });
  afterAll(() => t.close());

  const good = (id: number) => ({ id, sensor: 'probe', at: '2024-05-01T00:00:00Z' });
  const send = (rows: unknown[], type = 'application/x-ndjson', body?: string) =>
    t.app.inject({ method: 'POST', url: '/v1/data-products/lab/ports/readings/rows', headers: { 'content-type': type }, payload: body ?? rows.map((r) => JSON.stringify(r)).join('\n') });
  const count = async (): Promise<number> => Number((await t.dataSource.query(`SELECT count(*) AS n FROM ${TABLE}`))[0].n);

  it('names row, field and reason of every violation in JSON rows', async () => {
    const cases: [Record<string, unknown>, string | null, string][] = [
      [{ id: 1.5 }, 'id', 'expected an integer, got number 1.5'],
      [{ id: '7' }, 'id', 'expected an integer, got string "7"'],
      [{ id: 2 ** 53 + 2 }, 'id', 'integer beyond ±(2^53-1) cannot be sent exactly as a JSON number; send it as a decimal string'],
      [{ id: '9223372036854775808' }, 'id', 'out of range for a 64-bit integer'],
      [{ id: undefined }, 'id', 'required (primary key column)'],
      [{ sensor: null }, 'sensor', 'required'],
      [{ sensor: 5 }, 'sensor', 'expected a string, got number 5'],
      [{ sensor: 'a' }, 'sensor', 'shorter than minLength 2'],
      [{ sensor: 'abcdefghijklm' }, 'sensor', 'longer than maxLength 12'],
      [{ sensor: 'Probe' }, 'sensor', 'does not match pattern ^[a-z_]+$'],
      [{ sensor: 'pr\u0000be' }, 'sensor', 'contains a NUL character, which PostgreSQL cannot store'],
      [{ value: -1 }, 'value', 'below minimum 0'],
      [{ value: 1000 }, 'value', 'must be less than 1000 (exclusiveMaximum)'],
      [{ value: 1.25 }, 'value', 'not a multiple of 0.5'],
      [{ value: '3' }, 'value', 'expected a number, got string "3"'],
      [{ level: 0 }, 'level', 'must be greater than 0 (exclusiveMinimum)'],
      [{ level: 9 }, 'level', 'above maximum 8'],
      [{ small: 256 }, 'small', 'out of range for format u8'],
      [{ ok: 'yes' }, 'ok', 'expected a boolean, got string "yes"'],
      [{ at: '2024-05-01T10:00:00' }, 'at', 'timestamp has no timezone; add Z or an offset such as +02:00'],
      [{ at: '2024-02-30T10:00:00Z' }, 'at', 'not a valid date and time'],
      [{ at: 'yesterday' }, 'at', 'expected an ISO-8601 timestamp (e.g. 2024-05-01T12:00:00Z) or epoch milliseconds'],
      [{ at: 1.5 }, 'at', 'epoch milliseconds must be an integer'],
      [{ at: '1999-12-31T23:59:59Z' }, 'at', 'before minimum 2000-01-01T00:00:00Z'],
      [{ at: true }, 'at', 'expected an ISO-8601 timestamp string or epoch milliseconds, got boolean true'],
      [{ day: '2024-13-01' }, 'day', 'expected a date YYYY-MM-DD, got string "2024-13-01"'],
      [{ day: '2031-01-01' }, 'day', 'after maximum 2030-12-31'],
      [{ clock: '25:00' }, 'clock', 'expected a time HH:MM[:SS[.ffffff]] without timezone, got string "25:00"'],
      [{ meta: [1] }, 'meta', 'expected an object, got an array'],
      [{ meta: { other: 1 } }, 'meta', 'missing required key(s) source'],
      [{ meta: { source: 1, a: 2, b: 3 } }, 'meta', 'more than maxProperties 2'],
      [{ meta: { source: 'x\u0000' } }, 'meta', 'contains a NUL character, which PostgreSQL cannot store'],
      [{ tags: {} }, 'tags', 'expected an array, got an object'],
      [{ tags: ['a', 'b', 'c'] }, 'tags', 'more than maxItems 2'],
      [{ tags: ['a', 'a'] }, 'tags', 'items are not unique (uniqueItems)'],
      [{ email: 'not-an-email' }, 'email', 'not a valid email'],
      [{ colour: 'red' }, 'colour', 'unknown column: not a property of the contract'],
    ];
    const rows = cases.map(([over], i) => ({ ...good(i + 1), ...over }));
    const res = await send(rows);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual({ errors: cases.map(([, field, reason], i) => ({ row: i + 1, field, reason })), total: cases.length });
    expect(await count()).toBe(0);
  });

  it('refuses duplicate keys within one request, but not exact repeats', async () => {
    const res = await send([good(1), { ...good(2), serial: 's1' }, { ...good(1), sensor: 'other' }, { ...good(3), serial: 's1' }, good(1)]);
    expect(res.json().error.details).toEqual({
      errors: [
        { row: 3, field: 'id', reason: 'duplicate primary key (id) = (1): row 1 has the same key with other values' },
        { row: 4, field: 'serial', reason: 'duplicate unique value (serial) = (s1): row 2 has the same key with other values' },
      ],
      total: 2,
    });
  });

  it('accepts what the rules allow, at their edges', async () => {
    const rows = [
      { ...good(1), value: 0, level: 8, small: 255, at: '2000-01-01T00:00:00Z', day: '2030-12-31', sensor: 'ab', meta: { source: 'x', n: null } },
      { ...good(2), value: 999.5, sensor: 'abcdefghijkl', tags: ['a', 'b'], email: 'ada@example.com', clock: '23:59:59.999999' },
      { ...good(3), id: '9223372036854775807', local: '2024-05-01T12:00:00' }, // zoneless: the contract's defaultTimezone
    ];
    const res = await send(rows);
    expect(res.json()).toEqual({ rows: 3, inserted: 3, duplicates: 0, table: TABLE });
    expect(await t.dataSource.query(`SELECT id::text, to_char(local AT TIME ZONE 'UTC', 'HH24:MI') AS local FROM ${TABLE} ORDER BY id`)).toEqual([
      { id: '1', local: null },
      { id: '2', local: null },
      { id: '9223372036854775807', local: '10:00' },
    ]);
  });

  it('reports CSV conversion failures the same way', async () => {
    const csv = [
      'id,sensor,at,value,ok,meta,level',
      'x,probe,2024-05-01T00:00:00Z,,,,',
      '10,probe,2024-05-01T00:00:00Z,1e,,,',
      '11,probe,2024-05-01T00:00:00Z,,maybe,,',
      '12,probe,2024-05-01T00:00:00Z,,,{bad,',
      '13,probe,2024-05-01T00:00:00Z,,,,2.5',
      '14,,2024-05-01T00:00:00Z,,,,',
    ].join('\n');
    const res = await send([], 'text/csv', csv);
    expect(res.json().error.details).toEqual({
      errors: [
        { row: 1, field: 'id', reason: 'expected an integer, got string "x"' },
        { row: 2, field: 'value', reason: 'expected a number, got string "1e"' },
        { row: 3, field: 'ok', reason: 'expected a boolean, got string "maybe"' },
        { row: 4, field: 'meta', reason: 'expected JSON object text' },
        { row: 5, field: 'level', reason: 'expected an integer, got string "2.5"' },
        { row: 6, field: 'sensor', reason: 'required' },
      ],
      total: 6,
    });
  });

  it('honours an enum in logicalTypeOptions, through the reusable service method', async () => {
    const contract = {
      id: 'enum-v1',
      version: '1.0.0',
      schema: [
        {
          name: 'e',
          physicalName: null,
          properties: [{ name: 'colour', logicalType: 'string', required: true, unique: false, primaryKey: false, primaryKeyPosition: null, logicalTypeOptions: { enum: ['red', 'green'] } }],
        },
      ],
    } as never;
    await t.dataSource.transaction((m) => t.app.get(OfflineSchemaService).syncPort(m, { domain: 'science', productId: 'paint', port: { name: 'e', version: '1.0.0', type: 'table' }, contract }));
    const ingest = t.app.get(OfflineIngestService);
    await expect(ingest.ingestRows('paint', 'e', [{ colour: 'red' }, { colour: 'blue' }])).rejects.toMatchObject({
      code: 'INGEST_REJECTED',
      details: { errors: [{ row: 2, field: 'colour', reason: 'not one of the allowed values "red", "green"' }], total: 1 },
    });
    expect(await ingest.ingestRows('paint', 'e', [{ colour: 'red' }, { colour: 'green' }, { colour: 'red' }])).toEqual({ rows: 3, inserted: 2, duplicates: 1, table: 'dom_science.paint__e__v1' });
  });
});
