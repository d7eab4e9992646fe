/**
 * Materialization of 5M offline rows into Redis (issue 3 point 9): rows per second and peak memory,
 * which must stay bounded. The bench_mat offline table gets N rows over N/5 drivers (5 rows each at
 * distinct hours, so N/5 latest vectors); a real job runs through the app (POST /materialize covering
 * all the data, feature_views [bench_mat], answered when the job is done), and again at 1/5 of the
 * size first, to show the peak does not grow with the rows. Peak memory is the kernel's VmHWM of this
 * process (reset before each job; the process is the whole app, Redis and PostgreSQL excluded).
 * Baseline in the same process: the raw SQL read of the latest rows (the same DISTINCT ON, through a
 * cursor, FETCH 10,000 at a time, rows discarded) plus raw pipelined ioredis SETs with PX of the same
 * number of vectors of the same byte size (pipelines of 1,000, under a `benchraw:` prefix).
 * Every key written is deleted afterwards (SCAN + UNLINK by prefix).
 * Run: `npx ts-node --transpile-only bench/materialize.bench.ts`
 * Env: BENCH_QUICK=1, BENCH_MAT_ROWS (comma list, default 1000000,5000000; quick 40000,200000),
 * BENCH_MAT_ROWS_PER_DRIVER (5).
 */
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { OnlineRedisKeys } from '../src/features/online/online-redis-keys';
import { viewLayout } from '../src/features/online/view-layout';
import { AUTH, qualifiedTable, startBenchApp } from './bench-app';
import { ensureMatRows } from './bench-load';
import { deleteRedisPrefix, fmtMs, mb, MemorySampler, ratio, REDIS_URL, sizes, size, table } from './bench-support';

const SIZES = sizes('BENCH_MAT_ROWS', [1_000_000, 5_000_000], [40_000, 200_000]).sort((a, b) => a - b);
const PER_DRIVER = size('BENCH_MAT_ROWS_PER_DRIVER', 5, 5);
const PIPELINE = 1000;
const FETCH = 10_000;
const RAW_REPEAT = size('BENCH_MAT_RAW_REPEAT', 2, 2);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Job {
  id: string;
  status: string;
  rowsRead: number;
  rowsWritten: number;
  startedAt: string;
  finishedAt: string;
}

async function usedMemory(r: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await r.info('memory'))?.[1] ?? NaN);
}

