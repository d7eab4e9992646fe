/**
 * Training sets of any size over HTTP (issue 18): the same point-in-time retrieval of a spine of
 * BENCH_UPLOAD_ROWS entity rows (default 5M; quick: 100k) against the pit table of pit-join.bench.ts
 * (BENCH_PIT_ROWS feature rows, 5M; quick 200k), Arrow out and read to its end, three ways:
 *   - the engine in process, spine handed over as columns (no HTTP, no decoding);
 *   - POST /v1/historical-features over real HTTP with the spine as an Arrow IPC body (ADR 0025);
 *   - the same with the spine as a JSON body, where it fits under the body limit (16 MiB).
 * Goal: HTTP with Arrow in and out ≥ 0.8× the engine in process. The HTTP server is a child process
 * (`node src/main.ts` on the same database), so its peak RSS (the kernel's high-water mark, VmHWM,
 * reset before each run through /proc/<pid>/clear_refs) is measured apart from the client's (this
 * process: the bench client, its copies of the spine, and the idle in-process app used for loading).
 * Then entity query versus uploaded spine (ADR 0025, 0028): the first BENCH_QUERY_ROWS rows (default 1M;
 * quick 50k) of the pit port in event-time order as the spine of a training-dataset save, three ways:
 * `entities_from` (the spine never leaves PostgreSQL), the same rows read out and uploaded as an Arrow
 * body, and the entity query as a retrieval job (202, then polled: the join in steps with progress).
 * Env: BENCH_UPLOAD_ROWS, BENCH_UPLOAD_REPEAT (2; quick 1), BENCH_PIT_ROWS, BENCH_QUERY_ROWS (0: skip that part), BENCH_QUICK=1.
 */
import 'reflect-metadata';
import { makeData, makeVector, Table, tableToIPC, TimestampMicrosecond } from 'apache-arrow';
import { quoteIdent } from '../src/features/offline/offline-naming';
import { PointInTimeEngine } from '../src/features/retrieval/point-in-time.engine';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { startServiceProcess, stopProcess } from '../test/support/local-processes';
import { ADMIN_KEY, AUTH, startBenchApp } from './bench-app';
import { ensurePitRows } from './bench-load';
import { benchDbUrl, fmtMs, mb, median, MemorySampler, ratio, REDIS_URL, size, table, timed } from './bench-support';
import { entityRows } from './pit-bench-data';

const FEATURE_ROWS = size('BENCH_PIT_ROWS', 5_000_000, 200_000);
const ROWS = size('BENCH_UPLOAD_ROWS', 5_000_000, 100_000);
const REPEAT = size('BENCH_UPLOAD_REPEAT', 2, 1);
const QUERY_ROWS = size('BENCH_QUERY_ROWS', 1_000_000, 50_000);
/** BENCH_SERVER_HEAP_MB: cap the server process's V8 heap (shows its memory bounded, not just lazily collected). */
const SERVER_HEAP_MB = Number(process.env.BENCH_SERVER_HEAP_MB ?? 0);
/** BENCH_UPLOAD_ENGINE=0: skip the in-process engine run (no ratio then). */
const WITH_ENGINE = process.env.BENCH_UPLOAD_ENGINE !== '0';
const ARROW = 'application/vnd.apache.arrow.stream';
const BODY_LIMIT = 16 * 1024 * 1024;

async function drain(res: Response): Promise<number> {
  if (res.status !== 200) throw new Error(`retrieval failed: ${res.status} ${await res.text()}`);
  let n = 0;
  for await (const chunk of res.body!) n += (chunk as Uint8Array).byteLength;
  return n;
}

/** The kernel's high-water mark of a process's resident memory (VmHWM), in bytes. */
function peakRssOf(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) * 1024;
}

/** `fn` timed, with this process's peak RSS over it and, given a server pid, the server's (both reset first). */
async function measured<T>(fn: () => Promise<T>, serverPid?: number): Promise<{ ms: number; value: T; peakRss: number; serverPeakRss?: number }> {
  if (serverPid !== undefined) writeFileSync(`/proc/${serverPid}/clear_refs`, '5');
  const m = new MemorySampler().start();
  try {
    const t = await timed(fn);
    return { ...t, peakRss: m.kernelPeakRss(), serverPeakRss: serverPid === undefined ? undefined : peakRssOf(serverPid) };
  } finally {
    m.stop();
  }
}

