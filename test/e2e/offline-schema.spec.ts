import { OfflineSchemaService } from '../../src/features/offline/offline-schema.service';
import { startTestApp, TestApp } from '../support/test-app';

/** A table port whose contract has one property of every logical type. */
const tripsContract = (over: { version?: string; extra?: string } = {}) => `
apiVersion: v3.1.0
kind: DataContract
id: rides-trips-v1
version: ${over.version ?? '1.0.0'}
status: active
schema:
  - name: trips
    properties:
      - { name: trip_id, logicalType: integer, required: true, primaryKey: true, primaryKeyPosition: 2 }
      - { name: city, logicalType: string, required: true, primaryKey: true, primaryKeyPosition: 1 }
      - { name: fare, logicalType: number }
      - { name: paid, logicalType: boolean, required: true }
      - { name: started_at, logicalType: timestamp, required: true }
      - { name: day, logicalType: date }
      - { name: at, logicalType: time }
      - { name: meta, logicalType: object }
      - { name: stops, logicalType: array, items: { logicalType: string } }
${over.extra ?? ''}`;

const tripsProduct = (portVersion = '1.0.0', type = 'table') => `
apiVersion: v1.0.0
kind: DataProduct
id: rides-trips
name: Rides trips
domain: rides
status: active
outputPorts:
  - name: trips
    version: ${portVersion}
    type: ${type}
    contractId: rides-trips-v1
`;

type PortRow = { domain: string; product_id: string; name: string; version: string; type: string | null; normalized: never };

