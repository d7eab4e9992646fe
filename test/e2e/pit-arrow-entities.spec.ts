import { Dictionary, Int32, Int64, makeData, makeVector, RecordBatch, RecordBatchStreamWriter, Table, tableToIPC, TimestampMicrosecond, Utf8, Vector, vectorFromArray } from 'apache-arrow';
import http from 'node:http';
import fc from 'fast-check';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { arrowToJsonColumns } from '../support/pit-arrow-json';
import { hourlyRows, pitMeshFiles } from '../support/pit-mesh';
import { startTestApp, TestApp } from '../support/test-app';
import { until } from '../support/local-processes';
import { entityUploadProbe } from '../../src/features/retrieval/entity-stager';
import { DECODE_ROWS } from '../../src/features/retrieval/arrow-entity-reader';

const ARROW = 'application/vnd.apache.arrow.stream';
const PARQUET = 'application/vnd.apache.parquet';

/** A port keyed by (driver_id, city): views on it with a composite key and with a string key alone. */
const cityFiles = [
  {
    path: 'contracts/rides/pit-city-stats.odps.yaml',
    content: `
apiVersion: v1.0.0
kind: DataProduct
id: pit-city-stats
name: City stats for Arrow entity tests
domain: rides
status: active
outputPorts:
  - { name: by_city, version: 1.0.0, type: table, contractId: pit-city-stats-v1 }
`,
  },
  {
    path: 'contracts/rides/pit-city-stats/by_city.odcs.yaml',
    content: `
apiVersion: v3.1.0
kind: DataContract
id: pit-city-stats-v1
version: 1.0.0
status: active
schema:
  - name: by_city
    properties:
      - { name: driver_id, logicalType: integer, required: true }
      - { name: city, logicalType: string, required: true }
      - { name: event_timestamp, logicalType: timestamp, required: true }
      - { name: trips, logicalType: integer }
      - { name: surge, logicalType: number }
`,
  },
  {
    path: 'contracts/rides/city-features.yaml',
    content: `
apiVersion: tessera/v1
kind: Entity
name: driver_city
joinKeys: [{ name: driver_id, type: integer }, { name: city, type: string }]
---
apiVersion: tessera/v1
kind: Entity
name: city
joinKeys: [{ name: city, type: string }]
---
apiVersion: tessera/v1
kind: FeatureView
name: driver_city_stats
entities: [driver_city]
source: { dataProduct: pit-city-stats, outputPort: by_city }
timestampField: event_timestamp
ttl: 0
online: false
features: [trips]
---
apiVersion: tessera/v1
kind: FeatureView
name: city_surge
entities: [city]
source: { dataProduct: pit-city-stats, outputPort: by_city }
timestampField: event_timestamp
ttl: 3h
online: false
features: [surge]
`,
  },
];

const cityRows = [
  { driver_id: 1001, city: 'paris', event_timestamp: '2021-04-12T08:00:00Z', trips: 3, surge: 1.5 },
  { driver_id: 1001, city: 'lyon', event_timestamp: '2021-04-12T09:00:00.000250Z', trips: 4, surge: 1.25 },
  { driver_id: 1002, city: 'paris', event_timestamp: '2021-04-12T10:00:00Z', trips: 7, surge: null },
  { driver_id: 1003, city: 'nice', event_timestamp: '2021-04-12T07:00:00Z', trips: 1, surge: 2 },
];

// driver_hourly:city would clash with the entity column city (a 400 on both paths): conv_rate instead.
const FEATURES = ['driver_hourly:trips_today', 'driver_hourly:conv_rate', 'driver_city_stats:trips', 'city_surge:surge'];
const T0 = Date.parse('2021-04-12T06:00:00Z');
/** This suite's TESSERA_ENTITY_UPLOAD_IDLE_MS. */
const IDLE_MS = 4000;

interface Spine {
  driverId: (number | null)[];
  city: (string | null)[];
  /** Epoch microseconds. */
  micros: bigint[];
  label: (number | null)[];
}

