/**
 * Partitioned vs plain offline table, side by side in one run (issue 15, ADR 0030): the same rows in
 * a plain table (today's layout) and in a month-partitioned one, built with the service's own DDL
 * (createTableSql, ensurePartitions, the view's point-in-time and BRIN indexes), then alternately:
 *   - ingestion: one batch COPYed into a staging table and INSERT … ON CONFLICT (row hash[, ts]) DO
 *     NOTHING, as OfflineIngestRepository.load does (a fresh batch of new rows each time, spread over the 24 months; rolled back after timing);
 *   - point-in-time retrieval: planSql's LATERAL … LIMIT 1 over entity rows at random times, ttl
 *     7 days and no ttl (entities COPYed; join + fetch of every row);
 *   - retention: removing the oldest month (DELETE vs DROP of its partition, on a copy-free basis:
 *     the DELETE is rolled back, the DROP too).
 * Rows: driver_id, event_timestamp over 24 months, created, two features. Data is generated in SQL.
 * Run: `npx ts-node --transpile-only bench/partitioned-offline.bench.ts`. Env: BENCH_PART_ROWS
 * (default 2M), BENCH_PART_ENTITIES (10k), BENCH_PART_BATCH (100k), BENCH_PART_REPEAT (3),
 * BENCH_PART_LOAD_CHUNK (rows per INSERT while loading, 5M).
 */
import { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createTableSql, eventTimeBrinSql, pointInTimeIndexName, pointInTimeIndexSql, qualified, rowHashConflictTarget, TableRef } from '../src/features/offline/offline-ddl';
import { bucketsBetween, PartitionSpec } from '../src/features/offline/offline-partitioning';
import { ensurePartitions } from '../src/features/offline/offline-partitions';
import type { OfflineColumn } from '../src/features/offline/offline-table.entity';
import type { ResolvedFeatureView } from '../src/features/registry/resolved-feature-view';
import type { EntityKey } from '../src/features/retrieval/pit-entity-frame';
import type { FeatureOutput } from '../src/features/retrieval/pit-output-names';
import { planSql } from '../src/features/retrieval/pit-plan';
import { loadSourceCatalog } from '../src/features/retrieval/pit-source-catalog';

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const DB = 'tessera_bench_partitions';
const ROWS = Number(process.env.BENCH_PART_ROWS ?? 2_000_000);
const ENTITIES = Number(process.env.BENCH_PART_ENTITIES ?? 10_000);
const BATCH = Number(process.env.BENCH_PART_BATCH ?? 100_000);
const REPEAT = Number(process.env.BENCH_PART_REPEAT ?? 3);
const START = '2024-01-01T00:00:00Z';
const MONTHS = 24;
const PER_DRIVER = 200;

const col = (name: string, logicalType: OfflineColumn['logicalType'], required: boolean): OfflineColumn => ({ name, logicalType, required, unique: false, primaryKey: false, logicalTypeOptions: null });
const COLUMNS = [col('driver_id', 'integer', true), col('event_timestamp', 'timestamp', true), col('created', 'timestamp', false), col('conv_rate', 'number', false), col('trips', 'integer', false)];
const SPEC: PartitionSpec = { column: 'event_timestamp', granularity: 'month', type: 'timestamp' };
const PLAIN: TableRef = { schema: 'bench', name: 'plain' };
const PARTED: TableRef = { schema: 'bench', name: 'parted', partition: SPEC };
/** BENCH_PART_YEAR=1: a third copy partitioned by year (3 partitions), to see what the partition count costs. */
const YEARLY: TableRef = { schema: 'bench', name: 'parted_year', partition: { ...SPEC, granularity: 'year' } };
const LAYOUTS = process.env.BENCH_PART_YEAR === '1' ? [PLAIN, PARTED, YEARLY] : [PLAIN, PARTED];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs: number[]): string => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = process.hrtime.bigint();
  const r = await f();
  return [Number(process.hrtime.bigint() - t0) / 1e6, r];
}

