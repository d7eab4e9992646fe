import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../src/database';
import { MaterializationJobRepository } from '../../src/features/materialization/materialization-job.repository';
import { MaterializationService } from '../../src/features/materialization/materialization.service';
import type { OnlineStore } from '../../src/features/online/online-store';
import { PostgresOnlineStore } from '../../src/features/online/postgres-online-store';
import { connectBounded, createRedisClient } from '../../src/features/online/redis-connection';
import { RedisOnlineStore } from '../../src/features/online/redis-online-store';
import { col, testView } from '../contract/online-test-views';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const MINUTE = 60_000;
const ENTITIES = [1, 2, 3, 4, 5, 6];
const TTL_S = 3 * 24 * 3600;

/**
 * Online/offline consistency: after materializing everything up to now, each entity's online vector
 * is exactly the brute-force point-in-time row at now (latest event ts <= now within the ttl, ties to
 * the latest created ts, NULLs last), or absent when there is none. Random tables, real stores.
 */
describe.each(['redis', 'postgres'] as const)('online vs offline consistency (%s)', (kind) => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: OnlineStore;
  let jobs: MaterializationJobRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDatabase(db.url);
    jobs = new MaterializationJobRepository(ds);
    await ds.query(`CREATE TABLE public.pit (driver_id int, event_timestamp timestamptz, created timestamptz, conv_rate float8, trips int)`);
    if (kind === 'redis') {
      const client = createRedisClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
      if (!(await connectBounded(client))) throw new Error('no Redis');
      store = new RedisOnlineStore(client, `test:${randomBytes(6).toString('hex')}:`);
    } else {
      store = new PostgresOnlineStore((ds.driver as unknown as { master: Pool }).master);
    }
  });
  afterAll(async () => {
    await store.deleteAll();
    await store.close();
    await ds.destroy();
    await db.drop();
  });

  // Events sit on minute boundaries minus 30 s, so none is within 30 s of now - ttl: the test cannot
  // flake on the ms that pass between materializing and reading.
  const row = fc.record({
    id: fc.constantFrom(...ENTITIES),
    minutesAgo: fc.integer({ min: 1, max: 6 * 24 * 60 }),
    created: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    conv: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
    trips: fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null }),
  });
  const table = fc.uniqueArray(row, { maxLength: 40, selector: (r) => `${r.id}/${r.minutesAgo}/${r.created}` });

  it('serves exactly the point-in-time row at now', async () => {
    await fc.assert(
      fc.asyncProperty(table, fc.boolean(), async (rows, withTtl) => {
        await ds.query('TRUNCATE public.pit');
        await ds.query('DELETE FROM tessera.materialization_watermarks');
        await store.deleteAll();
        const now = new Date();
        const base = Math.floor(now.getTime() / MINUTE) * MINUTE - 30_000;
        const created = (c: number | null, ev: number) => (c === null ? null : new Date(ev + c * 1000).toISOString());
        await ds.query(`INSERT INTO public.pit SELECT * FROM unnest($1::int[], $2::timestamptz[], $3::timestamptz[], $4::float8[], $5::int[])`, [
          rows.map((r) => r.id),
          rows.map((r) => new Date(base - r.minutesAgo * MINUTE).toISOString()),
          rows.map((r) => created(r.created, base - r.minutesAgo * MINUTE)),
          rows.map((r) => r.conv),
          rows.map((r) => r.trips),
        ]);
        const view = testView({ name: 'pit', table: { schema: 'public', name: 'pit' }, ttlSeconds: withTtl ? TTL_S : 0, features: [col('conv_rate', 'number'), col('trips', 'integer')] });
        const service = new MaterializationService(ds, { view: async () => view, onlineViewNames: async () => ['pit'] }, store, jobs, { chunkRows: 4 });
        await service.materializeIncremental({ end: now });

        const [entries] = await store.read([{ view, featureIndexes: [0, 1], entityKeys: ENTITIES.map((e) => [e]) }]);
        for (const [i, id] of ENTITIES.entries()) {
          const [expected] = await ds.query<{ conv_rate: number | null; trips: number | null; event_timestamp: Date }[]>(
            `SELECT conv_rate, trips, event_timestamp FROM public.pit
             WHERE driver_id = $1 AND event_timestamp <= $2 AND ($3::int = 0 OR event_timestamp >= $2::timestamptz - make_interval(secs => $3))
             ORDER BY event_timestamp DESC, created DESC NULLS LAST LIMIT 1`,
            [id, now.toISOString(), view.ttlSeconds],
          );
          expect(entries[i]).toEqual(expected ? { eventTs: expected.event_timestamp, values: [expected.conv_rate, expected.trips] } : null);
        }
      }),
      { numRuns: 25 },
    );
  });
});
