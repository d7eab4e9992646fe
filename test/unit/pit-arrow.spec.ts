import { Type } from 'apache-arrow';
import { PointInTimeEngine } from '../../src/features/retrieval/point-in-time.engine';
import { arrowToJsonColumns } from '../support/pit-arrow-json';
import { createPitDb, insertRows, PitTableSpec, PitTestDb, resolvedView } from '../support/pit-tables';

/** Every logical type, in the physical types OfflineSchemaService creates for them. */
const allTypes: PitTableSpec = {
  view: 'all_types',
  table: 'all_types',
  keys: [{ name: 'account', type: 'string', sql: 'text' }],
  timestamp: { column: 'event_timestamp' },
  created: null,
  ttlSeconds: 0,
  features: [
    { name: 'n_int', type: 'integer', sql: 'bigint' },
    { name: 'n_num', type: 'number', sql: 'double precision' },
    { name: 's', type: 'string', sql: 'text' },
    { name: 'b', type: 'boolean', sql: 'boolean' },
    { name: 'at', type: 'timestamp', sql: 'timestamptz' },
    { name: 'd', type: 'date', sql: 'date' },
    { name: 't', type: 'time', sql: 'time' },
    { name: 'o', type: 'object', sql: 'jsonb' },
    { name: 'a', type: 'array', sql: 'jsonb' },
  ],
};

/** 2,000 drivers × 10 hourly rows, for the streaming tests. */
const hourly: PitTableSpec = {
  view: 'hourly',
  table: 'hourly',
  keys: [{ name: 'driver_id', type: 'integer', sql: 'bigint' }],
  timestamp: { column: 'event_timestamp' },
  created: null,
  ttlSeconds: 3600,
  features: [{ name: 'trips', type: 'integer', sql: 'bigint' }],
};

const ROWS = 200_000;
const BASE = Date.parse('2024-01-01T00:00:00Z');

async function collect(gen: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  for await (const p of gen) parts.push(p);
  return parts;
}