/** A Timestamp(µs, UTC) column from exact epoch microseconds (Arrow's builder takes milliseconds as a float). */
function microsVector(values: (bigint | null)[]): Vector<TimestampMicrosecond> {
  const data = new BigInt64Array(values.length);
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v === null) nullCount++;
    else {
      data[i] = v;
      nullBitmap[i >> 3] |= 1 << (i & 7);
    }
  });
  return makeVector(makeData({ type: new TimestampMicrosecond('UTC'), length: values.length, nullCount, data, nullBitmap }));
}

/** The spine as the JSON body carries it: ISO text with microseconds. */
function jsonEntities(s: Spine): Record<string, unknown[]> {
  const iso = (us: bigint) => {
    const ms = Number(us / 1000n);
    return `${new Date(ms).toISOString().slice(0, -1)}${String(Number(us % 1000n)).padStart(3, '0')}Z`;
  };
  return { driver_id: s.driverId, city: s.city, event_timestamp: s.micros.map(iso), label: s.label };
}

/** The same spine as an Arrow IPC stream, split into record batches of `batchRows`. */
function arrowEntities(s: Spine, batchRows: number): Uint8Array {
  const sizes: number[] = [];
  for (let from = 0; from < s.micros.length; from += batchRows) sizes.push(Math.min(batchRows, s.micros.length - from));
  return arrowBatches(s, sizes, false);
}

/**
 * The spine as an Arrow IPC stream of record batches of the given sizes (0: an empty batch), `city`
 * dictionary-encoded when `dictionary` (each batch then carries its own replacement dictionary).
 */
function arrowBatches(s: Spine, sizes: readonly number[], dictionary: boolean): Uint8Array {
  const writer = new RecordBatchStreamWriter();
  let schema: Table['schema'] | undefined;
  let from = 0;
  for (const n of sizes) {
    const to = from + n;
    const t = new Table({
      driver_id: vectorFromArray(
        s.driverId.slice(from, to).map((v) => (v === null ? null : BigInt(v))),
        new Int64(),
      ),
      city: vectorFromArray(s.city.slice(from, to), dictionary ? new Dictionary(new Utf8(), new Int32()) : new Utf8()),
      event_timestamp: microsVector(s.micros.slice(from, to)),
      label: vectorFromArray(s.label.slice(from, to), new Int32()),
    });
    schema ??= t.schema;
    for (const b of t.batches) writer.write(new RecordBatch(schema, b.data));
    from = to;
  }
  writer.finish();
  return writer.toUint8Array(true);
}

/** The same spine as a Parquet file (INT64 keys, UTF8, TIMESTAMP_MICROS, INT32), in row groups of `groupRows`. */
function parquetEntities(s: Spine, groupRows: number): Uint8Array {
  const schema = [
    { name: 'root', num_children: 4 },
    { name: 'driver_id', type: 'INT64' as const, repetition_type: 'OPTIONAL' as const },
    { name: 'city', type: 'BYTE_ARRAY' as const, converted_type: 'UTF8' as const, repetition_type: 'OPTIONAL' as const },
    { name: 'event_timestamp', type: 'INT64' as const, converted_type: 'TIMESTAMP_MICROS' as const, repetition_type: 'REQUIRED' as const },
    { name: 'label', type: 'INT32' as const, repetition_type: 'OPTIONAL' as const },
  ];
  const buffer = parquetWriteBuffer({
    schema,
    rowGroupSize: groupRows,
    columnData: [
      { name: 'driver_id', data: s.driverId.map((v) => (v === null ? null : BigInt(v))) },
      { name: 'city', data: s.city },
      { name: 'event_timestamp', data: s.micros },
      { name: 'label', data: s.label },
    ],
  });
  return new Uint8Array(buffer);
}

/**
 * Entity rows as an Arrow IPC body (ADR 0025): the same answers as the JSON spine, for any spine; the
 * body limit does not apply, the row cap does; bad uploads are refused with the field and the reason.
 */
