import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../src/database';
import { OfflineTablesQuery } from '../../src/features/offline/offline-tables.query';
import { OfflineTablesRepository } from '../../src/features/offline/offline-tables.repository';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * SLO freshness and retention read the newest and oldest event of an offline table (through the
 * offline store's OfflineTablesQuery). After the first
 * full scan, a view's event-time column is read only past the previous extremes (BRIN-assisted); on
 * random inserts (newer, older, in between) and deletes (of the newest, the oldest, everything) the
 * answer must always equal a full scan's.
 */
describe('SLO event range: the narrow re-read equals a full scan after any change', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const events = { schema: 'public', table: 'events' };

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDatabase(db.url);
    await ds.query(`CREATE TABLE public.events (id serial, at timestamptz, local_at timestamp)`);
    await ds.query(`CREATE INDEX events_brin ON public.events USING brin (at)`);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const op = fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), offsets: fc.array(fc.integer({ min: -10_000, max: 10_000 }), { minLength: 1, maxLength: 5 }) }),
    fc.record({ kind: fc.constantFrom('delete-newest' as const, 'delete-oldest' as const, 'delete-all' as const) }),
  );

  it('for the view column (narrow path) and any other column (always a full scan)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        await ds.query('TRUNCATE public.events');
        const sql: string[] = [];
        const query = ds.query.bind(ds);
        // The offline store's query service only queries; this records what it sends. A fresh one: an empty cache per run.
        const recording = { query: (text: string, params?: unknown[]) => (sql.push(text), query(text, params)) } as unknown as DataSource;
        const repo = new OfflineTablesQuery(recording, new OfflineTablesRepository(ds));
        let known = false;
        for (const o of ops) {
          if (o.kind === 'insert') {
            await query(
              `INSERT INTO public.events (at, local_at) SELECT t, t AT TIME ZONE 'UTC' FROM unnest($1::int[]) AS s(sec), LATERAL (SELECT timestamptz '2024-06-01 12:00:00.123456+00' + sec * interval '1 second' AS t) x`,
              [o.offsets],
            );
          } else if (o.kind === 'delete-newest') {
            await query(`DELETE FROM public.events WHERE at = (SELECT max(at) FROM public.events)`);
          } else if (o.kind === 'delete-oldest') {
            await query(`DELETE FROM public.events WHERE at = (SELECT min(at) FROM public.events)`);
          } else {
            await query(`DELETE FROM public.events`);
          }
          const [want] = await query(`SELECT max(at) AS newest, min(at) AS oldest, max(local_at) AS ln, min(local_at) AS lo FROM public.events`);
          const before = sql.length;
          expect(await repo.eventRange(events, 'at')).toEqual({ newest: want.newest, oldest: want.oldest });
          // Narrow first whenever the previous look found rows (then a full scan only if an extreme was deleted).
          expect(sql[before].includes('"at" >= $1')).toBe(known);
          known = want.newest !== null;
          expect(await repo.eventRange(events, 'local_at')).toEqual({ newest: want.ln, oldest: want.lo });
        }
        // A column without a BRIN index: always one full scan, never the narrow pair (two filtered scans).
        expect(sql.some((q) => q.includes('"local_at" >= $1'))).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});