/** Rows i in [from, from+n): driver i/PER_DRIVER-ish spread, event times over 24 months, sha256 row hash. */
function generatedRows(from: number, n: number, drivers: number): string {
  return `SELECT d AS driver_id, ts AS event_timestamp, ts + interval '5 minutes' AS created, (i % 1000) / 1000.0 AS conv_rate, i % 500 AS trips,
                 encode(sha256(convert_to(i::text || '/' || d || '/' || ts::text, 'UTF8')), 'hex') AS _tessera_row_hash
            FROM (SELECT i, (hashint8(i) & 2147483647) % ${drivers} AS d,
                         timestamptz '${START}' + ((hashint8(i * 7 + 1) & 2147483647) % (${MONTHS} * 30 * 24 * 3600)) * interval '1 second' AS ts
                    FROM generate_series(${from}::bigint, ${from + n - 1}::bigint) i) g`;
}

async function buildYearly(pool: Pool): Promise<void> {
  if ((await pool.query<{ r: string | null }>(`SELECT to_regclass('bench.parted_year')::text AS r`)).rows[0].r) return;
  for (const sql of createTableSql(YEARLY, COLUMNS, [])) await pool.query(sql);
  await ensurePartitions(pool, { ...YEARLY, partition: YEARLY.partition! }, bucketsBetween(new Date(START), new Date(Date.parse(START) + (MONTHS + 2) * 31 * 86400_000), 'year'));
  const cols = 'driver_id, event_timestamp, created, conv_rate, trips, _tessera_row_hash';
  const [ms] = await timed(() => pool.query(`INSERT INTO ${qualified(YEARLY)} (${cols}) SELECT ${cols} FROM ${qualified(PLAIN)}`));
  await pool.query(pointInTimeIndexSql(YEARLY, pointInTimeIndexName(YEARLY.name, ['driver_id'], 'event_timestamp', 'created'), ['driver_id'], 'event_timestamp', 'created'));
  await pool.query(eventTimeBrinSql(YEARLY, 'event_timestamp'));
  await pool.query(`VACUUM ANALYZE ${qualified(YEARLY)}`);
  console.error(`yearly copy: ${(ms / 1000).toFixed(1)} s + indexes`);
}

/** Rows per INSERT while loading, so a 50M-row load reports progress and no statement runs for an hour. */
const LOAD_CHUNK = Number(process.env.BENCH_PART_LOAD_CHUNK ?? 5_000_000);

/**
 * Both layouts are loaded at once, each on its own connection from the same deterministic generator
 * (two backends on two cores: half the wall time of generating one and copying it into the other).
 * Indexes are built after the load, as a bulk load would do.
 */
async function build(pool: Pool, drivers: number): Promise<void> {
  const have = await pool.query<{ n: string }>(`SELECT reltuples::bigint AS n FROM pg_class WHERE oid = to_regclass('bench.plain')`);
  if (have.rows[0] && Number(have.rows[0].n) >= ROWS * 0.95) {
    console.error('tables already loaded');
    return;
  }
  await pool.query(`DROP SCHEMA IF EXISTS bench CASCADE; CREATE SCHEMA bench`);
  for (const t of [PLAIN, PARTED]) for (const sql of createTableSql(t, COLUMNS, [])) await pool.query(sql);
  const starts = bucketsBetween(new Date(START), new Date(Date.parse(START) + (MONTHS + 2) * 31 * 86400_000), 'month');
  await ensurePartitions(pool, { ...PARTED, partition: SPEC }, starts);
  const cols = 'driver_id, event_timestamp, created, conv_rate, trips, _tessera_row_hash';
  const load = async (t: TableRef): Promise<number> => {
    const [ms] = await timed(async () => {
      for (let from = 0; from < ROWS; from += LOAD_CHUNK) {
        await pool.query(`INSERT INTO ${qualified(t)} (${cols}) ${generatedRows(from, Math.min(LOAD_CHUNK, ROWS - from), drivers)}`);
        console.error(`${t.name}: ${Math.min(from + LOAD_CHUNK, ROWS)} rows loaded`);
      }
    });
    return ms;
  };
  const [plainMs, partMs] = await Promise.all([load(PLAIN), load(PARTED)]);
  console.error(`bulk load ${ROWS} rows, both layouts at once: plain ${(plainMs / 1000).toFixed(1)} s, partitioned ${(partMs / 1000).toFixed(1)} s (incl. generation)`);
  await Promise.all(
    [PLAIN, PARTED].map(async (t) => {
      const name = pointInTimeIndexName(t.name, ['driver_id'], 'event_timestamp', 'created');
      const client = await pool.connect();
      try {
        await client.query(`SET maintenance_work_mem = '1GB'`);
        const [ms] = await timed(async () => {
          await client.query(pointInTimeIndexSql(t, name, ['driver_id'], 'event_timestamp', 'created'));
          await client.query(eventTimeBrinSql(t, 'event_timestamp'));
          await client.query(`VACUUM ANALYZE ${qualified(t)}`);
        });
        console.error(`${t.name}: point-in-time + BRIN index, VACUUM ANALYZE ${(ms / 1000).toFixed(1)} s`);
      } finally {
        client.release();
      }
    }),
  );
}

