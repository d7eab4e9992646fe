import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { FeaturesError, FeaturesErrorCode } from '../../src/features/features-error';
import type { FeatureValueType, ResolvedFeatureView } from '../../src/features/registry/resolved-feature-view';
import { PointInTimeEngine } from '../../src/features/retrieval/point-in-time.engine';
import type { RequestedFeature } from '../../src/features/retrieval/pit-request';
import { arrowToJsonColumns } from '../support/pit-arrow-json';
import { isoOfMicros, referenceJoin, RefSourceRow, RefView } from '../support/pit-reference';
import { createPitDb, insertRows, PitTableSpec, PitTestDb, resolvedView } from '../support/pit-tables';

/**
 * Engine vs. the brute-force reference on random data. Small domains on purpose: 3 drivers, 3
 * regions and a 0.5 s time grid (plus an occasional +1 µs) make equal timestamps, created-time ties,
 * NULL created, rows exactly at T and exactly at T - ttl, duplicate entity rows and unmatched keys
 * common rather than rare. The three tables differ physically (bigint/int4/numeric keys,
 * text/varchar/char regions, timestamptz/timestamp times) for the same logical view shape. Each run
 * also picks a chunk size and serial or parallel (shared-snapshot) execution; every 4th run checks
 * the Arrow answer equals the JSON one. PIT_RUNS=n runs more cases.
 */
const RUNS = Number(process.env.PIT_RUNS ?? 200);
const BASE = Date.parse('2024-03-01T00:00:00Z') * 1000;
const SEC = 1_000_000;

const FEATURES: { name: string; type: FeatureValueType; sql: string }[] = [
  { name: 'f_int', type: 'integer', sql: 'bigint' },
  { name: 'f_num', type: 'number', sql: 'double precision' },
  { name: 'f_str', type: 'string', sql: 'text' },
  { name: 'f_bool', type: 'boolean', sql: 'boolean' },
  { name: 'f_ts', type: 'timestamp', sql: 'timestamptz' },
  { name: 'f_obj', type: 'object', sql: 'jsonb' },
  { name: 'f_arr', type: 'array', sql: 'integer[]' },
  { name: 'f_date', type: 'date', sql: 'date' },
];

const table = (i: number, driverSql: string, regionSql: string, tsSql: string): PitTableSpec => ({
  view: `v${i}`,
  table: `t${i}`,
  keys: [
    { name: 'driver_id', type: 'integer', sql: driverSql },
    { name: 'region', type: 'string', sql: regionSql },
  ],
  timestamp: { column: 'ts', sql: tsSql },
  created: { column: 'created', sql: tsSql },
  ttlSeconds: 0,
  features: FEATURES,
});
const TABLES = [table(0, 'bigint', 'text', 'timestamptz'), table(1, 'integer', 'character varying(8)', 'timestamp'), table(2, 'numeric', 'character(3)', 'timestamptz')];

const gridTs = (maxStep: number) => fc.tuple(fc.integer({ min: 0, max: maxStep }), fc.constantFrom(0, 0, 0, 1)).map(([s, us]) => BASE + s * 500_000 + us);
const featureValues = fc.record({
  f_int: fc.option(fc.oneof(fc.bigInt({ min: -5n, max: 5n }), fc.constantFrom(2n ** 60n + 7n, -(2n ** 62n), 2n ** 53n, 2n ** 53n - 1n)), { nil: null }),
  f_num: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
  f_str: fc.option(
    fc.string({ unit: 'grapheme', maxLength: 8 }).filter((s) => !s.includes('\u0000')),
    { nil: null },
  ),
  f_bool: fc.option(fc.boolean(), { nil: null }),
  f_ts: fc.option(gridTs(40), { nil: null }),
  f_obj: fc.option(
    fc.dictionary(fc.constantFrom('a', 'b', 'long_key'), fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 4 }), fc.array(fc.integer(), { maxLength: 3 })), { noNullPrototype: true }),
    { nil: null },
  ),
  f_arr: fc.option(fc.array(fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null }), { maxLength: 4 }), { nil: null }),
  f_date: fc.option(fc.constantFrom('2024-02-29', '1999-12-31', '2024-03-01'), { nil: null }),
});
const sourceRow = fc.record({
  driver_id: fc.option(fc.constantFrom(1, 2, 3), { nil: null, freq: 12 }),
  // 'z' vs the entities' 'zz': a key cast that truncated (e.g. to char(1)) would invent matches.
  region: fc.constantFrom('a', 'b', 'c', 'z'),
  ts: gridTs(12),
  created: fc.option(
    fc.integer({ min: 0, max: 3 }).map((c) => BASE + c * SEC),
    { nil: null, freq: 3 },
  ),
  values: featureValues,
});
const viewArb = (t: number) =>
  fc.record({
    table: fc.constant(t),
    keyNames: fc.constantFrom<string[]>(['driver_id'], ['driver_id', 'region'], ['region']),
    useCreated: fc.boolean(),
    ttlSeconds: fc.constantFrom(0, 1, 2, 3),
    features: fc.shuffledSubarray(
      FEATURES.map((f) => f.name),
      { minLength: 1, maxLength: 4 },
    ),
    rows: fc.array(sourceRow, { maxLength: 25 }),
  });
