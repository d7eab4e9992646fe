/**
 * Online lookup over HTTP (issue 3 point 9, first bullet): 1 entity x 50 features and 100 entities x
 * 50 features against the real Tessera (bench-app: createApp on a real port, Redis online store under
 * a fresh `bench:` prefix, bench_wide materialized through POST /materialize), versus
 *   - A: a raw ioredis MGET of the very keys the online store reads (same process, one call at a time)
 *   - B: a bare `fastify()` route on another port that parses the same JSON body, does the same raw
 *        MGET and answers the raw strings as JSON (no validation, no decoding, no auth)
 * Latency: one request at a time (closed loop, http-load worker thread): server-side time from
 * bench-app's onRequest→onResponse hook (the bare route gets the same hooks) and client-observed time.
 * Throughput: BENCH_ONLINE_CONCURRENCY requests in flight (default 16), each target alone, alternated
 * twice, the better run of each counts. Goals: Tessera server-side p50 ≤ 1.5× raw MGET p50;
 * Tessera throughput ≥ 0.6× the bare route's.
 * Run: `npx ts-node --transpile-only bench/online-http.bench.ts`
 * Env: BENCH_QUICK=1, BENCH_ONLINE_DRIVERS (100k; quick 10k), BENCH_ONLINE_REQUESTS (latency samples per
 * cell, 3000; quick 500), BENCH_ONLINE_SECONDS (per throughput run, 8; quick 3), BENCH_ONLINE_CONCURRENCY (16),
 * BENCH_ONLINE_BATCHES (1,100).
 */
import fastify from 'fastify';
import { Redis } from 'ioredis';
import { cpus } from 'node:os';
import { OnlineRedisKeys } from '../src/features/online/online-redis-keys';
import { viewLayout } from '../src/features/online/view-layout';
import { AUTH, startBenchApp, WIDE_FEATURES } from './bench-app';
import { ensureWideRows, wideValue } from './bench-load';
import { deleteRedisPrefix, fmtMs, percentile, ratio, REDIS_URL, size, sizes, table } from './bench-support';
import { LoadResult, runLoad } from './http-load';

const DRIVERS = size('BENCH_ONLINE_DRIVERS', 100_000, 10_000);
const REQUESTS = size('BENCH_ONLINE_REQUESTS', 3000, 500);
const SECONDS = size('BENCH_ONLINE_SECONDS', 8, 3);
const CONCURRENCY = size('BENCH_ONLINE_CONCURRENCY', 16, 16);
const BATCHES = sizes('BENCH_ONLINE_BATCHES', [1, 100], [1, 100]);
const BODIES = 2000;
const REFS = WIDE_FEATURES.map((f) => `bench_wide:${f}`);

let seed = 12345;
const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const randomIds = (n: number): number[] => Array.from({ length: n }, () => Math.floor(rand() * DRIVERS));
const body = (ids: number[]): string => JSON.stringify({ features: REFS, entities: { driver_id: ids } });

interface Stats {
  p50: number;
  p99: number;
}
const stats = (xs: number[]): Stats => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99) };
};

interface OnlineResponse {
  metadata: { feature_names: string[] };
  results: { values: unknown[]; statuses: string[] }[];
}

/** Tessera's answer must hold every requested feature, PRESENT, with the loaded values. */
async function checkAnswers(baseUrl: string, batch: number): Promise<void> {
  for (let k = 0; k < 5; k++) {
    const ids = randomIds(batch);
    const res = await fetch(`${baseUrl}/get-online-features`, { method: 'POST', headers: { 'content-type': 'application/json', ...AUTH }, body: body(ids) });
    if (res.status !== 200) throw new Error(`get-online-features: ${res.status} ${await res.text()}`);
    const json = (await res.json()) as OnlineResponse;
    const names = json.metadata.feature_names;
    if (names.length !== 51 || names[0] !== 'driver_id' || names.slice(1).join() !== WIDE_FEATURES.join()) throw new Error(`unexpected feature names ${names.join()}`);
    for (let f = 0; f < 50; f++) {
      const col = json.results[f + 1];
      for (let i = 0; i < batch; i++) {
        if (col.statuses[i] !== 'PRESENT') throw new Error(`driver ${ids[i]} ${WIDE_FEATURES[f]}: status ${col.statuses[i]}`);
        if (col.values[i] !== wideValue(ids[i], f)) throw new Error(`driver ${ids[i]} ${WIDE_FEATURES[f]}: ${String(col.values[i])}, expected ${wideValue(ids[i], f)}`);
      }
    }
  }
}