describe('offline store: tables from contracts', () => {
  let t: TestApp;
  let schema: OfflineSchemaService;
  beforeAll(async () => {
    t = await startTestApp();
    schema = t.app.get(OfflineSchemaService);
  });
  afterAll(() => t.close());

  /**
   * Applies the documents (apply syncs the ports' tables itself), then syncs every output port again
   * explicitly: that second sync must find nothing left to do.
   */
  const applyAndSync = async (files: { path: string; content: string }[]) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files } });
    expect(res.statusCode).toBe(200);
    const ports: PortRow[] = await t.dataSource.query(
      `SELECT p.domain, op.product_id, op.name, op.version, op.type, c.normalized
         FROM tessera.output_ports op JOIN tessera.data_products p ON p.id = op.product_id
         LEFT JOIN tessera.data_contracts c ON c.id = op.contract_id ORDER BY op.product_id, op.name, op.version`,
    );
    return t.dataSource.transaction((m) =>
      Promise.all(ports.map((p) => schema.syncPort(m, { domain: p.domain, productId: p.product_id, port: { name: p.name, version: p.version, type: p.type }, contract: p.normalized }))),
    );
  };

  const columns = (schemaName: string, table: string): Promise<{ column_name: string; data_type: string; is_nullable: string; column_default: string | null }[]> =>
    t.dataSource.query(`SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`, [schemaName, table]);
  const indexes = async (schemaName: string, table: string): Promise<string[]> =>
    (await t.dataSource.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY indexname`, [schemaName, table])).map((r: { indexdef: string }) => r.indexdef);
  const registered = async (productId: string) =>
    t.dataSource.query(`SELECT port, major, port_version, contract_version, schema_name, table_name, columns FROM tessera.offline_tables WHERE product_id = $1 ORDER BY port, major`, [productId]);
  const normalized = async (id: string) => (await t.dataSource.query(`SELECT normalized FROM tessera.data_contracts WHERE id = $1`, [id]))[0].normalized;
  const sync = (input: Parameters<OfflineSchemaService['syncPort']>[1]) => t.dataSource.transaction((m) => schema.syncPort(m, input));

  it('creates one typed table per port major, with NOT NULL, the primary key and the internal columns', async () => {
    const r = await applyAndSync([
      { path: 'c/trips.odcs.yaml', content: tripsContract() },
      { path: 'c/trips.odps.yaml', content: tripsProduct() },
    ]);
    expect(r).toEqual([{ action: 'unchanged', table: 'dom_rides.rides_trips__trips__v1' }]); // created by apply
    expect(await columns('dom_rides', 'rides_trips__trips__v1')).toEqual([
      { column_name: 'trip_id', data_type: 'bigint', is_nullable: 'NO', column_default: null },
      { column_name: 'city', data_type: 'text', is_nullable: 'NO', column_default: null },
      { column_name: 'fare', data_type: 'double precision', is_nullable: 'YES', column_default: null },
      { column_name: 'paid', data_type: 'boolean', is_nullable: 'NO', column_default: null },
      { column_name: 'started_at', data_type: 'timestamp with time zone', is_nullable: 'NO', column_default: null },
      { column_name: 'day', data_type: 'date', is_nullable: 'YES', column_default: null },
      { column_name: 'at', data_type: 'time without time zone', is_nullable: 'YES', column_default: null },
      { column_name: 'meta', data_type: 'jsonb', is_nullable: 'YES', column_default: null },
      { column_name: 'stops', data_type: 'jsonb', is_nullable: 'YES', column_default: null },
      { column_name: '_tessera_row_hash', data_type: 'text', is_nullable: 'NO', column_default: null },
      { column_name: '_tessera_loaded_at', data_type: 'timestamp with time zone', is_nullable: 'NO', column_default: 'now()' },
    ]);
    // Composite key in primaryKeyPosition order; the row hash index makes re-sends idempotent. The table
    // is range-partitioned by its required timestamp (ADR 0030), so both unique indexes end with it.
    expect(await indexes('dom_rides', 'rides_trips__trips__v1')).toEqual([
      'CREATE UNIQUE INDEX rides_trips__trips__v1__pk ON ONLY dom_rides.rides_trips__trips__v1 USING btree (city, trip_id, started_at)',
      'CREATE UNIQUE INDEX rides_trips__trips__v1__row_hash ON ONLY dom_rides.rides_trips__trips__v1 USING btree (_tessera_row_hash, started_at)',
    ]);
    const [row] = await registered('rides-trips');
    expect(row).toMatchObject({ port: 'trips', major: 1, port_version: '1.0.0', contract_version: '1.0.0', schema_name: 'dom_rides', table_name: 'rides_trips__trips__v1' });
    expect(row.columns.map((c: { name: string; logicalType: string }) => `${c.name}:${c.logicalType}`)).toEqual([
      'trip_id:integer',
      'city:string',
      'fare:number',
      'paid:boolean',
      'started_at:timestamp',
      'day:date',
      'at:time',
      'meta:object',
      'stops:array',
    ]);
    expect(row.columns[0]).toEqual({ name: 'trip_id', logicalType: 'integer', required: true, unique: false, primaryKey: true, logicalTypeOptions: null });
  });

  it('is idempotent: syncing the same contract again changes nothing', async () => {
    const before = await registered('rides-trips');
    const r = await applyAndSync([
      { path: 'c/trips.odcs.yaml', content: tripsContract() },
      { path: 'c/trips.odps.yaml', content: tripsProduct() },
    ]);
    expect(r).toEqual([{ action: 'unchanged', table: 'dom_rides.rides_trips__trips__v1' }]);
    expect(await registered('rides-trips')).toEqual(before);
  });

  it('adds the new properties of a minor contract version as nullable columns, keeping the rows', async () => {
    await t.dataSource.query(`INSERT INTO dom_rides.rides_trips__trips__v1 (trip_id, city, paid, started_at, _tessera_row_hash) VALUES (1, 'oslo', true, now(), 'h1')`);
    const extra = `      - { name: driver, logicalType: string, required: true }\n      - { name: rating, logicalType: number, logicalTypeOptions: { minimum: 1, maximum: 5 } }`;
    const r = await applyAndSync([
      { path: 'c/trips.odcs.yaml', content: tripsContract({ version: '1.1.0', extra }) },
      { path: 'c/trips.odps.yaml', content: tripsProduct() },
    ]);
    expect(r).toEqual([{ action: 'unchanged', table: 'dom_rides.rides_trips__trips__v1' }]); // migrated by apply
    const cols = await columns('dom_rides', 'rides_trips__trips__v1');
    expect(cols.slice(-2)).toEqual([
      { column_name: 'driver', data_type: 'text', is_nullable: 'YES', column_default: null }, // required, yet nullable: old rows have no driver
      { column_name: 'rating', data_type: 'double precision', is_nullable: 'YES', column_default: null },
    ]);
    const [row] = await registered('rides-trips');
    expect(row.contract_version).toBe('1.1.0');
    // Ingestion still requires a driver in new rows: the metadata keeps the contract's `required`.
    expect(row.columns.find((c: { name: string }) => c.name === 'driver')).toMatchObject({ required: true, primaryKey: false });
    expect(row.columns.find((c: { name: string }) => c.name === 'rating').logicalTypeOptions).toEqual({ minimum: 1, maximum: 5 });
    expect(await t.dataSource.query(`SELECT trip_id, driver FROM dom_rides.rides_trips__trips__v1`)).toEqual([{ trip_id: '1', driver: null }]);
  });

  it('never drops or retypes a column; a property gone from the contract only loses NOT NULL', async () => {
    const contract = await normalized('rides-trips-v1');
    const props = contract.schema[0].properties;
    contract.version = '1.2.0';
    contract.schema[0].properties = props.filter((p: { name: string }) => p.name !== 'paid').map((p: { name: string }) => (p.name === 'fare' ? { ...p, logicalType: 'string' } : p));
    const r = await sync({ domain: 'rides', productId: 'rides-trips', port: { name: 'trips', version: '1.0.0', type: 'table' }, contract });
    expect(r.action).toBe('migrated');
    const cols = await columns('dom_rides', 'rides_trips__trips__v1');
    expect(cols.find((c) => c.column_name === 'paid')).toMatchObject({ data_type: 'boolean', is_nullable: 'YES' });
    expect(cols.find((c) => c.column_name === 'fare')).toMatchObject({ data_type: 'double precision' });
    const [row] = await registered('rides-trips');
    expect(row.columns.map((c: { name: string }) => c.name)).not.toContain('paid');
    expect(row.columns.find((c: { name: string }) => c.name === 'fare').logicalType).toBe('number');
  });

  it('serves a new port major from a new table, side by side', async () => {
    const r = await sync({ domain: 'rides', productId: 'rides-trips', port: { name: 'trips', version: '2.0.0', type: 'table' }, contract: await normalized('rides-trips-v1') });
    expect(r).toEqual({ action: 'created', table: 'dom_rides.rides_trips__trips__v2' });
    expect((await registered('rides-trips')).map((x: { major: number; table_name: string }) => `${x.major}:${x.table_name}`)).toEqual(['1:rides_trips__trips__v1', '2:rides_trips__trips__v2']);
  });

  it('skips ports that store no rows, and featureView ports get a table like table ports', async () => {
    const contract = await normalized('rides-trips-v1');
    const port = (type: string | null) => ({ domain: 'rides', productId: 'rides-other', port: { name: 'x', version: '1.0.0', type }, contract });
    for (const type of ['api', 'model', 'file', null]) expect(await sync(port(type))).toEqual({ action: 'skipped' });
    expect(await sync({ ...port('table'), contract: null })).toEqual({ action: 'skipped' });
    expect(await sync(port('featureView'))).toEqual({ action: 'created', table: 'dom_rides.rides_other__x__v1' });
  });

  it('creates the point-in-time index once, keys first then newest event and created first', async () => {
    const table = { schema: 'dom_rides', name: 'rides_trips__trips__v1' };
    const name = await t.dataSource.transaction((m) => schema.ensurePointInTimeIndex(m, table, ['city', 'trip_id'], 'started_at', 'day'));
    const again = await t.dataSource.transaction((m) => schema.ensurePointInTimeIndex(m, table, ['city', 'trip_id'], 'started_at', 'day'));
    expect(again).toBe(name);
    const noCreated = await t.dataSource.transaction((m) => schema.ensurePointInTimeIndex(m, table, ['trip_id'], 'started_at', null));
    expect(noCreated).not.toBe(name);
    const defs = await indexes('dom_rides', 'rides_trips__trips__v1');
    expect(defs.filter((d) => d.includes('__pit_'))).toEqual(
      [
        `CREATE INDEX ${name} ON ONLY dom_rides.rides_trips__trips__v1 USING btree (city, trip_id, started_at DESC, day DESC NULLS LAST)`,
        `CREATE INDEX ${noCreated} ON ONLY dom_rides.rides_trips__trips__v1 USING btree (trip_id, started_at DESC)`,
      ].sort((a, b) => (a.split(' ')[2] < b.split(' ')[2] ? -1 : 1)),
    );
    // And one BRIN index on the event time, whatever the keys (SLO freshness reads).
    expect(defs.filter((d) => d.includes('__brin_'))).toEqual([expect.stringMatching(/^CREATE INDEX rides_trips__trips__v1__brin_\w+ ON ONLY dom_rides\.rides_trips__trips__v1 USING brin \(started_at\)$/)]);
  });

  it('quotes hostile names from contracts and products everywhere', async () => {
    const contract = await normalized('rides-trips-v1');
    const evil = ['a"b', 'with space', 'x"; DROP TABLE tessera.data_products; --', "o'reilly", 'Ünïcode ✓', 'SELECT'];
    contract.schema[0].properties = evil.map((name, i) => ({ ...contract.schema[0].properties[i === 0 ? 0 : 2], name, primaryKey: i === 0, required: i === 0 }));
    const r = await sync({ domain: 'x"; DROP SCHEMA tessera; --', productId: 'p"; --', port: { name: "port'); DELETE FROM tessera.offline_tables; --", version: '1.0.0', type: 'table' }, contract });
    expect(r.action).toBe('created');
    const [schemaName, table] = r.table!.split('.');
    expect(schemaName).toBe('dom_x_drop_schema_tessera');
    expect((await columns(schemaName, table)).map((c) => c.column_name)).toEqual([...evil, '_tessera_row_hash', '_tessera_loaded_at']);
    expect(Number((await t.dataSource.query(`SELECT count(*) AS n FROM tessera.data_products`))[0].n)).toBe(1);
    expect(Number((await t.dataSource.query(`SELECT count(*) AS n FROM tessera.offline_tables`))[0].n)).toBe(4);
  });

  it('gives products whose ids normalize alike distinct tables', async () => {
    const contract = await normalized('rides-trips-v1');
    const a = await sync({ domain: 'rides', productId: 'fleet-a', port: { name: 'p', version: '1.0.0', type: 'table' }, contract });
    const b = await sync({ domain: 'rides', productId: 'fleet_a', port: { name: 'p', version: '1.0.0', type: 'table' }, contract });
    expect(a.table).toBe('dom_rides.fleet_a__p__v1');
    expect(b.table).toMatch(/^dom_rides\.fleet_a__p__v1_[0-9a-f]{8}$/);
  });

  it('refuses property names PostgreSQL would truncate or Tessera reserves, creating nothing', async () => {
    const contract = await normalized('rides-trips-v1');
    const base = contract.schema[0].properties[2];
    contract.schema[0].properties = [
      { ...base, name: 'x'.repeat(64) },
      { ...base, name: '_tessera_row_hash' },
      { ...base, name: 'dup' },
      { ...base, name: 'dup' },
      { ...base, name: 'bad_pattern', logicalType: 'string', logicalTypeOptions: { pattern: '([' } },
    ];
    const attempt = sync({ domain: 'rides', productId: 'rides-bad', port: { name: 'p', version: '1.0.0', type: 'table' }, contract });
    await expect(attempt).rejects.toMatchObject({ code: 'OFFLINE_SCHEMA_INVALID' });
    const err = await attempt.catch((e: { details: { problems: string[] } }) => e);
    expect((err as { details: { problems: string[] } }).details.problems).toEqual([
      `property ${'x'.repeat(64)} is longer than 63 bytes, PostgreSQL's limit for a column name`,
      "property _tessera_row_hash: names starting with _tessera_ are reserved for Tessera's internal columns",
      'property dup is declared twice',
      'property bad_pattern: pattern "([" is not a valid regular expression',
    ]);
    expect(await registered('rides-bad')).toEqual([]);
  });
  it('makes apply refuse a contract whose properties cannot become columns, storing nothing', async () => {
    const bad = tripsContract({ version: '1.3.0', extra: '      - { name: _tessera_note, logicalType: string }' }).replace('id: rides-trips-v1', 'id: rides-bad-v1');
    const product = tripsProduct().replace('id: rides-trips', 'id: rides-bad').replace('contractId: rides-trips-v1', 'contractId: rides-bad-v1');
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/contracts/apply',
      payload: {
        files: [
          { path: 'c/bad.odcs.yaml', content: bad },
          { path: 'c/bad.odps.yaml', content: product },
        ],
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.errors.map((e: { message: string }) => e.message)).toEqual([
      expect.stringContaining("property _tessera_note: names starting with _tessera_ are reserved for Tessera's internal columns"),
    ]);
    expect(await registered('rides-bad')).toEqual([]);
    expect(await t.dataSource.query(`SELECT id FROM tessera.data_products WHERE id = 'rides-bad'`)).toEqual([]);
  });
});
