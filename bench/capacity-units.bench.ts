/**
 * Per-unit costs for docs/capacity.md (issue 15, point 6), measured as CPU time, not wall time, so a
 * loaded machine inflates them less: PostgreSQL backend CPU from /proc/<backend pid>/stat (utime +
 * stime), Redis CPU from INFO cpu, Node CPU from process.cpuUsage().
 *   - online read: RedisOnlineStore.read of 1 entity x 10 and x 50 features (store path, no HTTP);
 *   - bytes per online vector: MEMORY USAGE of the store's keys (10 and 50 double features) and the
 *     used_memory delta per key;
 *   - ingest: COPY + INSERT … ON CONFLICT of a batch into the plain and partitioned bench tables
 *     (PostgreSQL side; the Node side of validation and hashing is in docs/benchmarks.md, Ingestion);
 *   - point-in-time: planSql's join over entity rows against both tables (PostgreSQL side + Node fetch);
 *   - bytes per offline row: pg_total_relation_size / rows of both tables.
 * Needs the tables of bench/partitioned-offline.bench.ts (run it first). Run:
 * `npx ts-node --transpile-only bench/capacity-units.bench.ts`. Env: BENCH_CAP_READS (20000),
 * BENCH_CAP_KEYS (20000), BENCH_CAP_BATCH (100000), BENCH_CAP_ENTITIES (20000), BENCH_CAP_PARTS (online|offline|both).
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Redis } from 'ioredis';
import { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { qualified, rowHashConflictTarget, TableRef } from '../src/features/offline/offline-ddl';
import { RedisOnlineStore } from '../src/features/online/redis-online-store';
import type { ResolvedFeatureView } from '../src/features/registry/resolved-feature-view';
import type { EntityKey } from '../src/features/retrieval/pit-entity-frame';
import type { FeatureOutput } from '../src/features/retrieval/pit-output-names';
import { planSql } from '../src/features/retrieval/pit-plan';
import { loadSourceCatalog } from '../src/features/retrieval/pit-source-catalog';

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const READS = Number(process.env.BENCH_CAP_READS ?? 20_000);
const KEYS = Number(process.env.BENCH_CAP_KEYS ?? 20_000);
const BATCH = Number(process.env.BENCH_CAP_BATCH ?? 100_000);
const ENTITIES = Number(process.env.BENCH_CAP_ENTITIES ?? 20_000);
const TICK_MS = 10; // CLK_TCK 100 on Linux
const PLAIN: TableRef = { schema: 'bench', name: 'plain' };
const PARTED: TableRef = { schema: 'bench', name: 'parted', partition: { column: 'event_timestamp', granularity: 'month', type: 'timestamp' } };

function procCpuMs(pid: number): number {
  // Fields after the parenthesised command name: state is field 3, utime 14, stime 15 (1-based).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) * TICK_MS;
}

const nodeCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const get = (k: string): number => Number(new RegExp(`${k}:([0-9.]+)`).exec(info)![1]);
  return (get('used_cpu_user') + get('used_cpu_sys')) * 1000;
}

function view(features: number): ResolvedFeatureView {
  return {
    name: `cap_${features}`,
    joinKeys: [{ name: 'driver_id', column: 'driver_id', type: 'integer' }],
    table: { schema: 'bench', name: 'none' },
    timestampColumn: 'event_timestamp',
    createdTimestampColumn: null,
    ttlSeconds: 0,
    online: true,
    features: Array.from({ length: features }, (_, i) => ({ name: `f${i}`, column: `f${i}`, type: 'number' as const })),
    version: 'cap',
  };
}

async function online(lines: string[]): Promise<void> {
  const redis = new Redis(REDIS_URL);
  const prefix = `capbench:${process.pid}:`;
  const store = new RedisOnlineStore(redis, prefix);
  try {
    for (const features of [10, 50]) {
      const v = view(features);
      const before = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
      const rows = Array.from({ length: KEYS }, (_, i) => ({
        keys: [i],
        eventTs: new Date(Date.UTC(2026, 0, 1) + i * 1000),
        createdTs: null,
        values: Array.from({ length: features }, (_, f) => Math.round(((i * 31 + f) % 1000) * 1.37 * 1e4) / 1e4),
      }));
      await store.write(v, rows);
      const after = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
      const keys = (await redis.keys(`${prefix}o:{*}:${v.name}`)).slice(0, 500);
      const usage = await Promise.all(keys.map((k) => redis.memory('USAGE', k, 'SAMPLES', 0)));
      const mean = usage.reduce<number>((s, x) => s + Number(x), 0) / usage.length;
      lines.push(
        `| bytes per online vector, ${features} doubles | MEMORY USAGE ${mean.toFixed(0)} B (mean of ${usage.length} keys); used_memory delta ${((after - before) / KEYS).toFixed(0)} B per key (${KEYS} keys) |`,
      );

      const req = (i: number) => [{ view: v, featureIndexes: v.features.map((_, f) => f), entityKeys: [[(i * 7919) % KEYS]] }];
      for (let i = 0; i < 500; i++) await store.read(req(i)); // warm-up
      const n0 = nodeCpuMs();
      const r0 = await redisCpuMs(redis);
      const t0 = Date.now();
      for (let i = 0; i < READS; i++) await store.read(req(i));
      const wall = Date.now() - t0;
      const nodeUs = ((nodeCpuMs() - n0) / READS) * 1000;
      const redisUs = (((await redisCpuMs(redis)) - r0) / READS) * 1000;
      lines.push(
        `| CPU per online read, 1 entity × ${features} (store path) | Node ${nodeUs.toFixed(0)} µs + Redis ${redisUs.toFixed(0)} µs (${READS} sequential reads, ${((wall / READS) * 1000).toFixed(0)} µs wall each) |`,
      );
    }
  } finally {
    await store.deleteAll();
    await redis.quit();
  }
}

async function backendCpu<T>(client: PoolClient, pid: number, f: () => Promise<T>): Promise<{ pgMs: number; nodeMs: number; wallMs: number; result: T }> {
  const p0 = procCpuMs(pid);
  const n0 = nodeCpuMs();
  const t0 = Date.now();
  const result = await f();
  return { pgMs: procCpuMs(pid) - p0, nodeMs: nodeCpuMs() - n0, wallMs: Date.now() - t0, result };
}

async function offline(lines: string[]): Promise<void> {
  const url = new URL(ADMIN_URL);
  url.pathname = '/tessera_bench_partitions';
  const pool = new Pool({ connectionString: url.toString(), max: 1 });
  const client = await pool.connect();
  try {
    await client.query('SET jit = off');
    const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
    const [{ drivers }] = (await client.query<{ drivers: string }>(`SELECT (count(DISTINCT driver_id))::text AS drivers FROM (SELECT driver_id FROM bench.plain LIMIT 200000) x`)).rows;
    for (const t of [PLAIN, PARTED]) {
      const [{ bytes, n }] = (
        await client.query<{ bytes: string; n: string }>(
          `SELECT coalesce((SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree($1::regclass) WHERE relid <> $1::regclass), pg_total_relation_size($1::regclass)) AS bytes, (SELECT count(*) FROM ${qualified(t)}) AS n`,
          [qualified(t)],
        )
      ).rows;
      lines.push(`| bytes per offline row, ${t.name} (5 columns + hash + load time, PIT and BRIN indexes) | ${(Number(bytes) / Number(n)).toFixed(0)} B (${n} rows, ${(Number(bytes) / 2 ** 30).toFixed(2)} GiB) |`);

      const cols = ['driver_id', 'event_timestamp', 'created', 'conv_rate', 'trips', '_tessera_row_hash'];
      const { rows } = await client.query<Record<string, string>>(
        `SELECT driver_id::text, ts::text AS event_timestamp, (ts + interval '5 minutes')::text AS created, (i % 1000 / 1000.0)::text AS conv_rate, (i % 500)::text AS trips, md5(i::text || 'cap') || md5(i::text) AS _tessera_row_hash
           FROM (SELECT i, (hashint8(i) & 2147483647) % ${drivers} AS driver_id, timestamptz '2024-01-01Z' + ((hashint8(i + 5) & 2147483647) % (24 * 30 * 86400)) * interval '1 second' AS ts
                   FROM generate_series(900000000::bigint, ${900_000_000 + BATCH - 1}::bigint) i) g`,
      );
      const lines_ = rows.map((r) => cols.map((c) => r[c]).join('\t') + '\n');
      await client.query('BEGIN');
      const ingest = await backendCpu(client, pid, async () => {
        await client.query(`CREATE TEMP TABLE "_stage" ON COMMIT DROP AS SELECT ${cols.join(', ')} FROM ${qualified(t)} WITH NO DATA`);
        await pipeline(Readable.from(lines_), client.query(copyFrom(`COPY "_stage" (${cols.join(', ')}) FROM STDIN`)));
        await client.query(`ANALYZE "_stage"`);
        await client.query(`INSERT INTO ${qualified(t)} (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM "_stage" ON CONFLICT (${rowHashConflictTarget(t)}) DO NOTHING`);
      });
      await client.query('ROLLBACK');
      lines.push(
        `| PostgreSQL CPU per 1M ingested rows, ${t.name} (COPY + INSERT … ON CONFLICT, batch ${BATCH}) | ${(((ingest.pgMs / BATCH) * 1e6) / 1000).toFixed(1)} s (wall ${(((ingest.wallMs / BATCH) * 1e6) / 1000).toFixed(1)} s) |`,
      );

      for (const ttlSeconds of [7 * 86400, 0]) {
        const v: ResolvedFeatureView = { ...view(1), name: 'v', table: t, createdTimestampColumn: 'created', ttlSeconds, online: false, features: [{ name: 'conv_rate', column: 'conv_rate', type: 'number' }] };
        const keys: EntityKey[] = [{ name: 'driver_id', type: 'integer', sqlType: 'bigint', values: [] }];
        const features = [{ kind: 'feature', name: 'conv_rate', type: 'number', view: 'v', feature: 'conv_rate' }] as FeatureOutput[];
        await client.query('BEGIN');
        const sql = planSql('_e', keys, features, [v], await loadSourceCatalog(client, [v], features));
        await client.query(sql.createTemp);
        await client.query(
          `INSERT INTO "_e" SELECT i, (hashint8(i + 7) & 2147483647) % ${drivers}, timestamptz '2024-01-01Z' + ((hashint8(i * 5 + 3) & 2147483647) % (24 * 30 * 86400)) * interval '1 second' FROM generate_series(0, ${ENTITIES - 1}) i`,
        );
        await client.query(sql.analyze);
        const pit = await backendCpu(client, pid, () => client.query(sql.select));
        await client.query('ROLLBACK');
        lines.push(
          `| CPU per 1M point-in-time rows, ${t.name}, ttl ${ttlSeconds ? '7d' : 'none'} (join + fetch, ${ENTITIES} entity rows) | PostgreSQL ${(((pit.pgMs / ENTITIES) * 1e6) / 1000).toFixed(1)} s + Node fetch ${(((pit.nodeMs / ENTITIES) * 1e6) / 1000).toFixed(1)} s (wall ${(((pit.wallMs / ENTITIES) * 1e6) / 1000).toFixed(1)} s) |`,
        );
      }
    }
  } finally {
    client.release();
    await pool.end();
  }
}

async function main(): Promise<void> {
  const lines: string[] = ['| unit | measured |', '|---|---|'];
  const parts = process.env.BENCH_CAP_PARTS ?? 'both';
  if (parts !== 'offline') await online(lines);
  if (parts !== 'online') await offline(lines);
  console.log(lines.join('\n'));
}

void main().catch((e: Error) => {
  console.error(e);
  process.exit(1);
});