async function main(): Promise<void> {
  // Retrievals of any size answer in the request here (the job path is measured on its own below).
  // Unpartitioned offline tables unless asked (the figures before ADR 0030 were; the bench loader COPYs one range).
  const partitions = process.env.TESSERA_OFFLINE_PARTITION_GRANULARITY ?? 'none';
  const b = await startBenchApp({ TESSERA_RETRIEVAL_JOB_ROWS: '50000000', TESSERA_OFFLINE_PARTITION_GRANULARITY: partitions });
  // The HTTP server of the measured path, in a process of its own (jobs off: nothing else runs in it).
  const server = await startServiceProcess(
    {
      DATABASE_URL: benchDbUrl(),
      REDIS_URL,
      TESSERA_ONLINE_STORE: 'redis',
      TESSERA_ADMIN_KEY: ADMIN_KEY,
      TESSERA_RETRIEVAL_JOB_ROWS: '50000000',
      TESSERA_RETRIEVAL_JOBS_RUN: 'false',
      TESSERA_OFFLINE_PARTITION_GRANULARITY: partitions,
      TESSERA_RATE_LIMIT_PER_MINUTE: String(1e9),
      NATS_URL: undefined,
      LOG_LEVEL: 'warn',
    },
    90_000,
    SERVER_HEAP_MB ? [`--max-old-space-size=${SERVER_HEAP_MB}`] : [],
  );
  const serverPid = server.proc.pid!;
  try {
    const view = await b.view('bench_pit');
    const load = await ensurePitRows(b.pool, view, FEATURE_ROWS);
    if (load.loaded) console.error(`loaded ${FEATURE_ROWS} feature rows in ${fmtMs(load.loadMs)}`);
    const e = entityRows(ROWS, Math.round(FEATURE_ROWS / 100));
    const features = view.features.map((f) => `bench_pit:${f.name}`);
    const micros = BigInt64Array.from(e.ts, (us) => BigInt(Math.round(us)));
    const arrowBody = tableToIPC(
      new Table({ driver_id: makeVector(e.driver), event_timestamp: makeVector(makeData({ type: new TimestampMicrosecond('UTC'), length: ROWS, nullCount: 0, data: micros })) }),
      'stream',
    );
    const jsonBody = JSON.stringify({ features, entities: { driver_id: Array.from(e.driver), event_timestamp: Array.from(e.ts, (us) => us / 1000) } });
    const query = features.map((f) => `features=${encodeURIComponent(f)}`).join('&');
    const engine = new PointInTimeEngine(b.pool);
    const runs: Record<string, { ms: number[]; rss: number[]; serverRss: number[]; bytes: number }> = {};
    const record = (name: string, r: { ms: number; value: number; peakRss: number; serverPeakRss?: number }) => {
      runs[name] ??= { ms: [], rss: [], serverRss: [], bytes: 0 };
      runs[name].ms.push(r.ms);
      runs[name].rss.push(r.peakRss);
      if (r.serverPeakRss !== undefined) runs[name].serverRss.push(r.serverPeakRss);
      runs[name].bytes = r.value;
    };
    const loadBefore = loadavg();
    for (let i = 0; i < REPEAT; i++) {
      if (WITH_ENGINE)
        record(
          'engine in process (columns in, Arrow out)',
          await measured(async () => {
            const p = await engine.prepare({
              entities: { driver_id: Array.from(e.driver), event_timestamp: Array.from(e.ts, (us) => us / 1000) },
              features: features.map((f) => ({ view, feature: f.split(':')[1] })),
            });
            let n = 0;
            for await (const chunk of engine.arrow(p)) n += chunk.byteLength;
            return n;
          }),
        );
      record(
        'HTTP (server process): Arrow IPC body in, Arrow out',
        await measured(
          async () => drain(await fetch(`${server.baseUrl}/v1/historical-features?${query}`, { method: 'POST', headers: { ...AUTH, 'content-type': ARROW, accept: ARROW }, body: arrowBody })),
          serverPid,
        ),
      );
      if (jsonBody.length <= BODY_LIMIT) {
        record(
          'HTTP (server process): JSON body in, Arrow out',
          await measured(
            async () => drain(await fetch(`${server.baseUrl}/v1/historical-features`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json', accept: ARROW }, body: jsonBody })),
            serverPid,
          ),
        );
      }
    }
    const base = WITH_ENGINE ? median(runs['engine in process (columns in, Arrow out)'].ms) : NaN;
    if (SERVER_HEAP_MB) console.log(`Server process heap capped: --max-old-space-size=${SERVER_HEAP_MB}.`);
    console.log(
      `Spine ${ROWS.toLocaleString('en')} rows (Arrow body ${mb(arrowBody.byteLength)}, JSON body ${mb(jsonBody.length)}${jsonBody.length > BODY_LIMIT ? ': over the 16 MiB limit, not sent' : ''}), ${FEATURE_ROWS.toLocaleString('en')} feature rows, ${features.length} features; median of ${REPEAT}.\n`,
    );
    console.log(
      table(
        ['path', 'time', 'rows/s', 'engine / path', 'peak RSS, server process', 'peak RSS, bench process (client)'],
        Object.entries(runs).map(([name, r]) => [
          name,
          fmtMs(median(r.ms)),
          `${Math.round(ROWS / (median(r.ms) / 1000)).toLocaleString('en')}`,
          WITH_ENGINE ? ratio(base / median(r.ms)) : 'n/a',
          r.serverRss.length ? mb(Math.max(...r.serverRss)) : '(in the bench process)',
          mb(Math.max(...r.rss)),
        ]),
      ),
    );
    console.log(
      `\nRuns: ${Object.entries(runs)
        .map(([name, r]) => `${name}: ${r.ms.map(fmtMs).join(', ')}`)
        .join('; ')}`,
    );
    const loadAfter = loadavg();
    console.log(`\nLoad average (1, 5, 15 min) before: ${loadBefore.map((l) => l.toFixed(2)).join(', ')}; after: ${loadAfter.map((l) => l.toFixed(2)).join(', ')} (${cpus().length} cores).`);
    if (QUERY_ROWS > 0) await entityQueryVersusUpload(b, view, features);
  } catch (err) {
    console.error(`server process output (tail):\n${server.output().slice(-3000)}`);
    throw err;
  } finally {
    await stopProcess(server.proc);
    await b.close();
  }
}

/** Saves of the same spine: as an entity query, as an uploaded Arrow body, and as a retrieval job. */
async function entityQueryVersusUpload(b: Awaited<ReturnType<typeof startBenchApp>>, view: Awaited<ReturnType<Awaited<ReturnType<typeof startBenchApp>>['view']>>, features: string[]): Promise<void> {
  const source = `${quoteIdent(view.table.schema)}.${quoteIdent(view.table.name)}`;
  // The bound that selects the first QUERY_ROWS rows in event-time order (ties: a few more).
  const [{ to }] = (await b.pool.query<{ to: Date }>(`SELECT event_timestamp AS to FROM ${source} ORDER BY event_timestamp OFFSET $1 LIMIT 1`, [QUERY_ROWS])).rows;
  const spine = await b.pool.query<{ driver_id: string; us: string }>({
    text: `SELECT driver_id, (extract(epoch FROM event_timestamp) * 1000000)::bigint AS us FROM ${source} WHERE event_timestamp < $1 ORDER BY event_timestamp, driver_id`,
    values: [to],
  });
  const n = spine.rows.length;
  const body = tableToIPC(
    new Table({
      driver_id: makeVector(BigInt64Array.from(spine.rows, (r) => BigInt(r.driver_id))),
      event_timestamp: makeVector(makeData({ type: new TimestampMicrosecond('UTC'), length: n, nullCount: 0, data: BigInt64Array.from(spine.rows, (r) => BigInt(r.us)) })),
    }),
    'stream',
  );
  const entitiesFrom = { dataProduct: 'bench-features', outputPort: 'pit', columns: ['driver_id'], to: to.toISOString() };
  const post = async (url: string, init: RequestInit, want: number) => {
    const res = await fetch(`${b.baseUrl}${url}`, init);
    if (res.status !== want) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { rowCount?: number; job?: { id: string } };
  };
  const json = { ...AUTH, 'content-type': 'application/json' };
  const rows: [string, number, number][] = [];
  const name = `bench_eq_${Date.now()}`;
  const q = await measured(() => post('/v1/training-datasets', { method: 'POST', headers: json, body: JSON.stringify({ name, features, entities_from: entitiesFrom }) }, 201));
  rows.push(['entity query (entities_from), saved in the request', q.ms, q.peakRss]);
  const query = `${features.map((f) => `features=${encodeURIComponent(f)}`).join('&')}&name=${name}`;
  const u = await measured(() => post(`/v1/training-datasets?${query}`, { method: 'POST', headers: { ...AUTH, 'content-type': ARROW }, body }, 201));
  rows.push([`the same spine uploaded as Arrow (${mb(body.byteLength)}), saved in the request`, u.ms, u.peakRss]);
  const j = await measured(async () => {
    const { job } = await post('/v1/training-datasets', { method: 'POST', headers: json, body: JSON.stringify({ name, features, entities_from: entitiesFrom, async: true }) }, 202);
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      const { job: state } = (await (await fetch(`${b.baseUrl}/v1/retrieval-jobs/${job!.id}`, { headers: AUTH })).json()) as { job: { status: string; error: string | null } };
      if (state.status === 'succeeded') return state;
      if (state.status !== 'queued' && state.status !== 'running') throw new Error(`job ${state.status}: ${state.error}`);
    }
  });
  rows.push(['entity query as a retrieval job (202, polled every 200 ms; join in 50k-row steps)', j.ms, j.peakRss]);
  console.log(`\nEntity query vs uploaded spine: ${n.toLocaleString('en')} spine rows (the pit port's first rows in event-time order), ${features.length} features, one run each.\n`);
  console.log(
    table(
      ['path', 'time', 'rows/s', 'entity query / path', 'peak RSS'],
      rows.map(([label, ms, rss]) => [label, fmtMs(ms), Math.round(n / (ms / 1000)).toLocaleString('en'), ratio(rows[0][1] / ms), mb(rss)]),
    ),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
