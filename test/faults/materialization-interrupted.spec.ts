import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../src/database';
import { MaterializationJobRepository } from '../../src/features/materialization/materialization-job.repository';
import { MaterializationService } from '../../src/features/materialization/materialization.service';
import type { OnlineStore, OnlineWriteRow } from '../../src/features/online/online-store';
import { PostgresOnlineStore } from '../../src/features/online/postgres-online-store';
import { connectBounded, createRedisClient } from '../../src/features/online/redis-connection';
import { RedisOnlineStore } from '../../src/features/online/redis-online-store';
import type { ResolvedFeatureView } from '../../src/features/registry/resolved-feature-view';
import { col, testView } from '../contract/online-test-views';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * Materialization interrupted at every point where it can be: the online write of chunk k fails
 * after half of its rows went in (the process died mid-chunk), for every k of a two-view job. Running
 * it again must leave exactly the online state of an uninterrupted run: nothing missing, nothing
 * older overwriting newer (entities pushed online with newer values keep them). The kill of a real
 * service process mid-job is in materialization-killed.spec.ts.
 */
const DRIVERS = 60;
const CHUNK = 7;
const END = new Date('2026-01-01T00:00:00Z');
const NEWER_ONLINE = new Date('2025-12-31T23:00:00Z'); // pushed online, newer than any offline row

const stats = testView({ name: 'stats', table: { schema: 'public', name: 'stats' }, features: [col('conv_rate', 'number'), col('trips', 'integer')] });
const statsLabel = testView({ name: 'stats_label', table: { schema: 'public', name: 'stats' }, features: [col('label', 'string')] });

/** A small deterministic generator: the same rows every run, with equal timestamps and created-ts ties. */
function offlineRows(): { id: number; ev: Date; cr: Date | null; conv: number | null; trips: number; label: string }[] {
  let seed = 20261128;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const rows = [];
  for (let i = 0; i < DRIVERS * 5; i++) {
    const id = Math.floor(next() * DRIVERS);
    const ev = new Date(Date.UTC(2025, 0, 1 + Math.floor(next() * 12))); // 12 distinct days: many equal event times
    const cr = next() < 0.3 ? null : new Date(ev.getTime() + Math.floor(next() * 3) * 3600_000);
    rows.push({ id, ev, cr, conv: next() < 0.1 ? null : Math.round(next() * 1000) / 1000, trips: i, label: `row-${i}` });
  }
  return rows;
}

/** Fails the `failAt`-th write (1-based) after writing its first half: a process dying mid-chunk. */
class FailingStore implements Pick<OnlineStore, 'write'> {
  writes = 0;
  constructor(
    private readonly real: OnlineStore,
    private readonly failAt: number,
  ) {}
  async write(view: ResolvedFeatureView, rows: OnlineWriteRow[]): Promise<number> {
    this.writes++;
    if (this.writes !== this.failAt) return this.real.write(view, rows);
    await this.real.write(view, rows.slice(0, Math.floor(rows.length / 2)));
    throw new Error(`injected failure in write ${this.failAt}`);
  }
}

