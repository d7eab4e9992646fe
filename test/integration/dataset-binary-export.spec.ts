import { Data, makeData, RecordBatch, Schema, Struct, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { binaryExportColumns } from '../../src/features/datasets/dataset-binary-columns';
import { binaryCopyBatches } from '../../src/features/datasets/pg-binary-batch';
import type { DatasetColumn } from '../../src/features/datasets/training-dataset';
import { datasetArrowSchema } from '../../src/features/datasets/training-dataset-codec';
import { textData } from '../../src/features/retrieval/pit-arrow-batch';
import { RAW_TEXT } from '../../src/common/database/pg-cursor';
import { PIT_SESSION } from '../../src/features/retrieval/pit-slice-runner';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The training-dataset export decodes PostgreSQL's binary COPY into Arrow by hand. Its reference is
 * the text path (every value as PostgreSQL text under the retrieval's session, decoded by the
 * retrieval's own codecs), on random rows of every stored type, with NULLs, dates and times before
 * 1970 and 2000, int8 extremes, real and numeric numbers, multi-byte text and mixed JSON; the byte
 * stream is cut at random points so tuples straddle chunks.
 */
const COLUMNS: (DatasetColumn & { sql: string })[] = [
  { name: 'k', role: 'key', logicalType: 'integer', feature: null, sql: 'int8' },
  { name: 'event_timestamp', role: 'timestamp', logicalType: 'timestamp', feature: null, sql: 'timestamptz' },
  { name: 'i4', role: 'feature', logicalType: 'integer', feature: 'v:i4', sql: 'int4' },
  { name: 'f8', role: 'feature', logicalType: 'number', feature: 'v:f8', sql: 'float8' },
  { name: 'f4', role: 'feature', logicalType: 'number', feature: 'v:f4', sql: 'real' },
  { name: 'num', role: 'feature', logicalType: 'number', feature: 'v:num', sql: 'numeric' },
  { name: 'b', role: 'feature', logicalType: 'boolean', feature: 'v:b', sql: 'bool' },
  { name: 'ts', role: 'feature', logicalType: 'timestamp', feature: 'v:ts', sql: 'timestamptz' },
  { name: 'lts', role: 'feature', logicalType: 'timestamp', feature: 'v:lts', sql: 'timestamp' },
  { name: 'd', role: 'feature', logicalType: 'date', feature: 'v:d', sql: 'date' },
  { name: 's', role: 'feature', logicalType: 'string', feature: 'v:s', sql: 'text' },
  { name: 'obj', role: 'feature', logicalType: 'object', feature: 'v:obj', sql: 'jsonb' },
  { name: 'mixed', role: 'extra', logicalType: 'json', feature: null, sql: 'text' },
];

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { freq: 5, nil: null });
const instant = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
const row = fc.record({
  k: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
  event_timestamp: instant,
  i4: maybe(fc.integer()),
  f8: maybe(fc.double({ noNaN: true, noDefaultInfinity: true })),
  f4: maybe(fc.float({ noNaN: true, noDefaultInfinity: true })),
  num: maybe(fc.double({ min: -1e12, max: 1e12, noNaN: true }).map((x) => x.toFixed(6))),
  b: maybe(fc.boolean()),
  ts: maybe(instant),
  lts: maybe(instant.map((t) => t.slice(0, 23))),
  d: maybe(instant.map((t) => t.slice(0, 10))),
  s: maybe(fc.string({ unit: 'grapheme', maxLength: 40 }).map((t) => t.replaceAll('\u0000', ''))),
  obj: maybe(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v))),
  mixed: maybe(
    fc.oneof(
      fc.string({ maxLength: 10 }).map((t) => JSON.stringify(t.replaceAll('\u0000', ''))),
      fc.integer().map(String),
      fc.constant('{"a":[1,2]}'),
    ),
  ),
});

/** The text path: every stored value as text, decoded by the retrieval's codecs into one batch. */
function textBatch(schema: Schema, columns: readonly DatasetColumn[], rows: (string | null)[][]): RecordBatch {
  const children = columns.map((c, ci): Data => {
    const texts = rows.map((r) => r[ci]);
    if (c.logicalType === 'json')
      return vectorFromArray(
        texts.map((t) => (t !== null && t.startsWith('"') ? (JSON.parse(t) as string) : t)),
        new Utf8(),
      ).data[0];
    return textData(c.logicalType, texts);
  });
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children }));
}

/** Re-cuts a byte stream at the given fractions (tuples straddle chunk borders). */
async function* recut(bytes: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (const c of [...new Set(cuts.map((x) => Math.floor(x * bytes.length)))].sort((a, b) => a - b)) {
    if (c > at) yield bytes.subarray(at, c);
    at = Math.max(at, c);
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

describe('training dataset export: binary COPY decoded into Arrow equals the text path', () => {
  let db: TestDatabase;
  let client: Client;
  const schema = datasetArrowSchema(COLUMNS);

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query(PIT_SESSION.replace(/SET LOCAL/g, 'SET'));
    await client.query(`CREATE TABLE t (_row int8, ${COLUMNS.map((c) => `"${c.name}" ${c.sql}`).join(', ')})`);
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('on random rows of every type, cut anywhere, in batches of any size', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 0, maxLength: 60 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }), fc.integer({ min: 1, max: 25 }), async (rows, cuts, batchRows) => {
        await client.query('TRUNCATE t');
        const names = COLUMNS.map((c) => c.name);
        await client.query(`INSERT INTO t SELECT * FROM json_populate_recordset(NULL::t, $1)`, [JSON.stringify(rows.map((r, i) => ({ _row: i, ...r })))]);
        const text = await client.query<(string | null)[]>({ text: `SELECT ${names.map((n) => `"${n}"`).join(', ')} FROM t ORDER BY _row`, rowMode: 'array', types: RAW_TEXT });
        const want = rows.length === 0 ? [] : [textBatch(schema, COLUMNS, text.rows)];

        const stored = await client.query<{ name: string; type: string }>(`SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0`);
        const { select, wires } = binaryExportColumns(COLUMNS, new Map(stored.rows.map((r) => [r.name, r.type])));
        const parts: Buffer[] = [];
        for await (const chunk of client.query(copyTo(`COPY (SELECT ${select.join(', ')} FROM t ORDER BY _row) TO STDOUT (FORMAT binary)`))) parts.push(chunk as Buffer);
        const got: RecordBatch[] = [];
        for await (const b of binaryCopyBatches(recut(Buffer.concat(parts), cuts), schema, wires, batchRows)) got.push(b);

        expect(got.map((b) => b.numRows)).toEqual(Array.from({ length: Math.ceil(rows.length / batchRows) }, (_, i) => Math.min(batchRows, rows.length - i * batchRows)));
        for (const [ci, c] of COLUMNS.entries()) {
          const values = got.flatMap((b) => [...b.getChildAt(ci)!.toArray()]);
          const nulls = got.reduce((n, b) => n + b.getChildAt(ci)!.nullCount, 0);
          const reference = want.flatMap((b) => [...b.getChildAt(ci)!.toArray()]);
          const referenceNulls = want.reduce((n, b) => n + b.getChildAt(ci)!.nullCount, 0);
          expect([c.name, nulls, values]).toEqual([c.name, referenceNulls, reference]);
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('refuses a stream that is not binary COPY', async () => {
    const gen = binaryCopyBatches(recut(Buffer.from('1\t2\n3\t4\n'.repeat(5)), []), schema, ['int8'], 10);
    await expect(gen.next()).rejects.toThrow('not a binary COPY stream');
  });
});
