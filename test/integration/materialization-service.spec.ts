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
import type { ResolvedFeatureView } from '../../src/features/registry/resolved-feature-view';
import { col, testView } from '../contract/online-test-views';
import { createTestDatabase, TestDatabase } from '../support/test-database';

async function ds0Query(db: TestDatabase, sql: string): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: db.url });
  await admin.initialize();
  await admin.query(sql);
  await admin.destroy();
}

const T = (iso: string): Date => new Date(iso);

/** The offline table of these tests: plain SQL in the suite's own database. */
const TABLE_DDL = `CREATE TABLE public.stats (driver_id bigint, event_timestamp timestamptz, created timestamptz, conv_rate double precision, trips bigint, label text, active boolean, seen timestamptz)`;
const view = testView({
  name: 'stats',
  table: { schema: 'public', name: 'stats' },
  features: [col('conv_rate', 'number'), col('trips', 'integer'), col('label', 'string'), col('active', 'boolean'), col('seen', 'timestamp')],
});

describe.each(['redis', 'postgres'] as const)('materialization into the %s online store', (kind) => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: OnlineStore;
  let jobs: MaterializationJobRepository;
  const views = new Map<string, ResolvedFeatureView>([[view.name, view]]);
  const source = {
    view: async (n: string) => {
      const v = views.get(n);
      if (!v) throw new Error(`no view ${n}`);
      return v;
    },
    onlineViewNames: async () => [...views.values()].filter((v) => v.online).map((v) => v.name),
  };
  const service = (chunkRows = 3) => new MaterializationService(ds, source, store, jobs, { chunkRows });

  beforeAll(async () => {
    db = await createTestDatabase();
    // A session zone other than UTC: the reader must pin its own (zone-less columns are UTC).
    await ds0Query(db, `ALTER DATABASE ${db.name} SET TimeZone = 'America/New_York'`);
    ds = await openDatabase(db.url);
    jobs = new MaterializationJobRepository(ds);
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
  beforeEach(async () => {
    await store.deleteAll();
    await ds.query('DROP TABLE IF EXISTS public.stats');
    await ds.query(TABLE_DDL);
    await ds.query('DELETE FROM tessera.materialization_watermarks');
  });

  const insert = (rows: [id: number, event: string, created: string | null, conv: number | null, trips?: number | string | null, label?: string | null][]) =>
    ds.query(
      `INSERT INTO public.stats (driver_id, event_timestamp, created, conv_rate, trips, label, active, seen)
       SELECT id, ev, cr, conv, trips::bigint, label, id % 2 = 0, ev - interval '1 hour'
       FROM unnest($1::bigint[], $2::timestamptz[], $3::timestamptz[], $4::float8[], $5::text[], $6::text[]) AS u(id, ev, cr, conv, trips, label)`,
      [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3]), rows.map((r) => (r[4] === undefined || r[4] === null ? null : String(r[4]))), rows.map((r) => r[5] ?? null)],
    );
  const online = async (ids: number[], v = view) => (await store.read([{ view: v, featureIndexes: v.features.map((_, i) => i), entityKeys: ids.map((i) => [i]) }]))[0];

  it('writes the latest row per entity, ties broken by the created timestamp (a missing one loses)', async () => {
    await insert([
      [1, '2024-01-01T00:00:00Z', null, 0.1, 1, 'old'],
      [1, '2024-01-02T00:00:00Z', '2024-01-02T00:00:00Z', 0.2, 2, 'tie-early'],
      [1, '2024-01-02T00:00:00Z', '2024-01-02T05:00:00Z', 0.3, 3, 'tie-late'],
      [1, '2024-01-02T00:00:00Z', null, 0.4, 4, 'tie-null'],
      [2, '2024-01-01T00:00:00Z', null, null, '9007199254740993', null],
    ]);
    const job = await service().materialize({ start: T('2023-01-01T00:00:00Z'), end: T('2025-01-01T00:00:00Z') });
    expect(job).toMatchObject({ status: 'succeeded', rowsRead: 2, rowsWritten: 2, progress: 1, featureViews: ['stats'], incremental: false, error: null });
    const [one, two] = await online([1, 2]);
    expect(one).toEqual({ eventTs: T('2024-01-02T00:00:00Z'), values: [0.3, 3, 'tie-late', false, T('2024-01-01T23:00:00Z')] });
    // int8 beyond 2^53 stays exact (as text, like the offline JSON); NULLs stay NULL.
    expect(two).toEqual({ eventTs: T('2024-01-01T00:00:00Z'), values: [null, '9007199254740993', null, true, T('2023-12-31T23:00:00Z')] });
  });

  it('reads event times in [start, end): start included, end excluded', async () => {
    await insert([
      [1, '2024-01-01T00:00:00Z', null, 0.1],
      [1, '2024-01-02T00:00:00Z', null, 0.2], // == end: excluded
      [2, '2023-12-31T23:59:59.999Z', null, 0.3], // before start: excluded
      [3, '2024-01-01T12:00:00Z', null, 0.4],
    ]);
    const job = await service().materialize({ start: T('2024-01-01T00:00:00Z'), end: T('2024-01-02T00:00:00Z') });
    expect(job.rowsRead).toBe(2);
    expect((await online([1, 2, 3])).map((e) => e?.values[0] ?? null)).toEqual([0.1, null, 0.4]);
  });

  it('never overwrites newer online values when an older interval is materialized afterwards', async () => {
    await insert([
      [1, '2024-01-01T00:00:00Z', null, 0.1],
      [1, '2024-02-01T00:00:00Z', null, 0.2],
      [2, '2024-01-01T00:00:00Z', null, 0.3],
    ]);
    await service().materialize({ start: T('2024-01-15T00:00:00Z'), end: T('2024-03-01T00:00:00Z') });
    const older = await service().materialize({ start: T('2023-12-01T00:00:00Z'), end: T('2024-01-15T00:00:00Z') });
    expect(older).toMatchObject({ rowsRead: 2, rowsWritten: 1 }); // entity 2 is new; entity 1 keeps February
    expect((await online([1, 2])).map((e) => e?.values[0])).toEqual([0.2, 0.3]);
  });

  it('runs incrementally from each view’s watermark, which only moves forward', async () => {
    await insert([
      [1, '2024-01-01T00:00:00Z', null, 0.1],
      [2, '2024-01-05T00:00:00Z', null, 0.2],
    ]);
    const first = await service().materializeIncremental({ end: T('2024-01-03T00:00:00Z') });
    expect(first).toMatchObject({ incremental: true, startTs: null, rowsRead: 1 });
    await insert([[3, '2024-01-02T00:00:00Z', null, 0.3]]); // late: before the watermark, not picked up
    const second = await service().materializeIncremental({ end: T('2024-01-10T00:00:00Z') });
    expect(second.rowsRead).toBe(1); // only entity 2, from [2024-01-03, 2024-01-10)
    expect((await online([1, 2, 3])).map((e) => e?.values[0] ?? null)).toEqual([0.1, 0.2, null]);
    await service().materialize({ start: T('2023-01-01T00:00:00Z'), end: T('2024-01-04T00:00:00Z') }); // older range
    expect((await jobs.watermarks(['stats'])).get('stats')).toEqual(T('2024-01-10T00:00:00Z'));
    const nothing = await service().materializeIncremental({ end: T('2024-01-09T00:00:00Z') }); // end before watermark
    expect(nothing).toMatchObject({ status: 'succeeded', rowsRead: 0 });
  });

  it('streams tables larger than a chunk through the cursor, chunk by chunk', async () => {
    await insert(Array.from({ length: 50 }, (_, i) => [i % 17, `2024-01-01T00:${String(i).padStart(2, '0')}:00Z`, null, i] as [number, string, null, number]));
    const chunks: number[] = [];
    const counting: OnlineStore = Object.create(store, {
      write: { value: (v: ResolvedFeatureView, rows: Parameters<OnlineStore['write']>[1]) => (chunks.push(rows.length), store.write(v, rows)) },
    });
    const job = await new MaterializationService(ds, source, counting, jobs, { chunkRows: 4 }).materialize({ start: T('2024-01-01T00:00:00Z'), end: T('2024-01-02T00:00:00Z') });
    expect(job).toMatchObject({ rowsRead: 17, rowsWritten: 17 });
    expect(chunks).toEqual([4, 4, 4, 4, 1]);
    const entries = await online(Array.from({ length: 17 }, (_, i) => i));
    // The latest row of entity e is the largest i with i % 17 == e.
    expect(entries.map((e) => e?.values[0])).toEqual(Array.from({ length: 17 }, (_, e) => (e + 34 < 50 ? e + 34 : e + 17)));
  });

  it('reads zone-less timestamp columns as UTC', async () => {
    await ds.query(`CREATE TABLE public.naive (driver_id int, event_timestamp timestamp, x text)`);
    expect((await ds.query(`SHOW TimeZone`))[0].TimeZone).toBe('America/New_York');
    await ds.query(`INSERT INTO public.naive VALUES (1, '2024-01-01 10:00:00', 'a')`);
    const naive = testView({ name: 'naive', table: { schema: 'public', name: 'naive' }, createdTimestampColumn: null, features: [col('x', 'string')] });
    views.set('naive', naive);
    try {
      const job = await service().materialize({ start: T('2024-01-01T10:00:00Z'), end: T('2024-01-01T10:00:01Z'), views: ['naive'] });
      expect(job.rowsRead).toBe(1);
      expect((await online([1], naive))[0]).toEqual({ eventTs: T('2024-01-01T10:00:00Z'), values: ['a'] });
    } finally {
      views.delete('naive');
      await ds.query(`DROP TABLE public.naive`);
    }
  });

  it('records a failed job with its error and throws the cause’s code', async () => {
    const broken = testView({ name: 'broken', table: { schema: 'public', name: 'no_such_table' } });
    views.set('broken', broken);
    try {
      const err = await service()
        .materialize({ start: T('2024-01-01T00:00:00Z'), end: T('2024-01-02T00:00:00Z'), views: ['broken'] })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'OFFLINE_TABLE_MISSING', details: { job: { status: 'failed', featureViews: ['broken'] } } });
      const job = await jobs.get((err as { details: { job: { id: string } } }).details.job.id);
      expect(job?.status).toBe('failed');
      expect(job?.error).toBe('feature view broken: offline table public.no_such_table does not exist');
      expect(job?.finishedAt).toBeInstanceOf(Date);
    } finally {
      views.delete('broken');
    }
  });

  it('refuses views that are not online and an empty interval', async () => {
    views.set('offline_only', testView({ name: 'offline_only', online: false }));
    try {
      await expect(service().materialize({ start: T('2024-01-01T00:00:00Z'), end: T('2024-01-02T00:00:00Z'), views: ['offline_only'] })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
      await expect(service().materialize({ start: T('2024-01-02T00:00:00Z'), end: T('2024-01-02T00:00:00Z') })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    } finally {
      views.delete('offline_only');
    }
  });
});