describe.each(['redis', 'postgres'] as const)('fault: materialization into %s interrupted at every chunk, then run again', (kind) => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: OnlineStore;
  let jobs: MaterializationJobRepository;
  const views = new Map([stats, statsLabel].map((v) => [v.name, v]));
  const source = { view: async (n: string) => views.get(n)!, onlineViewNames: async () => [...views.keys()] };
  const service = (s: Pick<OnlineStore, 'write'> = store) => new MaterializationService(ds, source, s as OnlineStore, jobs, { chunkRows: CHUNK });

  /** Everything the online store holds for both views, for every driver, as comparable text. */
  const dump = async (): Promise<string> => {
    const ids = Array.from({ length: DRIVERS }, (_, i) => [i]);
    const read = await store.read([stats, statsLabel].map((v) => ({ view: v, featureIndexes: v.features.map((_, i) => i), entityKeys: ids })));
    return JSON.stringify(read);
  };
  /** A fresh start: empty store, no watermarks, and ten drivers already pushed online with newer values. */
  const reset = async (): Promise<void> => {
    await store.deleteAll();
    await ds.query('DELETE FROM tessera.materialization_watermarks');
    await store.write(
      stats,
      Array.from({ length: 10 }, (_, i) => ({ keys: [i * 6], eventTs: NEWER_ONLINE, createdTs: null, values: [-1, -1] })),
    );
  };

  let reference = '';
  let chunkWrites = 0;

  beforeAll(async () => {
    Logger.overrideLogger(false); // the service logs every injected failure with its stack: expected here
    db = await createTestDatabase();
    ds = await openDatabase(db.url);
    jobs = new MaterializationJobRepository(ds);
    if (kind === 'redis') {
      const client = createRedisClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
      if (!(await connectBounded(client))) throw new Error('no Redis');
      store = new RedisOnlineStore(client, `test:mat-fault:${randomBytes(6).toString('hex')}:`);
    } else {
      store = new PostgresOnlineStore((ds.driver as unknown as { master: Pool }).master);
    }
    await ds.query(`CREATE TABLE public.stats (driver_id bigint, event_timestamp timestamptz, created timestamptz, conv_rate double precision, trips bigint, label text)`);
    const rows = offlineRows();
    await ds.query(`INSERT INTO public.stats SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::timestamptz[], $4::float8[], $5::bigint[], $6::text[])`, [
      rows.map((r) => r.id),
      rows.map((r) => r.ev),
      rows.map((r) => r.cr),
      rows.map((r) => r.conv),
      rows.map((r) => r.trips),
      rows.map((r) => r.label),
    ]);
    // The reference: one uninterrupted run, counting its chunk writes.
    await reset();
    const counting = new FailingStore(store, Number.POSITIVE_INFINITY);
    const job = await service(counting).materializeIncremental({ end: END });
    expect(job.status).toBe('succeeded');
    chunkWrites = counting.writes;
    reference = await dump();
  });
  afterAll(async () => {
    await store?.deleteAll();
    await store?.close();
    await ds?.destroy();
    await db?.drop();
  });

  it('the job spans several chunks of each view, and the reference keeps the newer pushed values', async () => {
    expect(chunkWrites).toBe(2 * Math.ceil(DRIVERS / CHUNK)); // every driver has rows: 9 chunks per view
    const pushed = JSON.parse(reference)[0][0];
    expect(pushed).toEqual({ values: [-1, -1], eventTs: NEWER_ONLINE.toISOString() });
  });

  it('interrupted at write k (for every k), a rerun gives the uninterrupted online state; the watermark only moves for views that finished', async () => {
    for (let k = 1; k <= chunkWrites; k++) {
      await reset();
      await expect(service(new FailingStore(store, k)).materializeIncremental({ end: END })).rejects.toThrow();
      const [failed] = await jobs.list(1);
      expect(failed).toMatchObject({ status: 'failed' });
      const marks = await jobs.watermarks(['stats', 'stats_label']);
      const firstViewDone = k > chunkWrites / 2;
      expect([marks.get('stats')?.toISOString(), marks.get('stats_label')?.toISOString()]).toEqual([firstViewDone ? END.toISOString() : undefined, undefined]);

      const rerun = await service().materializeIncremental({ end: END });
      expect(rerun.status).toBe('succeeded');
      expect(await dump()).toBe(reference);
    }
  });

  it('interrupted twice in a row, then rerun over the whole range (not incremental): the same state again', async () => {
    await reset();
    await expect(service(new FailingStore(store, 3)).materialize({ start: new Date(0), end: END })).rejects.toThrow();
    await expect(service(new FailingStore(store, 12)).materialize({ start: new Date(0), end: END })).rejects.toThrow();
    expect((await service().materialize({ start: new Date(0), end: END })).status).toBe('succeeded');
    expect(await dump()).toBe(reference);
  });
});