async function main(): Promise<void> {
  const b = await startBenchApp();
  const raw = new Redis(REDIS_URL);
  const rawPrefix = `benchraw:${randomBytes(4).toString('hex')}:`;
  const rows: (string | number)[][] = [];
  const baseline: (string | number)[][] = [];
  const notes: string[] = [];
  try {
    const view = await b.view('bench_mat');
    const t = qualifiedTable(view);
    for (const n of SIZES) {
      const drivers = Math.ceil(n / PER_DRIVER);
      const load = await ensureMatRows(b.pool, view, n, drivers);
      console.error(load.loaded ? `loaded ${n} rows over ${drivers} drivers in ${fmtMs(load.loadMs)}` : `${n} rows already loaded`);
      const rel = (await b.pool.query<{ t: string; i: string }>(`SELECT pg_size_pretty(pg_table_size($1::regclass)) AS t, pg_size_pretty(pg_indexes_size($1::regclass)) AS i`, [t])).rows[0];
      await b.store.deleteAll(); // a previous size's vectors would make the newer-only writes skip
      await raw.config('RESETSTAT');

      // Tessera: one job through the HTTP API, awaited.
      gc();
      await new Promise((r) => setTimeout(r, 200));
      gc();
      const redisBefore = await usedMemory(raw);
      const mem = new MemorySampler().start(20);
      const rssBefore = mem.before.rss;
      const t0 = performance.now();
      const res = await fetch(`${b.baseUrl}/materialize`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...AUTH },
        body: JSON.stringify({ start_ts: '2000-01-01T00:00:00Z', end_ts: '2100-01-01T00:00:00Z', feature_views: ['bench_mat'] }),
      });
      const wallMs = performance.now() - t0;
      mem.stop();
      const peak = mem.kernelPeakRss();
      if (res.status !== 200) throw new Error(`materialize: ${res.status} ${await res.text()}`);
      const job = ((await res.json()) as { job: Job }).job;
      gc();
      const after = process.memoryUsage();
      const jobSeconds = (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000;
      const redisAfter = await usedMemory(raw);
      if (job.status !== 'succeeded' || job.rowsRead !== drivers || job.rowsWritten !== drivers)
        throw new Error(`job ${job.id}: ${job.status}, read ${job.rowsRead}, wrote ${job.rowsWritten}, expected ${drivers}`);
      console.error(`${n} rows: job ${job.id} ${jobSeconds.toFixed(1)} s, peak RSS ${mb(peak)} (before ${mb(rssBefore)})`);

      // Check a sample of vectors against the offline table's latest rows.
      const sample = Array.from({ length: 200 }, (_, i) => Math.floor((i * drivers) / 200));
      const latest = await b.pool.query<{ driver_id: number; ms: string; conv_rate: number; acc_rate: number; avg_daily_trips: number }>(
        `SELECT DISTINCT ON (driver_id) driver_id, floor(extract(epoch FROM event_timestamp) * 1000)::int8 AS ms, conv_rate, acc_rate, avg_daily_trips FROM ${t} WHERE driver_id = ANY($1) ORDER BY driver_id, event_timestamp DESC`,
        [sample],
      );
      const online = await b.store.read([{ view, featureIndexes: [0, 1, 2], entityKeys: latest.rows.map((r) => [r.driver_id]) }]);
      latest.rows.forEach((r, i) => {
        const e = online[0][i];
        const want = [Number(r.conv_rate), Number(r.acc_rate), Number(r.avg_daily_trips)];
        if (!e || e.eventTs.getTime() !== Number(r.ms) || e.values.some((v, j) => v !== want[j])) throw new Error(`driver ${r.driver_id}: online ${JSON.stringify(e)} but latest offline row ${JSON.stringify(r)}`);
      });
      if (latest.rows.length !== sample.length) throw new Error('sample drivers missing offline');

      // Byte size of the stored vectors, for the raw writes.
      const keys = new OnlineRedisKeys(b.redisPrefix);
      const { encoder } = viewLayout(view);
      const sampleKeys = sample.map((e) => keys.feature(encoder.encode([e]), view.name));
      const sampleVals = (await raw.mget(sampleKeys)).filter((v): v is string => v !== null);
      if (sampleVals.length !== sample.length) throw new Error(`raw MGET found ${sampleVals.length} of ${sample.length} sample vectors`);
      const keyBytes = Math.round(sampleKeys.reduce((s, k) => s + k.length, 0) / sampleKeys.length);
      const valueBytes = Math.round(sampleVals.reduce((s, v) => s + Buffer.byteLength(v), 0) / sampleVals.length);
      await b.store.deleteAll();

      // Baseline 1: raw SQL read of the latest rows (DISTINCT ON through a cursor, rows discarded).
      const rawSql = async (): Promise<number> => {
        const client = await b.pool.connect();
        let sqlRows = 0;
        const s0 = performance.now();
        try {
          await client.query('BEGIN READ ONLY');
          await client.query(
            `DECLARE raw_latest NO SCROLL CURSOR FOR SELECT DISTINCT ON (driver_id) driver_id, event_timestamp, conv_rate, acc_rate, avg_daily_trips FROM ${t} ORDER BY driver_id, event_timestamp DESC`,
          );
          for (;;) {
            const got = await client.query({ text: `FETCH ${FETCH} FROM raw_latest`, rowMode: 'array' });
            if (got.rows.length === 0) break;
            sqlRows += got.rows.length;
          }
          await client.query('COMMIT');
        } finally {
          client.release();
        }
        if (sqlRows !== drivers) throw new Error(`raw SQL read ${sqlRows} rows, expected ${drivers}`);
        return performance.now() - s0;
      };

      // Baseline 2: raw pipelined SET ... PX of as many vectors of the same size.
      const value = 'x'.repeat(valueBytes);
      const rawSet = async (): Promise<number> => {
        const w0 = performance.now();
        for (let start = 0; start < drivers; start += PIPELINE) {
          const p = raw.pipeline();
          for (let e = start; e < Math.min(drivers, start + PIPELINE); e++) p.set(`${rawPrefix}o:{driver_id=${e}}:bench_mat`, value, 'PX', 3_600_000);
          const out = (await p.exec()) ?? [];
          for (const [err] of out) if (err) throw err;
        }
        const ms = performance.now() - w0;
        await deleteRedisPrefix(raw, rawPrefix);
        return ms;
      };
      // Each baseline twice (fresh keys each time, like the job's); the better run counts.
      const sqlRuns: number[] = [];
      const setRuns: number[] = [];
      for (let k = 0; k < RAW_REPEAT; k++) {
        sqlRuns.push(await rawSql());
        setRuns.push(await rawSet());
      }
      console.error(`${n} rows: raw SQL ${sqlRuns.map((x) => fmtMs(x)).join(' / ')}, raw SET ${setRuns.map((x) => fmtMs(x)).join(' / ')}`);
      const sqlMs = Math.min(...sqlRuns);
      const redisMs = Math.min(...setRuns);

      const tesseraRate = drivers / jobSeconds;
      const rawSeconds = (sqlMs + redisMs) / 1000;
      const rawRate = drivers / rawSeconds;
      rows.push([
        n.toLocaleString('en'),
        drivers.toLocaleString('en'),
        `${jobSeconds.toFixed(1)} s (HTTP ${(wallMs / 1000).toFixed(1)} s)`,
        Math.round(n / jobSeconds).toLocaleString('en'),
        Math.round(tesseraRate).toLocaleString('en'),
        mb(rssBefore),
        mb(peak),
        mb(peak - rssBefore),
        `${mb(mem.before.heapUsed)} → ${mb(mem.peakHeap)} → ${mb(after.heapUsed)}`,
        mb(redisAfter - redisBefore),
      ]);
      baseline.push([
        n.toLocaleString('en'),
        `${(sqlMs / 1000).toFixed(1)} s`,
        `${(redisMs / 1000).toFixed(1)} s (${Math.round(drivers / (redisMs / 1000)).toLocaleString('en')}/s)`,
        `${rawSeconds.toFixed(1)} s`,
        Math.round(rawRate).toLocaleString('en'),
        Math.round(tesseraRate).toLocaleString('en'),
        ratio(tesseraRate / rawRate),
      ]);
      notes.push(`${n.toLocaleString('en')} rows: offline table ${rel.t} + indexes ${rel.i}; stored vector ${valueBytes} bytes (key ${keyBytes} bytes); job ${job.id}.`);
    }

    const pg = (await b.pool.query<{ v: string; wm: string; sb: string }>(`SELECT current_setting('server_version') AS v, current_setting('work_mem') AS wm, current_setting('shared_buffers') AS sb`)).rows[0];
    console.log(`## Materialization into Redis: ${SIZES.map((n) => n.toLocaleString('en')).join(' and ')} offline rows\n`);
    console.log(
      `bench_mat (3 features: conv_rate, acc_rate, avg_daily_trips), ${PER_DRIVER} rows per driver at distinct hours, so rows/${PER_DRIVER} latest vectors. ` +
        `One job per size through POST /materialize (answered when done; chunks of 10,000 rows read by cursor and written by the store's newer-only Lua script, pipelines of 500). ` +
        `Job seconds = the job record's startedAt→finishedAt. Peak RSS = kernel VmHWM of the whole app process, reset before each job (after a forced GC); "heap" is the V8 heap sampled every 20 ms, and after a forced GC once the job is done (what the job left behind). ` +
        `Heap limit: ${mb(getHeapStatistics().heap_size_limit)} (set NODE_OPTIONS=--max-old-space-size=N to show the job fits a small heap). ` +
        `PostgreSQL ${pg.v} (work_mem ${pg.wm}, shared_buffers ${pg.sb}), ${cpus().length} cores shared by Node, PostgreSQL and Redis.\n`,
    );
    console.log(table(['offline rows', 'vectors', 'job time', 'offline rows/s', 'vectors/s', 'RSS before', 'peak RSS', 'peak − before', 'heap used before → peak → after GC', 'Redis used_memory growth'], rows));
    console.log('');
    console.log(
      table(
        ['offline rows', `raw SQL read (DISTINCT ON, cursor; best of ${RAW_REPEAT})`, `raw pipelined SET PX (best of ${RAW_REPEAT})`, 'raw total', 'raw vectors/s', 'Tessera vectors/s', 'Tessera / raw'],
        baseline,
      ),
    );
    console.log('');
    for (const n of notes) console.log(`- ${n}`);
  } finally {
    await deleteRedisPrefix(raw, rawPrefix).catch(() => undefined);
    raw.disconnect();
    await b.close(); // deletes every key under the app's bench: prefix
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