const entityRow = fc.record({
  driver_id: fc.option(fc.constantFrom(1, 2, 3, 4), { nil: null, freq: 10 }),
  driverAsString: fc.boolean(),
  region: fc.constantFrom('a', 'b', 'c', 'zz'),
  ts: gridTs(14),
  tsForm: fc.constantFrom('iso', 'offset', 'epoch-ms', 'date'),
  label: fc.integer(),
});
const scenario = fc
  .uniqueArray(fc.constantFrom(0, 1, 2), { minLength: 1, maxLength: 3 })
  .chain((tables) => fc.tuple(...tables.map(viewArb)))
  .chain((views) =>
    fc.record({
      views: fc.constant(views),
      featureOrder: fc.array(fc.double({ noNaN: true }), { minLength: 12, maxLength: 12 }),
      entities: fc.array(entityRow, { minLength: 1, maxLength: 25 }),
      duplicates: fc.array(fc.nat(), { maxLength: 4 }),
      columnOrder: fc.array(fc.double({ noNaN: true }), { minLength: 4, maxLength: 4 }),
      withRegion: fc.boolean(),
      fullFeatureNames: fc.boolean(),
      dropClashes: fc.boolean(),
      chunkRows: fc.constantFrom(1, 2, 7, 10_000),
      parallelism: fc.constantFrom(1, 1, 2, 3),
      // The read replica's path (ADR 0031): entity rows as query parameters instead of a temp table.
      inline: fc.boolean(),
    }),
  );

function tsInput(micros: number, form: string): unknown {
  if (micros % 1000 !== 0 || form === 'iso') return isoOfMicros(micros);
  const ms = micros / 1000;
  if (form === 'epoch-ms') return ms;
  if (form === 'date') return new Date(ms);
  return `${new Date(ms + 330 * 60_000).toISOString().slice(0, -1)}+05:30`; // same instant, India time
}

/** The JSON value the engine should output for a generated feature value. */
function expected(feature: string, v: unknown): unknown {
  if (v === null) return null;
  if (feature === 'f_int') {
    const n = v as bigint;
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
  }
  if (feature === 'f_ts') return isoOfMicros(v as number);
  return v;
}

