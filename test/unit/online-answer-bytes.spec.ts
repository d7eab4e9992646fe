import fc from 'fast-check';
import { encodeVector } from '../../src/features/online/online-value-codec';
import { viewLayout } from '../../src/features/online/view-layout';
import type { ResolvedFeatureView } from '../../src/features/registry/resolved-feature-view';
import { writeOnlineAnswer } from '../../src/features/serving/online-answer-bytes';
import { planRequest } from '../../src/features/serving/serving-plan';

/**
 * The online route writes its answer from the stored bytes (issue 16). Held here against a reference
 * written from Feast's rules, independent of both the byte writer and the object path: NOT_FOUND for
 * a missing entry, an unknown layout or a feature appended after the vector was written; OUTSIDE_MAX_AGE
 * past the ttl; NULL_VALUE for a stored null; else the value with the entry's timestamp.
 */
const NOW = Date.parse('2026-06-01T12:00:00Z');
const NOT_FOUND_TS = '1970-01-01T00:00:00Z';
const feast = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function view(name: string, features: number, ttlSeconds: number): ResolvedFeatureView {
  const col = (n: string, type: 'integer' | 'number') => ({ name: n, column: n, type });
  return {
    name,
    joinKeys: [col('driver_id', 'integer')],
    table: { schema: 'd', name: `${name}_t` },
    timestampColumn: 'ts',
    createdTimestampColumn: null,
    ttlSeconds,
    online: true,
    features: Array.from({ length: features }, (_, i) => col(`${name}_f${i}`, 'number')),
    version: name,
  };
}

type Stored = { eventMs: number; layout: 'prefix' | 'unknown'; values: unknown[] } | null;

const plainValue = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
);
const anyValue = fc.oneof({ weight: 8, arbitrary: plainValue }, { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 4 }), fc.constant(-0), fc.constant(NaN)) });

const scenario = fc
  .record({
    sizes: fc.array(fc.record({ features: fc.integer({ min: 1, max: 5 }), ttl: fc.constantFrom(0, 3600) }), { minLength: 1, maxLength: 2 }),
    rows: fc.integer({ min: 0, max: 4 }),
    withStrings: fc.boolean(),
  })
  .chain(({ sizes, rows, withStrings }) =>
    fc.record({
      sizes: fc.constant(sizes),
      ids: fc.array(fc.integer({ min: 0, max: 99 }), { minLength: rows, maxLength: rows }),
      stored: fc.tuple(
        ...sizes.map((s) =>
          fc.array(
            fc.option(
              fc.record({
                eventMs: fc.oneof(fc.integer({ min: NOW - 7200_000, max: NOW }), fc.integer({ min: -86_400_000_000, max: 86_400_000_000 })),
                layout: fc.constantFrom<'prefix' | 'unknown'>('prefix', 'prefix', 'prefix', 'unknown'),
                values: fc.array(withStrings ? anyValue : plainValue, { minLength: 0, maxLength: s.features }),
              }),
              { freq: 5 },
            ),
            { minLength: rows, maxLength: rows },
          ),
        ),
      ),
      picks: fc.array(fc.tuple(fc.nat(1), fc.nat(4)), { minLength: 1, maxLength: 6 }),
      fullNames: fc.boolean(),
    }),
  );

/** The stored bytes, as RedisOnlineStore.write stores them. */
function bytesOf(v: ResolvedFeatureView, s: Stored): Buffer | null {
  if (!s) return null;
  const layout = viewLayout(v);
  const prefixId = [...layout.prefixLength].find(([, n]) => n === s.values.length)?.[0] ?? 'empty';
  return Buffer.from(`${s.eventMs}||${s.layout === 'unknown' ? 'zzzzzzzzzz' : prefixId}|${encodeVector(s.values)}`, 'utf8');
}

