/**
 * Shared harness of the issue 3 benchmarks: sizes from the environment (issue sizes by default,
 * BENCH_QUICK=1 for a smoke run), the dedicated `tessera_bench` database (kept between runs so the
 * 5M-row tables load once), percentiles and markdown helpers.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { Client, Pool, PoolClient } from 'pg';

export const QUICK = process.env.BENCH_QUICK === '1';
export const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const BENCH_DB = process.env.BENCH_DB ?? 'tessera_bench';

/** A size from the environment; BENCH_QUICK=1 uses `quick` instead of the issue's `full`. */
export function size(name: string, full: number, quick: number): number {
  const v = process.env[name];
  if (v !== undefined && v !== '') return Number(v);
  return QUICK ? quick : full;
}

export function sizes(name: string, full: number[], quick: number[]): number[] {
  const v = process.env[name];
  if (v !== undefined && v !== '') return v.split(',').map(Number);
  return QUICK ? quick : full;
}

export function benchDbUrl(): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${BENCH_DB}`;
  return url.toString();
}

/** Creates the bench database when missing; its tables (and loaded data) survive between runs. */
export async function ensureBenchDatabase(): Promise<string> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [BENCH_DB]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${BENCH_DB}`);
  } finally {
    await admin.end();
  }
  return benchDbUrl();
}

/**
 * Loads a table once per (name, rows, seed): `bench_meta` remembers what each bench table holds, so a
 * second run with the same sizes skips the (minutes long) load. A different size truncates and reloads.
 */
export async function loadOnce(pool: Pool, name: string, rows: number, seed: number, load: (client: PoolClient) => Promise<void>): Promise<{ loaded: boolean; ms: number }> {
  await pool.query(`CREATE TABLE IF NOT EXISTS public.bench_meta (name text PRIMARY KEY, rows bigint NOT NULL, seed int NOT NULL)`);
  const have = await pool.query<{ rows: string; seed: number }>('SELECT rows, seed FROM public.bench_meta WHERE name = $1', [name]);
  if (have.rowCount === 1 && Number(have.rows[0].rows) === rows && have.rows[0].seed === seed) return { loaded: false, ms: 0 };
  const t0 = performance.now();
  const client = await pool.connect();
  try {
    await client.query('DELETE FROM public.bench_meta WHERE name = $1', [name]);
    await load(client);
    await client.query('INSERT INTO public.bench_meta (name, rows, seed) VALUES ($1, $2, $3)', [name, rows, seed]);
  } finally {
    client.release();
  }
  return { loaded: true, ms: performance.now() - t0 };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const median = (xs: number[]): number =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** Order-sensitive digest of result rows (each row already canonical text). */
export class RowDigest {
  private readonly hash = createHash('sha256');
  rows = 0;
  add(row: string): void {
    this.hash.update(row);
    this.hash.update('\n');
    this.rows++;
  }
  hex(): string {
    return `${this.hash.copy().digest('hex').slice(0, 16)} (${this.rows} rows)`;
  }
}

export function table(header: string[], rows: (string | number)[][]): string {
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [`| ${header.join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export const fmtMs = (x: number): string => (x >= 100 ? `${x.toFixed(0)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`);
export const ratio = (x: number): string => `${x.toFixed(2)}×`;
export const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** Samples RSS and heap every `everyMs` while running; peak and the value before the run. */
export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  readonly before = process.memoryUsage();
  peakRss = this.before.rss;
  peakHeap = this.before.heapUsed;
  peakExternal = this.before.external + this.before.arrayBuffers;
  samples = 0;

  start(everyMs = 50): this {
    // Linux: writing 5 to clear_refs resets VmHWM, so the kernel's exact peak RSS covers just this run.
    try {
      writeFileSync('/proc/self/clear_refs', '5');
    } catch {
      /* not Linux, or not allowed: the sampled peak stands alone */
    }
    this.timer = setInterval(() => this.sample(), everyMs);
    return this;
  }

  sample(): void {
    const m = process.memoryUsage();
    this.samples++;
    this.peakRss = Math.max(this.peakRss, m.rss);
    this.peakHeap = Math.max(this.peakHeap, m.heapUsed);
    this.peakExternal = Math.max(this.peakExternal, m.external + m.arrayBuffers);
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }

  /** The kernel's high-water mark of resident memory (VmHWM), or the sampled peak where unavailable. */
  kernelPeakRss(): number {
    try {
      const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
      return kb ? Number(kb) * 1024 : this.peakRss;
    } catch {
      return this.peakRss;
    }
  }
}

/** SCAN + UNLINK of every key under `prefix` (bench keys only: the prefix must start with `bench`). */
export async function deleteRedisPrefix(redis: Redis, prefix: string): Promise<number> {
  if (!prefix.startsWith('bench')) throw new Error(`refusing to delete keys outside a bench prefix: ${prefix}`);
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
    cursor = next;
    if (keys.length) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