describe('Arrow entity upload for historical features and training datasets', () => {
  let t: TestApp;
  const postJson = (payload: object, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: '/v1/historical-features', headers: { 'content-type': 'application/json', ...headers }, payload });
  const postArrow = (query: string, body: Uint8Array, headers: Record<string, string> = {}, url = '/v1/historical-features') =>
    t.app.inject({ method: 'POST', url: `${url}?${query}`, headers: { 'content-type': ARROW, ...headers }, payload: Buffer.from(body) });
  const featureQuery = FEATURES.map((f) => `features=${encodeURIComponent(f)}`).join('&');

  beforeAll(async () => {
    t = await startTestApp({ TESSERA_BODY_LIMIT_BYTES: String(1024 * 1024), TESSERA_ENTITY_MAX_ROWS: '1500000', TESSERA_ENTITY_UPLOAD_IDLE_MS: String(IDLE_MS) });
    const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: [...pitMeshFiles(), ...cityFiles] } });
    expect(applied.statusCode).toBe(200);
    for (const [url, rows] of [
      ['/v1/data-products/pit-driver-stats/ports/hourly/rows', hourlyRows],
      ['/v1/data-products/pit-city-stats/ports/by_city/rows', cityRows],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-ndjson' }, payload: rows.map((r) => JSON.stringify(r)).join('\n') });
      expect(res.json()).toMatchObject({ inserted: rows.length });
    }
  });
  afterAll(() => t.close());

  it('answers exactly as the JSON spine on random spines (nulls, string and composite keys, duplicate rows, microseconds)', async () => {
    const row = fc.record({
      driverId: fc.constantFrom(1001, 1002, 1003, 4242, null),
      city: fc.constantFrom('paris', 'lyon', 'nice', 'Zürich\ttab', '', null),
      // Minutes after 06:00 on the day of the data, sometimes with microseconds.
      micros: fc.tuple(fc.integer({ min: 0, max: 8 * 60 }), fc.integer({ min: 0, max: 999_999 }), fc.boolean()).map(([m, us, fine]) => BigInt(T0 + m * 60_000) * 1000n + BigInt(fine ? us : 0)),
      label: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
    });
    const spine = fc.array(row, { minLength: 1, maxLength: 60 }).chain((rows) =>
      // Duplicate rows on purpose: each must keep its own place in the answer.
      fc.constant(rows.concat(rows.slice(0, Math.min(3, rows.length)))),
    );
    await fc.assert(
      fc.asyncProperty(spine, fc.integer({ min: 1, max: 7 }), async (rows, batchRows) => {
        const s: Spine = { driverId: rows.map((r) => r.driverId), city: rows.map((r) => r.city), micros: rows.map((r) => r.micros), label: rows.map((r) => r.label) };
        const json = await postJson({ features: FEATURES, entities: jsonEntities(s) });
        expect(json.statusCode).toBe(200);
        const arrow = await postArrow(featureQuery, arrowEntities(s, batchRows));
        expect(arrow.statusCode).toBe(200);
        expect(arrow.json()).toEqual(json.json());
      }),
      { numRuns: 30 },
    );
  });

  it('answers as the JSON spine however the stream is cut: empty batches, batches of one row, many small batches, dictionary strings', async () => {
    const row = fc.record({
      driverId: fc.constantFrom(1001, 1002, 1003, 4242, null),
      city: fc.constantFrom('paris', 'lyon', 'nice', 'Zürich\ttab', '', null),
      micros: fc.tuple(fc.integer({ min: 0, max: 8 * 60 }), fc.integer({ min: 0, max: 999_999 }), fc.boolean()).map(([m, us, fine]) => BigInt(T0 + m * 60_000) * 1000n + BigInt(fine ? us : 0)),
      label: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
    });
    // Rows (duplicates included), then how the stream cuts them: sizes of 0 (empty batches) and 1 mixed in.
    const spine = fc.array(row, { minLength: 1, maxLength: 40 }).chain((rows) => {
      const all = rows.concat(rows.slice(0, Math.min(3, rows.length)));
      return fc.tuple(fc.constant(all), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 30 }), fc.boolean());
    });
    await fc.assert(
      fc.asyncProperty(spine, async ([rows, cuts, dictionary]) => {
        const s: Spine = { driverId: rows.map((r) => r.driverId), city: rows.map((r) => r.city), micros: rows.map((r) => r.micros), label: rows.map((r) => r.label) };
        const sizes: number[] = [];
        let left = rows.length;
        for (const c of cuts) {
          const n = Math.min(c, left);
          sizes.push(n);
          left -= n;
        }
        while (left > 0) {
          const n = Math.min(left, 1 + (left % 3));
          sizes.push(n, 0);
          left -= n;
        }
        const json = await postJson({ features: FEATURES, entities: jsonEntities(s) });
        expect(json.statusCode).toBe(200);
        const arrow = await postArrow(featureQuery, arrowBatches(s, sizes, dictionary));
        expect(arrow.statusCode).toBe(200);
        expect(arrow.json()).toEqual(json.json());
        // Arrow out too: the same values, whether the spine came as JSON or as a stream.
        const arrowOut = await postArrow(featureQuery, arrowBatches(s, sizes, dictionary), { accept: ARROW });
        const jsonOut = await postJson({ features: FEATURES, entities: jsonEntities(s) }, { accept: ARROW });
        expect(arrowToJsonColumns(arrowOut.rawPayload).columns).toEqual(arrowToJsonColumns(jsonOut.rawPayload).columns);
      }),
      { numRuns: 25 },
    );
  });

  it('never holds more than one record batch (or 65,536 rows of a larger one) of the spine decoded: rows are COPYed batch by batch', async () => {
    const batches = 60;
    const per = 1000;
    const n = batches * per;
    const s: Spine = {
      driverId: Array.from({ length: n }, (_, i) => 1001 + (i % 3)),
      city: Array.from({ length: n }, (_, i) => ['paris', 'lyon', 'nice'][i % 3]),
      micros: Array.from({ length: n }, (_, i) => BigInt(T0 + (i % 480) * 60_000) * 1000n),
      label: Array.from({ length: n }, (_, i) => i % 2),
    };
    Object.assign(entityUploadProbe, { heldRows: 0, maxHeldRows: 0, copiedRows: 0 });
    const res = await postArrow(featureQuery, arrowEntities(s, per), { accept: ARROW });
    expect(res.statusCode).toBe(200);
    expect(arrowToJsonColumns(res.rawPayload).columns.trips_today).toHaveLength(n);
    // Held as decoded values at once: one batch (the whole spine would be 60,000 rows).
    expect(entityUploadProbe).toMatchObject({ maxHeldRows: per, heldRows: 0, copiedRows: n });

    // The whole spine as one record batch (what a pandas frame usually is): decoded a slice at a time.
    const big = 150_000;
    const one: Spine = {
      driverId: Array.from({ length: big }, (_, i) => 1001 + (i % 3)),
      city: Array.from({ length: big }, () => 'paris'),
      micros: Array.from({ length: big }, (_, i) => BigInt(T0 + (i % 480) * 60_000) * 1000n),
      label: Array.from({ length: big }, () => null),
    };
    Object.assign(entityUploadProbe, { heldRows: 0, maxHeldRows: 0, copiedRows: 0 });
    const whole = await postArrow(featureQuery, arrowEntities(one, big), { accept: ARROW });
    expect(whole.statusCode).toBe(200);
    const answered = arrowToJsonColumns(whole.rawPayload).columns;
    expect(answered.trips_today).toHaveLength(big);
    expect(answered.driver_id.slice(65_535, 65_538)).toEqual([1001 + (65_535 % 3), 1001 + (65_536 % 3), 1001 + (65_537 % 3)]);
    expect(entityUploadProbe).toMatchObject({ maxHeldRows: DECODE_ROWS, heldRows: 0, copiedRows: big });
  });

  it('COPYs rows while the body is still arriving, and refuses a stalled upload with 408, its transaction rolled back', async () => {
    if (!t.app.getHttpServer().listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.getHttpServer().address() as { port: number };
    const n = 20_000;
    const s: Spine = {
      driverId: Array.from({ length: n }, (_, i) => 1001 + (i % 3)),
      city: Array.from({ length: n }, () => 'paris'),
      micros: Array.from({ length: n }, (_, i) => BigInt(T0 + (i % 480) * 60_000) * 1000n),
      label: Array.from({ length: n }, () => null),
    };
    const body = arrowEntities(s, 1000);
    const send = (first: Uint8Array) => {
      const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: `/v1/historical-features?${featureQuery}`, headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': ARROW } });
      const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
        req.on('response', (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        });
        req.on('error', reject);
      });
      req.write(first);
      return { req, answer };
    };
    const openTransactions = async () =>
      Number((await t.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`))[0].n);

    // Half the body sent, the rest held back: rows are in COPY before the body has ended.
    Object.assign(entityUploadProbe, { heldRows: 0, maxHeldRows: 0, copiedRows: 0 });
    const half = Math.floor(body.byteLength / 2);
    const upload = send(body.subarray(0, half));
    await until('rows COPYed from the first half of the body', () => entityUploadProbe.copiedRows >= 5000, IDLE_MS / 2, 20);
    expect(entityUploadProbe.copiedRows).toBeLessThan(n);
    upload.req.end(body.subarray(half));
    const done = await upload.answer;
    expect(done.status).toBe(200);
    expect(JSON.parse(done.body).columns.trips_today).toHaveLength(n);
    expect(entityUploadProbe.copiedRows).toBe(n);

    // A client that stops sending: 408 naming the body, and no transaction left open.
    const stalled = send(body.subarray(0, half));
    const refused = await stalled.answer;
    expect(refused.status).toBe(408);
    expect(JSON.parse(refused.body).error).toMatchObject({ code: 'ENTITY_UPLOAD_STALLED', details: { field: '(body)', reason: `no data for ${IDLE_MS} ms` } });
    stalled.req.destroy();
    await until("the stalled upload's transaction to be gone", async () => (await openTransactions()) === 0, 10_000);
  }, 60_000);

  it('rolls back a bad upload and leaves nothing: no rows, no job, no kept spine', async () => {
    const kept = async () => Number((await t.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'tessera_datasets' AND tablename LIKE '\\_spine\\_%'`))[0].n);
    const jobs = async () => Number((await t.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM tessera.retrieval_jobs`))[0].n);
    const [keptBefore, jobsBefore] = [await kept(), await jobs()];
    const n = 30;
    const s: Spine = {
      driverId: Array.from({ length: n }, (_, i) => 1001 + (i % 3)),
      city: Array.from({ length: n }, () => 'lyon'),
      micros: Array.from({ length: n }, (_, i) => BigInt(T0 + i * 60_000) * 1000n),
      label: Array.from({ length: n }, () => 1),
    };
    // Row 25, in the fourth batch of 7: a null event time, found after three batches were COPYed.
    const withNull = tableToIPC(
      new Table(
        [0, 7, 14, 21].map(
          (from) =>
            new Table({
              driver_id: vectorFromArray(
                s.driverId.slice(from, from + (from === 21 ? 9 : 7)).map((v) => BigInt(v!)),
                new Int64(),
              ),
              city: vectorFromArray(s.city.slice(from, from + (from === 21 ? 9 : 7)), new Utf8()),
              event_timestamp: microsVector(s.micros.slice(from, from + (from === 21 ? 9 : 7)).map((m, i) => (from + i === 25 ? null : m))),
            }).batches[0],
        ),
      ),
      'stream',
    );
    for (const url of ['/v1/training-datasets', '/v1/historical-features']) {
      const res = await postArrow(`${featureQuery}&async=true${url.endsWith('datasets') ? '&name=never_kept' : ''}`, withNull, {}, url);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0].field).toBe('entities.event_timestamp[25]');
    }
    // A key of the wrong type in a later batch, and an empty stream: named, nothing kept.
    const strings = tableToIPC(new Table({ driver_id: vectorFromArray(['1001', 'x'], new Utf8()), city: vectorFromArray(['a', 'b'], new Utf8()), event_timestamp: microsVector([1n, 2n]) }), 'stream');
    const wrongType = await postArrow(`${featureQuery}&async=true&name=never_kept`, strings, {}, '/v1/training-datasets');
    expect([wrongType.statusCode, wrongType.json().error.details]).toEqual([400, [{ field: 'entities.driver_id[1]', reason: 'row 1: "x" is not a 64-bit integer' }]]);
    const empty = await postArrow(`${featureQuery}&async=true&name=never_kept`, arrowBatches(s, [0], false), {}, '/v1/training-datasets');
    expect([empty.statusCode, empty.json().error.details]).toEqual([400, [{ field: 'entities', reason: 'no rows' }]]);
    expect([await kept(), await jobs()]).toEqual([keptBefore, jobsBefore]);
    expect((await t.app.inject({ method: 'GET', url: '/v1/training-datasets?name=never_kept' })).json().trainingDatasets).toEqual([]);
  });

  it('answers a Parquet entity file exactly as the Arrow and JSON spines, on random spines and row groups', async () => {
    const row = fc.record({
      driverId: fc.constantFrom(1001, 1002, 1003, 4242, null),
      city: fc.constantFrom('paris', 'lyon', 'nice', 'Zürich\ttab', '', null),
      micros: fc.tuple(fc.integer({ min: 0, max: 8 * 60 }), fc.integer({ min: 0, max: 999_999 }), fc.boolean()).map(([m, us, fine]) => BigInt(T0 + m * 60_000) * 1000n + BigInt(fine ? us : 0)),
      label: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
    });
    const spine = fc.array(row, { minLength: 1, maxLength: 60 }).chain((rows) => fc.constant(rows.concat(rows.slice(0, Math.min(3, rows.length)))));
    await fc.assert(
      fc.asyncProperty(spine, fc.integer({ min: 1, max: 7 }), async (rows, groupRows) => {
        const s: Spine = { driverId: rows.map((r) => r.driverId), city: rows.map((r) => r.city), micros: rows.map((r) => r.micros), label: rows.map((r) => r.label) };
        const json = await postJson({ features: FEATURES, entities: jsonEntities(s) });
        expect(json.statusCode).toBe(200);
        const arrow = await postArrow(featureQuery, arrowEntities(s, groupRows));
        const parquet = await postArrow(featureQuery, parquetEntities(s, groupRows), { 'content-type': PARQUET });
        expect(parquet.statusCode).toBe(200);
        expect(parquet.json()).toEqual(json.json());
        expect(parquet.json()).toEqual(arrow.json());
      }),
      { numRuns: 25 },
    );
    // A training dataset from a Parquet file, and the row cap and bad files, named.
    const s: Spine = { driverId: [1001, 1002], city: ['paris', null], micros: [BigInt(T0 + 3 * 3600_000) * 1000n, BigInt(T0 + 4 * 3600_000) * 1000n + 7n], label: [1, null] };
    const saved = await postArrow(`${featureQuery}&name=from_parquet`, parquetEntities(s, 1), { 'content-type': PARQUET }, '/v1/training-datasets');
    expect([saved.statusCode, saved.json().rowCount]).toEqual([201, 2]);
    const garbage = await postArrow(featureQuery, new TextEncoder().encode('PAR1 not really'), { 'content-type': PARQUET });
    expect([garbage.statusCode, garbage.json().error.details]).toEqual([400, [{ field: '(body)', reason: 'unreadable Parquet file' }]]);
  });

  it('answers over a real socket, where the request stream must outlive the Arrow reader', async () => {
    // inject() hid it: the reader's return() on the request stream destroyed the socket before the answer.
    if (!t.app.getHttpServer().listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.getHttpServer().address() as { port: number };
    const s: Spine = { driverId: [1001, 1002, null], city: ['lyon', 'paris', 'nice'], micros: [1n, 2n, 3n].map((h) => BigInt(T0 + Number(h) * 3_600_000) * 1000n), label: [1, 0, null] };
    const expected = (await postJson({ features: FEATURES, entities: jsonEntities(s) })).json();
    for (let i = 0; i < 2; i++) {
      // Twice on one keep-alive connection: the first answer left it usable.
      const res = await fetch(`http://127.0.0.1:${port}/v1/historical-features?${featureQuery}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': ARROW },
        body: Buffer.from(arrowEntities(s, 2)),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(expected);
    }
  });

  it('joins real values (the property above is not vacuous)', async () => {
    const s: Spine = {
      driverId: [1001, 1001, null],
      city: ['lyon', 'paris', 'nice'],
      micros: [BigInt(Date.parse('2021-04-12T09:00:00Z')) * 1000n + 250n, BigInt(Date.parse('2021-04-12T10:00:00Z')) * 1000n, BigInt(T0) * 1000n],
      label: [1, null, 0],
    };
    const res = await postArrow(`${featureQuery}&full_feature_names=true`, arrowEntities(s, 2));
    expect(res.statusCode).toBe(200);
    expect(res.json().columns).toEqual({
      driver_id: [1001, 1001, null],
      city: ['lyon', 'paris', 'nice'],
      event_timestamp: ['2021-04-12T09:00:00.000250Z', '2021-04-12T10:00:00.000Z', '2021-04-12T06:00:00.000Z'],
      label: [1, null, 0],
      driver_hourly__trips_today: [3, 9, null],
      driver_hourly__conv_rate: [0.5, 0.8, null],
      driver_city_stats__trips: [4, 3, null],
      // nice's only row is at 07:00, after 06:00; paris at 10:00 sees 1002's 10:00 row (surge null).
      city_surge__surge: [1.25, null, null],
    });
  });

  it('takes a spine far over the body limit: 1.1M rows (17.6 MB of Arrow, limit 1 MiB) in and out as Arrow', async () => {
    const n = 1_100_000;
    const driverId = new BigInt64Array(n);
    const micros = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      driverId[i] = BigInt(1001 + (i % 3));
      micros[i] = BigInt(T0 + (i % 480) * 60_000) * 1000n;
    }
    const body = tableToIPC(new Table({ driver_id: makeVector(driverId), event_timestamp: microsVector(Array.from(micros)) }), 'stream');
    expect(body.byteLength).toBeGreaterThan(17_000_000);
    const started = Date.now();
    const res = await postArrow('features=driver_hourly:trips_today', body, { accept: ARROW });
    expect(res.statusCode).toBe(200);
    const { columns } = arrowToJsonColumns(res.rawPayload);
    expect(columns.trips_today).toHaveLength(n);
    // Row i is driver 1001 + i%3 at 06:00 + (i%480) min: 1001 at 08:00..09:59 sees 3, from 10:00 9; 1002 from 09:00 sees 5 for 2 h.
    const expected = (i: number) => {
      const minute = (i % 480) + 6 * 60;
      const driver = 1001 + (i % 3);
      if (driver === 1001) return minute >= 10 * 60 && minute < 12 * 60 ? 9 : minute >= 8 * 60 && minute < 10 * 60 ? 3 : null;
      if (driver === 1002) return minute >= 9 * 60 && minute <= 11 * 60 ? 5 : null;
      return null;
    };
    for (const i of [0, 1, 2, 120, 121, 241, 242, 1_099_999, 1_000_000, 543_211]) expect(columns.trips_today[i]).toBe(expected(i));
    console.log(`1.1M-row Arrow spine over HTTP (inject), Arrow out: ${Date.now() - started} ms`);
  }, 300_000);

  it('refuses a spine over TESSERA_ENTITY_MAX_ROWS with 413, and JSON bodies stay under the body limit', async () => {
    const n = 1_500_001;
    const body = tableToIPC(new Table({ driver_id: makeVector(new BigInt64Array(n).fill(1001n)), event_timestamp: microsVector(new Array<bigint>(n).fill(BigInt(T0) * 1000n)) }), 'stream');
    const res = await postArrow('features=driver_hourly:trips_today', body);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'TOO_MANY_ROWS', details: { field: 'entities', reason: 'at most 1500000 rows' } });
    const big = await postJson({ features: ['driver_hourly:trips_today'], entities: { driver_id: new Array(200_000).fill(1001), event_timestamp: new Array(200_000).fill('2021-04-12T10:00:00Z') } });
    expect(big.statusCode).toBe(413);
  }, 120_000);

  it('checks the query string before reading the body, and names bad columns and rows', async () => {
    const s: Spine = { driverId: [1001], city: ['paris'], micros: [BigInt(T0) * 1000n], label: [null] };
    const noFeatures = await postArrow('', arrowEntities(s, 1));
    expect(noFeatures.statusCode).toBe(400);
    expect(noFeatures.json().error.details).toEqual([{ field: 'features', reason: expect.stringContaining('feature_service') }]);
    const unknownParam = await postArrow(`${featureQuery}&entities=x`, arrowEntities(s, 1));
    expect(unknownParam.statusCode).toBe(400);

    const notArrow = await postArrow(featureQuery, Buffer.from('{"not": "arrow"}'));
    expect(notArrow.statusCode).toBe(400);
    expect(notArrow.json().error.details[0].field).toBe('(body)');

    const noCity = tableToIPC(new Table({ driver_id: vectorFromArray([1001n], new Int64()), event_timestamp: microsVector([BigInt(T0) * 1000n]) }), 'stream');
    const missing = await postArrow(featureQuery, noCity);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details).toEqual([{ field: 'entities.city', reason: 'join key column is missing' }]);

    const nullTime = tableToIPC(new Table({ driver_id: vectorFromArray([1001n, 1002n], new Int64()), event_timestamp: microsVector([BigInt(T0) * 1000n, null]) }), 'stream');
    const badRow = await postArrow('features=driver_hourly:trips_today', nullTime);
    expect(badRow.statusCode).toBe(400);
    expect(badRow.json().error.details[0].field).toBe('entities.event_timestamp[1]');
  });

  it('saves a training dataset from an Arrow spine, equal to the one saved from JSON', async () => {
    const s: Spine = { driverId: [1001, 1002, 1001, null], city: ['lyon', 'paris', 'lyon', 'nice'], micros: [3n, 4n, 5n, 2n].map((h) => BigInt(T0 + Number(h) * 3_600_000) * 1000n), label: [1, 0, 1, null] };
    const fromJson = await t.app.inject({ method: 'POST', url: '/v1/training-datasets', payload: { name: 'arrow_eq', features: FEATURES, entities: jsonEntities(s) } });
    expect(fromJson.statusCode).toBe(201);
    const fromArrow = await postArrow(`name=arrow_eq&description=from%20arrow&${featureQuery}`, arrowEntities(s, 3), {}, '/v1/training-datasets');
    expect(fromArrow.statusCode).toBe(201);
    expect(fromArrow.json()).toMatchObject({ id: 'arrow_eq@2', rowCount: 4, description: 'from arrow' });
    const rows = async (v: number) => (await t.app.inject({ method: 'GET', url: `/v1/training-datasets/arrow_eq/versions/${v}/rows` })).json().columns as Record<string, unknown[]>;
    const [a, b] = [await rows(1), await rows(2)];
    expect(b).toEqual(a);
    // lyon's row is at 09:00:00.000250, after the first entity row's 09:00.
    expect(b.trips).toEqual([null, 7, 4, null]);

    const badName = await postArrow(`name=Bad%20Name&${featureQuery}`, arrowEntities(s, 3), {}, '/v1/training-datasets');
    expect(badName.statusCode).toBe(400);
    expect(badName.json().error.details).toEqual([{ field: 'name', reason: expect.stringContaining('lowercase') }]);
  });

  it('still buffers (and limits) Arrow bodies of other routes', async () => {
    const n = 200_000;
    const body = tableToIPC(new Table({ driver_id: makeVector(new BigInt64Array(n).fill(1001n)), event_timestamp: microsVector(new Array<bigint>(n).fill(BigInt(T0) * 1000n)) }), 'stream');
    const res = await t.app.inject({ method: 'POST', url: '/v1/data-products/pit-driver-stats/ports/hourly/rows', headers: { 'content-type': ARROW }, payload: Buffer.from(body) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