describe('point-in-time retrieval: Arrow IPC stream', () => {
  let t: PitTestDb;
  const A = resolvedView(allTypes);
  const H = resolvedView(hourly);

  beforeAll(async () => {
    t = await createPitDb([allTypes, hourly]);
    await insertRows(t.pool, allTypes, [
      {
        account: 'acc-1',
        event_timestamp: '2024-05-01T10:00:00.123456Z',
        n_int: '9007199254740993',
        n_num: -0.5,
        s: 'Zoë 🚕',
        b: true,
        at: '2024-05-01T09:59:59.000001Z',
        d: '2024-02-29',
        t: '23:59:59.5',
        o: '{"k": [1, {"x": null}]}',
        a: '[1, "two", null]',
      },
      { account: 'acc-2', event_timestamp: '2024-05-01T10:00:00Z', n_int: '-42', n_num: 1e300, s: '', b: false, at: '1999-12-31T23:59:59Z', d: '1970-01-01', t: '00:00:00', o: '{}', a: '[]' },
      { account: 'acc-3', event_timestamp: '2024-05-01T10:00:00Z', n_int: null, n_num: null, s: null, b: null, at: null, d: null, t: null, o: null, a: null },
    ]);
    const rows = [];
    for (let d = 0; d < 2000; d++) for (let h = 0; h < 10; h++) rows.push({ driver_id: d, event_timestamp: new Date(BASE + h * 3_600_000).toISOString(), trips: d * 100 + h });
    for (let i = 0; i < rows.length; i += 5000) await insertRows(t.pool, hourly, rows.slice(i, i + 5000));
  });
  afterAll(() => t.close());

  it('equals the JSON answer for every logical type, with Arrow types from the view', async () => {
    const engine = new PointInTimeEngine(t.pool);
    const request = {
      entities: {
        account: ['acc-1', 'acc-2', 'acc-3', 'nobody', 'acc-1'],
        event_timestamp: ['2024-05-01T10:00:00.123456Z', '2024-05-02T00:00:00Z', '2024-05-02T00:00:00Z', '2024-05-02T00:00:00Z', '2024-05-01T10:00:00.123455Z'],
        weight: [0.5, 1, 2, null, 3],
        tag: ['x', 'y', 'z', 'w', 'v'],
      },
      features: A.features.map((f) => ({ view: A, feature: f.name })),
    };
    const prepared = await engine.prepare(request);
    const json = await engine.toColumns(prepared);
    expect(json.columns.n_int).toEqual(['9007199254740993', -42, null, null, null]);
    expect(json.columns.at).toEqual(['2024-05-01T09:59:59.000001Z', '1999-12-31T23:59:59.000Z', null, null, null]);
    expect(json.columns.o).toEqual([{ k: [1, { x: null }] }, {}, null, null, null]);
    expect(json.columns.t).toEqual(['23:59:59.5', '00:00:00', null, null, null]);

    const { columns, table } = arrowToJsonColumns(Buffer.concat(await collect(engine.arrow(prepared))), new Set(['o', 'a']));
    expect(columns).toEqual(json.columns);
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, f.type.typeId]));
    expect(types).toEqual({
      account: Type.Utf8,
      event_timestamp: Type.Timestamp,
      weight: Type.Float,
      tag: Type.Utf8,
      n_int: Type.Int,
      n_num: Type.Float,
      s: Type.Utf8,
      b: Type.Bool,
      at: Type.Timestamp,
      d: Type.Date,
      t: Type.Utf8,
      o: Type.Utf8,
      a: Type.Utf8,
    });
    expect(String(table.schema.fields.find((f) => f.name === 'at')!.type)).toBe('Timestamp<MICROSECOND, UTC>');
  });

  it.each([
    ['one connection', Infinity],
    ['two connections sharing a snapshot', 1],
  ])('streams 200k rows as many record batches, in order (%s)', async (_name, threshold) => {
    const engine = new PointInTimeEngine(t.pool, { parallelThreshold: threshold, parallelism: 2 });
    const driver = Array.from({ length: ROWS }, (_, i) => (i * 7919) % 2100); // 100 of 2,100 drivers unknown
    const at = Array.from({ length: ROWS }, (_, i) => BASE + (i % 12) * 3_600_000 - 1); // 1 ms before each hour
    const prepared = await engine.prepare({ entities: { driver_id: driver, event_timestamp: at, i: Array.from({ length: ROWS }, (_, i) => i) }, features: [{ view: H, feature: 'trips' }] });

    let chunks = 0;
    let biggest = 0;
    for await (const c of engine.chunks(prepared)) {
      chunks++;
      biggest = Math.max(biggest, c.length);
    }
    expect(chunks).toBe(ROWS / 10_000);
    expect(biggest).toBe(10_000);

    const parts = await collect(engine.arrow(prepared));
    expect(parts.length).toBe(ROWS / 10_000 + 2); // schema, one message per batch, end-of-stream
    const { columns, table } = arrowToJsonColumns(Buffer.concat(parts));
    expect(table.batches.length).toBe(ROWS / 10_000);
    expect(table.numRows).toBe(ROWS);
    expect(columns.i).toEqual(Array.from({ length: ROWS }, (_, i) => i));
    // Hour h - 1 ms sees the row of hour h - 1 (ttl 1 h), none before the first hour or for unknown drivers.
    const expected = driver.map((d, i) => (d >= 2000 || i % 12 === 0 || i % 12 > 10 ? null : d * 100 + (i % 12) - 1));
    expect(columns.trips).toEqual(expected);
  });

  it.each([
    ['one connection', Infinity],
    ['three connections', 1],
  ])('releases every connection and rolls back when the reader stops early (%s)', async (_name, threshold) => {
    const engine = new PointInTimeEngine(t.pool, { parallelThreshold: threshold, parallelism: 3, chunkRows: 1000 });
    const driver = Array.from({ length: 20_000 }, (_, i) => i % 2000);
    const prepared = await engine.prepare({ entities: { driver_id: driver, event_timestamp: driver.map(() => BASE + 5 * 3_600_000) }, features: [{ view: H, feature: 'trips' }] });
    let parts = 0;
    for await (const _ of engine.arrow(prepared)) if (++parts === 3) break;
    expect(parts).toBe(3);
    const { rows } = await t.pool.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`);
    expect(Number(rows[0].n)).toBe(0);
    expect(t.pool.idleCount).toBe(t.pool.totalCount);
    expect(t.pool.waitingCount).toBe(0);
  });

  it('fails cleanly instead of waiting forever when a parallel worker gets no connection', async () => {
    let calls = 0;
    // A real pool that refuses the third connection: prepare() takes the first, worker 0 the second.
    const refusing = { connect: () => (++calls === 3 ? Promise.reject(new Error('pool exhausted')) : t.pool.connect()) };
    const engine = new PointInTimeEngine(refusing, { parallelThreshold: 1, parallelism: 2, chunkRows: 1000 });
    // Two blocks: worker 0 finishes its only block and must then wait for worker 1 to import the snapshot.
    const driver = Array.from({ length: 2000 }, (_, i) => i);
    const prepared = await engine.prepare({ entities: { driver_id: driver, event_timestamp: driver.map(() => BASE) }, features: [{ view: H, feature: 'trips' }] });
    await expect(engine.toColumns(prepared)).rejects.toThrow('pool exhausted');
    expect(calls).toBe(3);
    const { rows } = await t.pool.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`);
    expect(Number(rows[0].n)).toBe(0);
    expect(t.pool.idleCount).toBe(t.pool.totalCount);
  });
});