async function main(): Promise<void> {
  const b = await startBenchApp();
  const raw = new Redis(REDIS_URL);
  const bareRedis = new Redis(REDIS_URL);
  const bare = fastify({ logger: false, bodyLimit: 64 * 2 ** 20 });
  try {
    const view = await b.view('bench_wide');
    const load = await ensureWideRows(b.pool, view, DRIVERS);
    console.error(load.loadMs ? `loaded ${DRIVERS} wide rows in ${fmtMs(load.loadMs)}` : 'wide rows already loaded');

    const t0 = performance.now();
    const mat = await fetch(`${b.baseUrl}/materialize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...AUTH },
      body: JSON.stringify({ start_ts: '2000-01-01T00:00:00Z', end_ts: '2100-01-01T00:00:00Z', feature_views: ['bench_wide'] }),
    });
    if (mat.status !== 200) throw new Error(`materialize: ${mat.status} ${await mat.text()}`);
    const job = ((await mat.json()) as { job: { rowsWritten: number; status: string } }).job;
    if (job.status !== 'succeeded' || job.rowsWritten !== DRIVERS) throw new Error(`materialize wrote ${job.rowsWritten} of ${DRIVERS} (${job.status})`);
    console.error(`materialized ${job.rowsWritten} vectors of 50 features in ${fmtMs(performance.now() - t0)}`);

    // The store's own key function: <prefix>o:{driver_id=<e>}:bench_wide
    const keys = new OnlineRedisKeys(b.redisPrefix);
    const { encoder } = viewLayout(view);
    const keyOf = (e: number): string => keys.feature(encoder.encode([e]), view.name);
    const probe = await raw.mget(keyOf(0), keyOf(DRIVERS - 1));
    if (probe.some((v) => v === null)) throw new Error(`raw MGET does not find the materialized keys (${keyOf(0)})`);
    const vectorBytes = Buffer.byteLength(probe[0]!);

    // Baseline B: the bare route, with the same server-side timing hooks as bench-app.
    const bareTimes: number[] = [];
    const bareElapsed: number[] = [];
    const bareRec = { on: false };
    const bareStart = new WeakMap<object, bigint>();
    bare.addHook('onRequest', async (req) => {
      if (bareRec.on) bareStart.set(req, process.hrtime.bigint());
    });
    bare.addHook('onResponse', async (req, reply) => {
      const s = bareStart.get(req);
      if (s === undefined) return;
      bareTimes.push(Number(process.hrtime.bigint() - s) / 1e6);
      bareElapsed.push(reply.elapsedTime);
    });
    bare.post('/mget', async (req) => {
      const ids = (req.body as { entities: { driver_id: number[] } }).entities.driver_id;
      return bareRedis.mget(ids.map(keyOf));
    });
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const addr = bare.server.address();
    const barePort = typeof addr === 'object' && addr ? addr.port : 0;
    const bareUrl = `http://127.0.0.1:${barePort}/mget`;
    const tesseraUrl = `${b.baseUrl}/get-online-features`;

    const rows: (string | number)[][] = [];
    const goals: (string | number)[][] = [];
    for (const batch of BATCHES) {
      await checkAnswers(b.baseUrl, batch);
      const idLists = Array.from({ length: BODIES }, () => randomIds(batch));
      const bodies = idLists.map(body);
      console.error(`batch ${batch}: answers checked; ${bodies[0].length} request bytes`);

      // A: raw MGET, one call at a time, same process (the app idle).
      for (let i = 0; i < 200; i++) await raw.mget(idLists[i % BODIES].map(keyOf));
      const rawTimes: number[] = [];
      const rs = performance.now();
      for (let i = 0; i < REQUESTS; i++) {
        const k = idLists[i % BODIES].map(keyOf);
        const s = process.hrtime.bigint();
        const got = await raw.mget(k);
        rawTimes.push(Number(process.hrtime.bigint() - s) / 1e6);
        if (got.length !== batch || got[0] === null) throw new Error('raw MGET missed');
      }
      const rawPerSec = REQUESTS / ((performance.now() - rs) / 1000);
      const rawS = stats(rawTimes);

      // Latency, one request at a time; Tessera and the bare route alternate twice, the better p50 counts.
      interface Lat {
        client: LoadResult;
        server: Stats;
        elapsed: Stats;
      }
      // Tessera records in bench-app (hook times and reply.elapsedTime); the bare route records both here.
      const latency = async (url: string, headers: Record<string, string>, hook: number[], elapsed: number[], rec: { on: boolean }): Promise<Lat> => {
        hook.length = 0;
        elapsed.length = 0;
        rec.on = true;
        const client = await runLoad({ url, headers, bodies, connections: 1, durationMs: 600_000, maxRequests: REQUESTS, warmupRequests: 200 });
        rec.on = false;
        if (client.errors) throw new Error(`${url}: ${client.errors} errors`);
        // Warm-up requests are recorded too: keep only the measured ones (the last REQUESTS).
        return { client, server: stats(hook.slice(-client.requests)), elapsed: stats(elapsed.slice(-client.requests)) };
      };
      const list = (m: Map<string, number[]>): number[] => {
        let l = m.get('/get-online-features');
        if (!l) m.set('/get-online-features', (l = []));
        return l;
      };
      const tLat: Lat[] = [];
      const bLat: Lat[] = [];
      for (let k = 0; k < 2; k++) {
        tLat.push(await latency(tesseraUrl, AUTH, list(b.serverTimes), list(b.serverElapsed), b.recording));
        bLat.push(await latency(bareUrl, {}, bareTimes, bareElapsed, bareRec));
      }
      const bestLat = (xs: Lat[]): Lat => xs.reduce((m, x) => (x.server.p50 < m.server.p50 ? x : m));
      const tL = bestLat(tLat);
      const bL = bestLat(bLat);

      // Throughput at CONCURRENCY in flight; server-side times recorded too (they include event-loop queueing).
      const tTh: LoadResult[] = [];
      const bTh: LoadResult[] = [];
      let tServerLoaded: Stats = { p50: NaN, p99: NaN };
      for (let k = 0; k < 2; k++) {
        list(b.serverTimes).length = 0;
        b.recording.on = true;
        const t = await runLoad({ url: tesseraUrl, headers: AUTH, bodies, connections: CONCURRENCY, durationMs: SECONDS * 1000, maxRequests: 1e9, warmupRequests: 200 });
        b.recording.on = false;
        if (t.errors) throw new Error(`tessera under load: ${t.errors} errors`);
        if (tTh.every((x) => t.perSec > x.perSec)) tServerLoaded = stats(list(b.serverTimes).slice(-t.requests));
        tTh.push(t);
        const bt = await runLoad({ url: bareUrl, headers: {}, bodies, connections: CONCURRENCY, durationMs: SECONDS * 1000, maxRequests: 1e9, warmupRequests: 200 });
        if (bt.errors) throw new Error(`bare route under load: ${bt.errors} errors`);
        bTh.push(bt);
      }
      const best = (xs: LoadResult[]): LoadResult => xs.reduce((m, x) => (x.perSec > m.perSec ? x : m));
      const tT = best(tTh);
      const bT = best(bTh);
      console.error(`batch ${batch}: tessera ${tTh.map((x) => x.perSec.toFixed(0)).join('/')} req/s, bare ${bTh.map((x) => x.perSec.toFixed(0)).join('/')} req/s`);

      rows.push([
        `Tessera, ${batch} × 50`,
        fmtMs(tL.server.p50),
        fmtMs(tL.server.p99),
        fmtMs(tL.elapsed.p50),
        fmtMs(tL.client.p50),
        fmtMs(tL.client.p99),
        tT.perSec.toFixed(0),
        `${fmtMs(tT.p50)} / ${fmtMs(tT.p99)}`,
        `${fmtMs(tServerLoaded.p50)} / ${fmtMs(tServerLoaded.p99)}`,
        tL.client.responseBytes,
      ]);
      rows.push([
        `bare Fastify route, ${batch} key${batch > 1 ? 's' : ''}`,
        fmtMs(bL.server.p50),
        fmtMs(bL.server.p99),
        fmtMs(bL.elapsed.p50),
        fmtMs(bL.client.p50),
        fmtMs(bL.client.p99),
        bT.perSec.toFixed(0),
        `${fmtMs(bT.p50)} / ${fmtMs(bT.p99)}`,
        '',
        bL.client.responseBytes,
      ]);
      rows.push([`raw ioredis MGET, ${batch} key${batch > 1 ? 's' : ''} (in process)`, fmtMs(rawS.p50), fmtMs(rawS.p99), '', '', '', `${rawPerSec.toFixed(0)} (1 in flight)`, '', '', vectorBytes * batch]);
      const lat = tL.server.p50 / rawS.p50;
      const thr = tT.perSec / bT.perSec;
      goals.push([
        `${batch} × 50`,
        `${fmtMs(tL.server.p50)} / ${fmtMs(rawS.p50)} = ${ratio(lat)}`,
        lat <= 1.5 ? 'yes' : 'no',
        `${tT.perSec.toFixed(0)} / ${bT.perSec.toFixed(0)} = ${ratio(thr)}`,
        thr >= 0.6 ? 'yes' : 'no',
        ratio(tL.client.p50 / bL.client.p50),
      ]);
    }

    console.log(`## Online lookup over HTTP: 1 and 100 entities × 50 features\n`);
    console.log(
      `${DRIVERS.toLocaleString('en')} drivers materialized into Redis through POST /materialize (bench_wide, one ${vectorBytes}-byte packed vector each); random existing drivers per request (${BODIES} distinct bodies, round-robin). ` +
        `Latency: ${REQUESTS} requests one at a time after 200 warm-up (the better of two alternated runs); server-side = bench-app's onRequest→onResponse hook (it starts after the app's own onRequest hooks, i.e. after authentication); "incl. auth hook" = Fastify's reply.elapsedTime of the same requests (routing → response 'finish'); the bare route has the same two measures. ` +
        `Throughput: ${CONCURRENCY} keep-alive connections in flight for ${SECONDS} s (the better of two alternated runs). ` +
        `The load generator is a worker thread of the same process; ${cpus().length} cores shared by client, server and Redis.\n`,
    );
    console.log(
      table(
        [
          'target',
          'server p50',
          'server p99',
          'server p50 incl. auth hook',
          'client p50',
          'client p99',
          `requests/s (${CONCURRENCY} in flight)`,
          'client p50 / p99 under load',
          'server p50 / p99 under load',
          'response bytes',
        ],
        rows,
      ),
    );
    console.log('');
    console.log(table(['request', 'Tessera server p50 / raw MGET p50 (goal ≤ 1.5×)', 'met', 'Tessera / bare route requests/s (goal ≥ 0.6×)', 'met', 'client p50 Tessera / bare'], goals));
  } finally {
    await bare.close().catch(() => undefined);
    bareRedis.disconnect();
    await deleteRedisPrefix(raw, b.redisPrefix).catch(() => undefined);
    raw.disconnect();
    await b.close();
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