describe('online answer written from the stored bytes', () => {
  it('is the JSON of Feast’s answer by its rules, or null exactly when a requested stored value is not a plain number, boolean or null', () => {
    fc.assert(
      fc.property(scenario, ({ sizes, ids, stored, picks, fullNames }) => {
        const views = sizes.map((s, i) => view(`v${i}`, s.features, s.ttl));
        // Distinct (view, feature) picks that exist, in pick order.
        const seen = new Set<string>();
        const refs = picks
          .map(([v, f]) => ({ v: v % views.length, f: f % views[v % views.length].features.length }))
          .filter(({ v, f }) => !seen.has(`${v}:${f}`) && seen.add(`${v}:${f}`) !== undefined)
          .map(({ v, f }) => ({ view: views[v].name, feature: views[v].features[f].name }));
        const plan = planRequest(refs, new Map(views.map((v) => [v.name, v])), fullNames);
        const raw = plan.reads.map((r) => stored[views.indexOf(r.plan.view)].map((s) => bytesOf(r.plan.view, s)));
        const got = writeOnlineAnswer(plan, { driver_id: ids }, ids.length, raw, NOW);

        const cell = (v: number, f: number, i: number) => {
          const s = stored[v][i];
          if (!s || s.layout === 'unknown' || f >= s.values.length) return { value: null, status: 'NOT_FOUND', ts: NOT_FOUND_TS };
          if (sizes[v].ttl > 0 && s.eventMs < NOW - sizes[v].ttl * 1000) return { value: null, status: 'OUTSIDE_MAX_AGE', ts: feast(s.eventMs) };
          const value = s.values[f];
          return value === null ? { value: null, status: 'NULL_VALUE', ts: feast(s.eventMs) } : { value, status: 'PRESENT', ts: feast(s.eventMs) };
        };
        const plain = (x: unknown) => x === null || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x) && !Object.is(x, -0));
        const wanted = refs.map((r) => ({ v: views.findIndex((x) => x.name === r.view), f: Number(r.feature.split('_f')[1]) }));
        // Not plain when, within a requested vector, a stored value up to the last requested index is a string or tagged.
        const notPlain = wanted.some(({ v }) => {
          const last = Math.max(...wanted.filter((w) => w.v === v).map((w) => w.f));
          return stored[v].some((s) => s !== null && s.layout === 'prefix' && s.values.slice(0, last + 1).some((x) => !plain(x)));
        });
        if (got === null) {
          expect(notPlain).toBe(true);
          return;
        }
        expect(notPlain).toBe(false);
        const columns = wanted.map(({ v, f }) => ids.map((_, i) => cell(v, f, i)));
        const expected = {
          metadata: { feature_names: ['driver_id', ...refs.map((r) => (fullNames ? `${r.view}__${r.feature}` : r.feature))] },
          results: [
            { values: ids, statuses: ids.map(() => 'PRESENT'), event_timestamps: ids.map(() => NOT_FOUND_TS) },
            ...columns.map((c) => ({ values: c.map((x) => x.value), statuses: c.map((x) => x.status), event_timestamps: c.map((x) => x.ts) })),
          ],
        };
        expect(got.toString('utf8')).toBe(JSON.stringify(expected));
      }),
      { numRuns: 3000, seed: 1616 },
    );
  });

  it('writes a 2 × 2 answer with each status (the check can fail)', () => {
    const v = view('v0', 2, 3600);
    const plan = planRequest(
      [
        { view: 'v0', feature: 'v0_f1' },
        { view: 'v0', feature: 'v0_f0' },
      ],
      new Map([['v0', v]]),
      false,
    );
    const layout = [...viewLayout(v).prefixLength.keys()];
    const raw = [[Buffer.from(`${NOW - 1000}||${layout[1]}|[1.5,null]`), Buffer.from(`${NOW - 1000}||${layout[0]}|[7]`)]];
    expect(writeOnlineAnswer(plan, { driver_id: [1, 2] }, 2, raw, NOW)!.toString()).toBe(
      '{"metadata":{"feature_names":["driver_id","v0_f1","v0_f0"]},"results":[' +
        '{"values":[1,2],"statuses":["PRESENT","PRESENT"],"event_timestamps":["1970-01-01T00:00:00Z","1970-01-01T00:00:00Z"]},' +
        '{"values":[null,null],"statuses":["NULL_VALUE","NOT_FOUND"],"event_timestamps":["2026-06-01T11:59:59Z","1970-01-01T00:00:00Z"]},' +
        '{"values":[1.5,7],"statuses":["PRESENT","PRESENT"],"event_timestamps":["2026-06-01T11:59:59Z","2026-06-01T11:59:59Z"]}]}',
    );
    expect(writeOnlineAnswer(plan, { driver_id: [1] }, 1, [[Buffer.from(`${NOW}||${layout[1]}|["a,b",2]`)]], NOW)).toBeNull();
  });
});