/** One ingest batch as OfflineIngestRepository.load runs it (COPY to staging, INSERT … ON CONFLICT). */
async function ingestBatch(client: PoolClient, t: TableRef, from: number, drivers: number): Promise<number> {
  await client.query('BEGIN');
  try {
    const cols = ['driver_id', 'event_timestamp', 'created', 'conv_rate', 'trips', '_tessera_row_hash'];
    const { rows } = await client.query<Record<string, string>>(`SELECT ${cols.map((c) => `${c}::text AS ${c}`).join(', ')} FROM (${generatedRows(from, BATCH, drivers)}) x`);
    const lines = rows.map((r) => cols.map((c) => r[c]).join('\t') + '\n');
    const [ms] = await timed(async () => {
      await client.query(`CREATE TEMP TABLE "_stage" ON COMMIT DROP AS SELECT ${cols.join(', ')} FROM ${qualified(t)} WITH NO DATA`);
      await pipeline(Readable.from(lines), client.query(copyFrom(`COPY "_stage" (${cols.join(', ')}) FROM STDIN`)));
      await client.query(`ANALYZE "_stage"`);
      await client.query(`INSERT INTO ${qualified(t)} (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM "_stage" ON CONFLICT (${rowHashConflictTarget(t)}) DO NOTHING`);
    });
    return ms;
  } finally {
    await client.query('ROLLBACK'); // the tables stay the same size run after run
  }
}

async function pitRun(client: PoolClient, t: TableRef, ttlSeconds: number, drivers: number): Promise<{ ms: number; digest: number }> {
  const view: ResolvedFeatureView = {
    name: 'v',
    joinKeys: [{ name: 'driver_id', column: 'driver_id', type: 'integer' }],
    table: t,
    timestampColumn: 'event_timestamp',
    createdTimestampColumn: 'created',
    ttlSeconds,
    online: false,
    features: [{ name: 'conv_rate', column: 'conv_rate', type: 'number' }],
    version: 'bench',
  };
  const keys: EntityKey[] = [{ name: 'driver_id', type: 'integer', sqlType: 'bigint', values: [] }];
  const features = [{ kind: 'feature', name: 'conv_rate', type: 'number', view: 'v', feature: 'conv_rate' }] as FeatureOutput[];
  await client.query('BEGIN');
  try {
    const sql = planSql('_e', keys, features, [view], await loadSourceCatalog(client, [view], features));
    await client.query(sql.createTemp);
    await client.query(
      `INSERT INTO "_e" SELECT i, (hashint8(i + 99) & 2147483647) % ${drivers}, timestamptz '${START}' + ((hashint8(i * 3 + 5) & 2147483647) % (${MONTHS} * 30 * 24 * 3600)) * interval '1 second' FROM generate_series(0, ${ENTITIES - 1}) i`,
    );
    await client.query(sql.analyze);
    const [ms, res] = await timed(() => client.query<{ f0: number | null }>(sql.select));
    const digest = res.rows.reduce((s, r, i) => s + (r.f0 ?? -1) * ((i % 97) + 1), 0);
    return { ms, digest };
  } finally {
    await client.query('ROLLBACK');
  }
}

