import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../src/database';
import type { FeatureViewResolver } from '../../src/features/registry/feature-view-resolver';
import type { ResolvedFeatureView } from '../../src/features/registry/resolved-feature-view';
import { FeaturePopulationQuery } from '../../src/features/retrieval/feature-population.query';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1);

function view(name: string, table: string, keys: { name: string; column: string; type: 'integer' | 'string' }[]): ResolvedFeatureView {
  return { name, joinKeys: keys, table: { schema: 'public', name: table }, timestampColumn: 'ts', createdTimestampColumn: null, ttlSeconds: 0, online: false, features: [], version: 'v' };
}

/**
 * The population of batch scoring (ADR 0035) against a brute-force reference: the distinct non-null
 * join-key tuples of the views' rows with ts <= T, after a cursor tuple, in PostgreSQL's order — for
 * one view, two views over different tables (a union), and a composite integer + text key.
 */
describe('FeaturePopulationQuery.entitiesAsOf', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let query: FeaturePopulationQuery;
  const views = new Map<string, ResolvedFeatureView>([
    ['a', view('a', 'pop_a', [{ name: 'driver_id', column: 'driver_id', type: 'integer' }])],
    ['b', view('b', 'pop_b', [{ name: 'driver_id', column: 'id', type: 'integer' }])],
    [
      'c',
      view('c', 'pop_c', [
        { name: 'driver_id', column: 'driver_id', type: 'integer' },
        { name: 'zone', column: 'zone', type: 'string' },
      ]),
    ],
  ]);

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDatabase(db.url);
    await ds.query(`CREATE TABLE public.pop_a (driver_id bigint, ts timestamptz)`);
    await ds.query(`CREATE TABLE public.pop_b (id bigint, ts timestamptz)`);
    await ds.query(`CREATE TABLE public.pop_c (driver_id bigint, zone text, ts timestamptz)`);
    const resolver = { view: (n: string) => Promise.resolve(views.get(n)!) } as unknown as FeatureViewResolver;
    query = new FeaturePopulationQuery(ds, resolver);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const row = fc.record({ id: fc.option(fc.integer({ min: -5, max: 30 }), { freq: 8 }), minute: fc.integer({ min: -60, max: 60 }) });

  it('single and unioned views: distinct ids with ts <= T after the cursor, ascending', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 40 }), fc.array(row, { maxLength: 40 }), fc.integer({ min: -70, max: 70 }), fc.option(fc.integer({ min: -6, max: 31 })), async (a, b, tMinute, cursor) => {
        await ds.query(`TRUNCATE public.pop_a, public.pop_b`);
        for (const [table, col, rows] of [['pop_a', 'driver_id', a] as const, ['pop_b', 'id', b] as const]) {
          for (const r of rows) await ds.query(`INSERT INTO public.${table} (${col}, ts) VALUES ($1, $2)`, [r.id, new Date(T0 + r.minute * MINUTE)]);
        }
        const asOf = new Date(T0 + tMinute * MINUTE);
        const expected = (rows: typeof a) => rows.filter((r) => r.id !== null && r.minute <= tMinute && (cursor === null || r.id > cursor)).map((r) => r.id!);
        const sorted = (ids: number[]) => [...new Set(ids)].sort((x, y) => x - y).map((id) => [id]);
        const one = await query.entitiesAsOf(['a'], asOf, cursor === null ? null : [cursor]);
        expect(one).toEqual({ keys: [{ name: 'driver_id', type: 'integer' }], rows: sorted(expected(a)) });
        const both = await query.entitiesAsOf(['a', 'b'], asOf, cursor === null ? null : [cursor]);
        expect(both.rows).toEqual(sorted([...expected(a), ...expected(b)]));
      }),
      { numRuns: 30 },
    );
  });

  it('composite keys compare as tuples in PostgreSQL order, resuming after a cursor tuple', async () => {
    const zone = fc.constantFrom('north', 'south', 'Zeta', 'alpha', 'b');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ id: fc.integer({ min: 0, max: 4 }), zone, minute: fc.integer({ min: -5, max: 5 }) }), { maxLength: 30 }), async (rows) => {
        await ds.query(`TRUNCATE public.pop_c`);
        for (const r of rows) await ds.query(`INSERT INTO public.pop_c (driver_id, zone, ts) VALUES ($1, $2, $3)`, [r.id, r.zone, new Date(T0 + r.minute * MINUTE)]);
        const asOf = new Date(T0);
        const all = await query.entitiesAsOf(['c'], asOf);
        // The reference order is PostgreSQL's own for these tuples (collation included).
        const ordered = await ds.query<{ driver_id: string; zone: string }[]>(`SELECT DISTINCT driver_id, zone FROM public.pop_c WHERE ts <= $1 ORDER BY driver_id, zone`, [asOf]);
        expect(all.rows).toEqual(ordered.map((r) => [Number(r.driver_id), r.zone]));
        // Resuming after any element gives exactly the rest.
        for (let i = 0; i < all.rows.length; i++) expect((await query.entitiesAsOf(['c'], asOf, all.rows[i])).rows).toEqual(all.rows.slice(i + 1));
      }),
      { numRuns: 20 },
    );
  });

  it('refuses views with different join keys, naming them', async () => {
    await expect(query.entitiesAsOf(['a', 'c'], new Date(T0))).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(/a \(driver_id\), c \(driver_id,zone\) do not share one set of join keys/),
    });
  });
});
