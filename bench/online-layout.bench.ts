/**
 * Redis key layouts for online features (ADR 0005), on the same data: E entities x V views x F
 * features (floats and integers), read as requests of B entities x all views x all features.
 *   - packed: one string per (entity, view) holding the JSON vector; a request is one MGET
 *   - hash:   one hash per (entity, view), a field per feature; a request is B*V pipelined HMGETs
 *   - key/feature: one string per (entity, view, feature); a request is one MGET of B*V*F keys
 * plus Tessera's RedisOnlineStore end to end (newer-only Lua writes, MGET + decoding).
 * Memory is MEMORY USAGE summed over a sample of keys, scaled. Keys live under a random
 * `bench:` prefix and are deleted afterwards.
 * Run: `npx ts-node --transpile-only bench/online-layout.bench.ts`
 * (env: REDIS_URL, ONLINE_BENCH_ENTITIES, ONLINE_BENCH_BATCH, ONLINE_BENCH_REQUESTS).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { connectBounded, createRedisClient } from '../src/features/online/redis-connection';
import { RedisOnlineStore } from '../src/features/online/redis-online-store';
import type { ResolvedFeatureView } from '../src/features/registry/resolved-feature-view';

const URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const E = Number(process.env.ONLINE_BENCH_ENTITIES ?? 20_000);
const B = Number(process.env.ONLINE_BENCH_BATCH ?? 100);
const N = Number(process.env.ONLINE_BENCH_REQUESTS ?? 500);
const V = 3;
const F = 10;
const PREFIX = `bench:${randomBytes(4).toString('hex')}:`;
const PIPE = 1000;

const views: ResolvedFeatureView[] = Array.from({ length: V }, (_, v) => ({
  name: `view_${v}`,
  joinKeys: [{ name: 'driver_id', column: 'driver_id', type: 'integer' }],
  table: { schema: 'bench', name: `view_${v}` },
  timestampColumn: 'event_timestamp',
  createdTimestampColumn: null,
  ttlSeconds: 0,
  online: true,
  features: Array.from({ length: F }, (_, f) => ({ name: `f${f}`, column: `f${f}`, type: f % 2 ? 'integer' : 'number' })),
  version: 'bench',
}));
const values = (e: number, v: number): number[] => Array.from({ length: F }, (_, f) => (f % 2 ? (e * 31 + v * 7 + f) % 1000 : Math.round(((e + v + f) % 997) * 1.37e4) / 1e4));
const TS = 1_704_067_200_000;

interface Layout {
  name: string;
  keysFor(e: number, v: number): string[];
  load(r: Redis): Promise<void>;
  read(r: Redis, entities: number[]): Promise<number>;
}

const packedKey = (e: number, v: number) => `${PREFIX}p:{driver_id=${e}}:view_${v}`;
const hashKey = (e: number, v: number) => `${PREFIX}h:{driver_id=${e}}:view_${v}`;
const featureKey = (e: number, v: number, f: number) => `${PREFIX}k:{driver_id=${e}}:view_${v}:f${f}`;

async function inPipelines(r: Redis, count: number, add: (p: ReturnType<Redis['pipeline']>, i: number) => void): Promise<void> {
  for (let start = 0; start < count; start += PIPE) {
    const p = r.pipeline();
    for (let i = start; i < Math.min(count, start + PIPE); i++) add(p, i);
    await p.exec();
  }
}

const layouts: Layout[] = [
  {
    name: 'packed vector (MGET)',
    keysFor: (e, v) => [packedKey(e, v)],
    load: (r) => inPipelines(r, E * V, (p, i) => p.set(packedKey(i % E, Math.floor(i / E)), `${TS}||abcdefghij|${JSON.stringify(values(i % E, Math.floor(i / E)))}`)),
    async read(r, entities) {
      const keys = entities.flatMap((e) => views.map((_, v) => packedKey(e, v)));
      const raw = await r.mget(keys);
      let sum = 0;
      for (const s of raw) if (s) sum += (JSON.parse(s.slice(s.indexOf('|', s.indexOf('|', s.indexOf('|') + 1) + 1) + 1)) as number[]).length;
      return sum;
    },
  },
  {
    name: 'hash per entity+view (pipelined HMGET)',
    keysFor: (e, v) => [hashKey(e, v)],
    load: (r) => inPipelines(r, E * V, (p, i) => p.hset(hashKey(i % E, Math.floor(i / E)), { _ts: TS, ...Object.fromEntries(values(i % E, Math.floor(i / E)).map((x, f) => [`f${f}`, x])) })),
    async read(r, entities) {
      const p = r.pipeline();
      const fields = ['_ts', ...Array.from({ length: F }, (_, f) => `f${f}`)];
      for (const e of entities) for (let v = 0; v < V; v++) p.hmget(hashKey(e, v), ...fields);
      let sum = 0;
      for (const [, res] of (await p.exec()) ?? []) sum += (res as (string | null)[]).slice(1).map(Number).length;
      return sum;
    },
  },
  {
    name: 'key per feature (MGET)',
    keysFor: (e, v) => Array.from({ length: F }, (_, f) => featureKey(e, v, f)),
    load: (r) => inPipelines(r, E * V, (p, i) => p.mset(Object.fromEntries(values(i % E, Math.floor(i / E)).map((x, f) => [featureKey(i % E, Math.floor(i / E), f), `${TS}|${x}`])))),
    async read(r, entities) {
      const keys = entities.flatMap((e) => views.flatMap((_, v) => Array.from({ length: F }, (_, f) => featureKey(e, v, f))));
      const raw = await r.mget(keys);
      let sum = 0;
      for (const s of raw) if (s) sum += Number(s.slice(s.indexOf('|') + 1)) >= 0 ? 1 : 0;
      return sum;
    },
  },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timeRequests(read: (entities: number[]) => Promise<number>): Promise<{ p50: number; p99: number; perSec: number }> {
  const times: number[] = [];
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 20; i++) await read(Array.from({ length: B }, () => Math.floor(rand() * E))); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const entities = Array.from({ length: B }, () => Math.floor(rand() * E));
    const t0 = process.hrtime.bigint();
    const n = await read(entities);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (n !== B * V * F) throw new Error(`read ${n} values, expected ${B * V * F}`);
  }
  const total = Number(process.hrtime.bigint() - start) / 1e9;
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), perSec: N / total };
}

async function bytesPerEntity(r: Redis, keysFor: (e: number, v: number) => string[]): Promise<number> {
  const sample = 200;
  let bytes = 0;
  for (let i = 0; i < sample; i++) {
    const e = Math.floor((i * E) / sample);
    for (let v = 0; v < V; v++) for (const k of keysFor(e, v)) bytes += Number(await r.memory('USAGE', k, 'SAMPLES', 0));
  }
  return bytes / sample;
}

async function deletePrefix(r: Redis): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 5000);
    cursor = next;
    if (keys.length) await r.unlink(...keys);
  } while (cursor !== '0');
}

async function main(): Promise<void> {
  const r = new Redis(URL);
  console.log(`redis ${(await r.info('server')).match(/redis_version:(\S+)/)?.[1]}, ${E} entities x ${V} views x ${F} features; requests of ${B} entities x ${V} views (${B * V * F} values), ${N} requests each\n`);
  console.log('| layout | load (s) | p50 (ms) | p99 (ms) | requests/s | bytes per entity (3 views) |');
  console.log('|---|---|---|---|---|---|');
  try {
    for (const l of layouts) {
      const t0 = Date.now();
      await l.load(r);
      const load = (Date.now() - t0) / 1000;
      const t = await timeRequests((entities) => l.read(r, entities));
      const mem = await bytesPerEntity(r, (e, v) => l.keysFor(e, v));
      console.log(`| ${l.name} | ${load.toFixed(2)} | ${t.p50.toFixed(2)} | ${t.p99.toFixed(2)} | ${t.perSec.toFixed(0)} | ${mem.toFixed(0)} |`);
      await deletePrefix(r);
    }
    const client = createRedisClient({ url: URL });
    await connectBounded(client);
    const store = new RedisOnlineStore(client, `${PREFIX}s:`);
    const t0 = Date.now();
    for (const [v, view] of views.entries())
      await store.write(
        view,
        Array.from({ length: E }, (_, e) => ({ keys: [e], eventTs: new Date(TS), createdTs: null, values: values(e, v) })),
      );
    const load = (Date.now() - t0) / 1000;
    const all = Array.from({ length: F }, (_, f) => f);
    const t = await timeRequests(async (entities) => {
      const res = await store.read(views.map((view) => ({ view, featureIndexes: all, entityKeys: entities.map((e) => [e]) })));
      return res.reduce((n, perView) => n + perView.reduce((m, e) => m + (e?.values.length ?? 0), 0), 0);
    });
    console.log(`| RedisOnlineStore (Lua newer-only write; MGET + decode) | ${load.toFixed(2)} | ${t.p50.toFixed(2)} | ${t.p99.toFixed(2)} | ${t.perSec.toFixed(0)} | - |`);
    await store.deleteAll();
    await store.close();
  } finally {
    await deletePrefix(r);
    r.disconnect();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