async function retention(client: PoolClient): Promise<{ deleteMs: number; dropMs: number; rows: number }> {
  await client.query('BEGIN');
  const [deleteMs, del] = await timed(() => client.query(`DELETE FROM ${qualified(PLAIN)} WHERE event_timestamp < timestamptz '2024-02-01Z'`));
  await client.query('ROLLBACK');
  await client.query('BEGIN');
  const [dropMs] = await timed(() => client.query(`DROP TABLE bench.parted__p20240101`));
  await client.query('ROLLBACK');
  return { deleteMs, dropMs, rows: del.rowCount ?? 0 };
}

async function sizes(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ t: string; bytes: string; n: string }>(
    `SELECT 'plain' AS t, pg_total_relation_size('bench.plain') AS bytes, (SELECT count(*) FROM bench.plain) AS n
     UNION ALL
     SELECT 'partitioned', (SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('bench.parted')), (SELECT count(*) FROM bench.parted)`,
  );
  return rows.map((r) => `${r.t}: ${(Number(r.bytes) / 2 ** 20).toFixed(0)} MiB, ${(Number(r.bytes) / Number(r.n)).toFixed(0)} B/row`).join('; ');
}

async function main(): Promise<void> {
  const admin = new Pool({ connectionString: ADMIN_URL, max: 1 });
  if ((await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [DB])).rowCount === 0) await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB}`;
  const pool = new Pool({ connectionString: url.toString(), max: 2 });
  const drivers = Math.max(1, Math.round(ROWS / PER_DRIVER));
  try {
    await build(pool, drivers);
    if (LAYOUTS.includes(YEARLY)) await buildYearly(pool);
    console.log(`rows ${ROWS}, drivers ${drivers}, ${MONTHS} months (partitioned: ${MONTHS + 3} monthly partitions), entities ${ENTITIES}, ingest batch ${BATCH}, repeat ${REPEAT}`);
    console.log(`size: ${await sizes(pool)}`);
    const client = await pool.connect();
    try {
      await client.query(`SET jit = off`);
      const results: Record<string, number[]> = {};
      const push = (k: string, ms: number): void => void (results[k] ??= []).push(ms);
      const digests = new Map<string, number>();
      for (let r = 0; r < REPEAT; r++) {
        for (const t of r % 2 === 0 ? LAYOUTS : [...LAYOUTS].reverse()) {
          push(`ingest ${BATCH} rows: ${t.name}`, await ingestBatch(client, t, ROWS + r * BATCH, drivers));
          for (const ttl of [7 * 86400, 0]) {
            const { ms, digest } = await pitRun(client, t, ttl, drivers);
            push(`PIT ${ENTITIES} entities, ttl ${ttl ? '7d' : 'none'}: ${t.name}`, ms);
            const key = `${ttl}`;
            // Same rows, same answers (an exact tie on event and created time could pick either row: reported, not fatal).
            if (digests.has(key) && Math.abs(digests.get(key)! - digest) > 1e-6) console.log(`NOTE: PIT digests differ between layouts (ttl ${ttl})`);
            digests.set(key, digest);
          }
        }
        const ret = await retention(client);
        push(`retention of one month (${ret.rows} rows): plain DELETE`, ret.deleteMs);
        push(`retention of one month: partitioned DROP`, ret.dropMs);
      }
      console.log('| measure | median ms | spread ms |');
      console.log('|---|---:|---:|');
      for (const [k, xs] of Object.entries(results)) console.log(`| ${k} | ${median(xs).toFixed(0)} | ${spread(xs)} |`);
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}

void main().catch((e: Error) => {
  console.error(e);
  process.exit(1);
});