describe('point-in-time retrieval: engine equals the brute-force reference', () => {
  let t: PitTestDb;
  let compared = 0;
  let refused = 0;
  let arrowChecked = 0;
  let parallelRuns = 0;
  let inlineRuns = 0;

  beforeAll(async () => {
    t = await createPitDb(TABLES);
  });
  afterAll(async () => {
    console.log(
      `pit-property: ${RUNS} cases, ${compared} compared with the reference (${parallelRuns} split across connections, ${inlineRuns} with inline entity rows, ${arrowChecked} also as Arrow), ${refused} refused as duplicate output names`,
    );
    await t.close();
  });

  it(
    `matches on ${RUNS} random cases`,
    async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async (s) => {
          await t.pool.query('TRUNCATE pit.t0, pit.t1, pit.t2');
          const refViews: RefView[] = [];
          const resolved = new Map<number, ResolvedFeatureView>();
          for (const v of s.views) {
            const spec = TABLES[v.table];
            const rows = v.rows.map((r) => ({
              driver_id: r.driver_id,
              region: r.region,
              ts: isoOfMicros(r.ts),
              created: r.created === null ? null : isoOfMicros(r.created),
              ...Object.fromEntries(FEATURES.map((f) => [f.name, sqlValue(f.name, r.values[f.name as keyof typeof r.values])])),
            }));
            await insertRows(t.pool, spec, rows);
            const base = resolvedView(spec);
            resolved.set(v.table, {
              ...base,
              joinKeys: base.joinKeys.filter((k) => v.keyNames.includes(k.name)),
              createdTimestampColumn: v.useCreated ? 'created' : null,
              ttlSeconds: v.ttlSeconds,
            });
          }

          // Requested features: every (view, feature) pair, shuffled across views.
          let requested = s.views.flatMap((v) => v.features.map((f) => ({ table: v.table, feature: f })));
          requested = requested
            .map((r, i) => ({ r, k: s.featureOrder[i % 12] + i * 1e-9 }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.r);
          // Without full names, half the cases keep only the first feature of each name, half expect a refusal.
          if (!s.fullFeatureNames && s.dropClashes) requested = requested.filter((r, i) => requested.findIndex((x) => x.feature === r.feature) === i);
          const clash = new Set(requested.map((r) => r.feature)).size !== requested.length;
          const active = s.views.filter((v) => requested.some((r) => r.table === v.table));

          // Entities: duplicates of some rows appended, the region column only when a view needs it or by chance.
          const rows = [...s.entities, ...s.duplicates.map((d) => s.entities[d % s.entities.length])];
          const needsRegion = active.some((v) => v.keyNames.includes('region'));
          const needsDriver = active.some((v) => v.keyNames.includes('driver_id'));
          const cols: Record<string, unknown[]> = {};
          const order = ['driver_id', 'region', 'event_timestamp', 'label']
            .filter((c) => (c === 'region' ? needsRegion || s.withRegion : c === 'driver_id' ? needsDriver || s.withRegion : true))
            .map((c, i) => ({ c, k: s.columnOrder[i] }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.c);
          for (const c of order) {
            cols[c] = rows.map((e) => {
              if (c === 'driver_id') return e.driver_id === null ? null : e.driverAsString ? String(e.driver_id) : e.driver_id;
              if (c === 'region') return e.region;
              if (c === 'event_timestamp') return tsInput(e.ts, e.tsForm);
              return e.label;
            });
          }

          const engine = new PointInTimeEngine(t.pool, { chunkRows: s.chunkRows, parallelThreshold: s.parallelism > 1 ? 1 : Infinity, parallelism: s.parallelism, inline: s.inline });
          const features: RequestedFeature[] = requested.map((r) => ({ view: resolved.get(r.table)!, feature: r.feature }));
          const request = { entities: cols, features, fullFeatureNames: s.fullFeatureNames };
          if (clash && !s.fullFeatureNames) {
            const err = await engine.retrieve(request).catch((e: unknown) => e);
            if (!(err instanceof FeaturesError) || err.code !== FeaturesErrorCode.INVALID_REQUEST || !err.message.includes('would both be output as'))
              throw new Error(`expected a duplicate-name refusal, got ${String(err)}`);
            refused++;
            return;
          }
          const prepared = await engine.prepare(request);
          const out = await engine.toColumns(prepared);

          // Reference answer.
          for (const v of active) {
            refViews.push({
              name: `v${v.table}`,
              keyNames: v.keyNames,
              ttlSeconds: v.ttlSeconds,
              useCreated: v.useCreated,
              rows: v.rows.map((r): RefSourceRow => ({ keys: { driver_id: r.driver_id, region: r.region }, ts: r.ts, created: r.created, values: r.values })),
            });
          }
          const refEntities = rows.map((e) => ({ keys: { driver_id: e.driver_id, region: cols.region ? e.region : null }, ts: e.ts }));
          const answer = referenceJoin(refViews, refEntities);

          const outName = (r: { table: number; feature: string }) => (s.fullFeatureNames ? `v${r.table}__${r.feature}` : r.feature);
          expect(Object.keys(out.columns)).toEqual([...order, ...requested.map(outName)]);
          expect(out.columns.event_timestamp).toEqual(rows.map((e) => isoOfMicros(e.ts)));
          expect(out.columns.label).toEqual(rows.map((e) => e.label));
          // A join key comes out normalized to its type; the same column, when no view keys on it, untouched.
          if (cols.driver_id) expect(out.columns.driver_id).toEqual(needsDriver ? rows.map((e) => e.driver_id) : cols.driver_id);
          if (cols.region) expect(out.columns.region).toEqual(cols.region);
          rows.forEach((_, i) => {
            active.forEach((v, vi) => {
              const mine = requested.filter((r) => r.table === v.table);
              const got = mine.map((r) => out.columns[outName(r)][i]);
              const candidates = answer[i][vi];
              const options = candidates.length === 0 ? [mine.map(() => null)] : candidates.map((c) => mine.map((r) => expected(r.feature, c.values[r.feature])));
              if (!options.some((o) => isDeepStrictEqual(o, got))) {
                throw new Error(`row ${i} view v${v.table}: got ${show(got)}, expected one of ${show(options)}`);
              }
            });
          });
          compared++;
          if (s.inline) inlineRuns++;
          else if (s.parallelism > 1) parallelRuns++;

          if (compared % 4 === 0) {
            const bytes = Buffer.concat(await collect(engine.arrow(prepared)));
            const jsonColumns = new Set(requested.filter((r) => ['f_obj', 'f_arr'].includes(r.feature)).map(outName));
            const arrow = arrowToJsonColumns(bytes, jsonColumns).columns;
            // Extra columns mixing value types travel in Arrow as Utf8, non-strings as JSON text.
            const asArrow = { ...out.columns };
            if (!needsDriver && asArrow.driver_id && new Set(asArrow.driver_id.filter((d) => d !== null).map((d) => typeof d)).size > 1) {
              asArrow.driver_id = asArrow.driver_id.map((d) => (d === null || typeof d === 'string' ? d : JSON.stringify(d)));
            }
            expect(arrow).toEqual(asArrow);
            arrowChecked++;
          }
        }),
        { numRuns: RUNS, endOnFailure: false },
      );
      expect(compared).toBeGreaterThan(RUNS / 2);
      expect(inlineRuns).toBeGreaterThan(RUNS / 8);
    },
    30_000 + RUNS * 250,
  ); // ~30 ms a case on an idle 2-core machine; generous for a busy one
});

function sqlValue(feature: string, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (feature === 'f_int') return (v as bigint).toString();
  if (feature === 'f_ts') return isoOfMicros(v as number);
  if (feature === 'f_obj') return JSON.stringify(v);
  if (feature === 'f_num') return Object.is(v, -0) ? '-0' : String(v);
  return v;
}

async function collect(gen: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  for await (const p of gen) parts.push(p);
  return parts;
}

function show(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
}
