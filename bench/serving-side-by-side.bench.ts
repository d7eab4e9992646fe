/**
 * Online serving next to the machine's limit (issue 16), every target in one run, alternated round by
 * round so each sees the same load from the other engineers' jobs:
 *   - bare `node:http`: reads the request body, answers the very bytes Tessera answered (no parsing)
 *   - bare Fastify: a route that parses the JSON body and answers the same bytes
 *   - Tessera `GET /health`, and bare `node:http` answering /health's bytes
 *   - Tessera `POST /get-online-features`, 1 entity × 50 features (random drivers)
 * Tessera runs with authentication, authorization, access agreements, the rate limiter (counting in
 * Redis; the admin principal gets a model service's default budget of 3,000,000/min), metrics and
 * request logging (to /dev/null through a synchronous pino destination, the app's default kind: every line is formatted and written) all on.
 * Then: p99 of 1 × 50 paced at half of its best throughput; 100 × 50 p50 (one at a time) against one raw
 * MGET of the same keys plus JSON.stringify of the same answer in this process.
 * Run: `npx ts-node --transpile-only bench/serving-side-by-side.bench.ts`
 * Env: BENCH_QUICK=1, BENCH_SERVING_ROUNDS (5; quick 2), BENCH_SERVING_SECONDS (per run, 5; quick 2),
 * BENCH_SERVING_CONNECTIONS (10, like `wrk -c10`), BENCH_SERVING_DRIVERS (10k), BENCH_SERVING_PROFILE (a path:
 * then one more 1 × 50 run under V8's CPU profiler, of the server's thread only, written there; summarize it
 * with bench/profile-summary.ts).
 * Besides requests/s, each run reports the CPU time of the server's thread per request (/proc, see
 * threadCpuMs): every server here runs on this process's main thread, the client in a worker thread.
 */
import { Redis } from 'ioredis';
import fastify from 'fastify';
import pino from 'pino';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Session } from 'node:inspector/promises';
import { cpus, loadavg } from 'node:os';
import { OnlineRedisKeys } from '../src/features/online/online-redis-keys';
import { viewLayout } from '../src/features/online/view-layout';
import { AUTH, startBenchApp, WIDE_FEATURES } from './bench-app';
import { ensureWideRows } from './bench-load';
import { deleteRedisPrefix, fmtMs, median, percentile, ratio, REDIS_URL, size, table } from './bench-support';
import { LoadResult, runLoad, threadCpuMs } from './http-load';

const ROUNDS = size('BENCH_SERVING_ROUNDS', 5, 2);
const SECONDS = size('BENCH_SERVING_SECONDS', 5, 2);
const CONNECTIONS = size('BENCH_SERVING_CONNECTIONS', 10, 10);
const DRIVERS = size('BENCH_SERVING_DRIVERS', 10_000, 10_000);
const REFS = WIDE_FEATURES.map((f) => `bench_wide:${f}`);
const BODIES = 2000;

let seed = 4242;
const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const randomIds = (n: number): number[] => Array.from({ length: n }, () => Math.floor(rand() * DRIVERS));
const body = (ids: number[]): string => JSON.stringify({ features: REFS, entities: { driver_id: ids } });

/** A node:http server answering `bytes` to every request once its body has been read. */
async function bareNodeHttp(bytes: Buffer): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length });
      res.end(bytes);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return { server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}

const spread = (xs: number[]): string => `${ratio(median(xs))} (${ratio(Math.min(...xs))}–${ratio(Math.max(...xs))})`;

async function main(): Promise<void> {
  // The admin key drives the bench; it gets a model service's default budget so the limiter counts every request.
  const b = await startBenchApp({ TESSERA_RATE_LIMIT_PER_MINUTE: '6000', TESSERA_RATE_LIMIT_PRINCIPALS: 'admin=3000000', LOG_LEVEL: 'info' }, { logTo: pino.destination({ dest: '/dev/null', sync: true }) });
  const raw = new Redis(REDIS_URL);
  const bareFastify = fastify({ logger: false });
  let nodeOnline: { server: Server; url: string } | undefined;
  let nodeHealth: { server: Server; url: string } | undefined;
  try {
    const view = await b.view('bench_wide');
    await ensureWideRows(b.pool, view, DRIVERS);
    const mat = await fetch(`${b.baseUrl}/materialize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...AUTH },
      body: JSON.stringify({ start_ts: '2000-01-01T00:00:00Z', end_ts: '2100-01-01T00:00:00Z', feature_views: ['bench_wide'] }),
    });
    if (mat.status !== 200) throw new Error(`materialize: ${mat.status} ${await mat.text()}`);

    const bodies1 = Array.from({ length: BODIES }, () => body(randomIds(1)));
    const answer = await fetch(`${b.baseUrl}/get-online-features`, { method: 'POST', headers: { 'content-type': 'application/json', ...AUTH }, body: bodies1[0] });
    if (answer.status !== 200) throw new Error(`get-online-features: ${answer.status} ${await answer.text()}`);
    const onlineBytes = Buffer.from(await answer.arrayBuffer());
    if ((JSON.parse(onlineBytes.toString('utf8')) as { results: { statuses: string[] }[] }).results.some((c) => c.statuses[0] !== 'PRESENT')) throw new Error('the 1 × 50 answer is not all PRESENT');
    const health = await fetch(`${b.baseUrl}/health`);
    const healthBytes = Buffer.from(await health.arrayBuffer());

    nodeOnline = await bareNodeHttp(onlineBytes);
    nodeHealth = await bareNodeHttp(healthBytes);
    bareFastify.post('/online', (_req, reply) => reply.header('content-type', 'application/json; charset=utf-8').send(onlineBytes));
    await bareFastify.listen({ port: 0, host: '127.0.0.1' });
    const fAddr = bareFastify.server.address();
    const fastifyUrl = `http://127.0.0.1:${typeof fAddr === 'object' && fAddr ? fAddr.port : 0}/online`;

    const targets: { name: string; url: string; headers: Record<string, string>; method: 'GET' | 'POST' }[] = [
      { name: 'bare node:http, same bytes as 1 × 50', url: nodeOnline.url, headers: {}, method: 'POST' },
      { name: 'bare Fastify route, same bytes', url: fastifyUrl, headers: {}, method: 'POST' },
      { name: 'Tessera POST /get-online-features, 1 × 50', url: `${b.baseUrl}/get-online-features`, headers: AUTH, method: 'POST' },
      { name: 'bare node:http, /health bytes', url: nodeHealth.url, headers: {}, method: 'GET' },
      { name: 'Tessera GET /health', url: `${b.baseUrl}/health`, headers: {}, method: 'GET' },
    ];
    const runs = new Map<string, LoadResult[]>(targets.map((t) => [t.name, []]));
    const loads: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      loads.push(loadavg()[0]);
      for (const t of targets) {
        const r = await runLoad({ url: t.url, headers: t.headers, bodies: bodies1, method: t.method, connections: CONNECTIONS, durationMs: SECONDS * 1000, maxRequests: 1e9, warmupRequests: 300 });
        if (r.errors) throw new Error(`${t.name}: ${r.errors} errors`);
        runs.get(t.name)!.push(r);
      }
      console.error(`round ${round + 1}: ${targets.map((t) => `${t.name}: ${runs.get(t.name)!.at(-1)!.perSec.toFixed(0)}/s`).join('; ')}`);
    }
    const per = (name: string) => runs.get(name)!;
    const ratios = (a: string, base: string) => per(a).map((r, i) => r.perSec / per(base)[i].perSec);
    const onlineVsNode = ratios(targets[2].name, targets[0].name);
    const onlineVsFastify = ratios(targets[2].name, targets[1].name);
    const healthVsNode = ratios(targets[4].name, targets[3].name);
    // The same comparison in CPU of the server's thread per request (base ÷ target): what the throughput ratio would be
    // if the server's thread had a core to itself. It moves far less with the other processes' load than requests/s.
    const cpuRatios = (a: string, base: string) => per(a).map((r, i) => (per(base)[i].cpuUsPerRequest ?? NaN) / (r.cpuUsPerRequest ?? NaN));
    const onlineCpuVsNode = cpuRatios(targets[2].name, targets[0].name);
    const healthCpuVsNode = cpuRatios(targets[4].name, targets[3].name);

    const profilePath = process.env.BENCH_SERVING_PROFILE;
    if (profilePath) {
      const session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
      const r = await runLoad({ url: targets[2].url, headers: AUTH, bodies: bodies1, connections: CONNECTIONS, durationMs: SECONDS * 2000, maxRequests: 1e9, warmupRequests: 0 });
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(profilePath, JSON.stringify(profile));
      session.disconnect();
      console.error(`profiled ${r.requests} requests of 1 × 50 (${r.perSec.toFixed(0)}/s) into ${profilePath}`);
    }

    // p99 of 1 × 50 at half of its best throughput, paced.
    const peak = Math.max(...per(targets[2].name).map((r) => r.perSec));
    const half = await runLoad({ url: targets[2].url, headers: AUTH, bodies: bodies1, connections: CONNECTIONS, durationMs: SECONDS * 2000, maxRequests: 1e9, warmupRequests: 300, ratePerSec: peak / 2 });
    if (half.errors) throw new Error(`half load: ${half.errors} errors`);
    // The same pacing of bare node:http at half of its own best throughput: the harness's own tail on this machine.
    const barePeak = Math.max(...per(targets[0].name).map((r) => r.perSec));
    const bareHalf = await runLoad({ url: targets[0].url, headers: {}, bodies: bodies1, connections: CONNECTIONS, durationMs: SECONDS * 2000, maxRequests: 1e9, warmupRequests: 300, ratePerSec: barePeak / 2 });

    // 100 × 50: one request at a time, against raw MGET + JSON.stringify of the same answer in this process.
    const bodies100 = Array.from({ length: 200 }, () => randomIds(100));
    const keys = new OnlineRedisKeys(b.redisPrefix);
    const { encoder } = viewLayout(view);
    const keyOf = (e: number): string => keys.feature(encoder.encode([e]), view.name);
    const answers100: string[] = [];
    for (const ids of bodies100.slice(0, 20)) {
      const res = await fetch(`${b.baseUrl}/get-online-features`, { method: 'POST', headers: { 'content-type': 'application/json', ...AUTH }, body: body(ids) });
      answers100.push(await res.text());
    }
    const parsed100 = answers100.map((a) => JSON.parse(a) as unknown);
    const rawTimes: number[] = [];
    let rawCpu0 = 0;
    for (let i = 0; i < 2200; i++) {
      if (i === 200) rawCpu0 = threadCpuMs() ?? NaN;
      const s = process.hrtime.bigint();
      const got = await raw.mget(bodies100[i % 200].map(keyOf));
      JSON.stringify(parsed100[i % 20]);
      if (i >= 200) rawTimes.push(Number(process.hrtime.bigint() - s) / 1e6);
      if (got[0] === null) throw new Error('raw MGET missed');
    }
    const rawCpuUs = (((threadCpuMs() ?? NaN) - rawCpu0) * 1000) / 2000;
    rawTimes.sort((x, y) => x - y);
    const one100 = await runLoad({ url: targets[2].url, headers: AUTH, bodies: bodies100.map(body), connections: 1, durationMs: 600_000, maxRequests: 2000, warmupRequests: 200 });
    if (one100.errors) throw new Error(`100 × 50: ${one100.errors} errors`);
    const rawP50 = percentile(rawTimes, 50);

    const loadNote = `load average (1 min) at the start of each round: ${loads.map((l) => l.toFixed(1)).join(', ')} on ${cpus().length} cores`;
    console.log(`## Serving side by side (issue 16)\n`);
    console.log(`${ROUNDS} alternated rounds × ${SECONDS} s per target, ${CONNECTIONS} keep-alive connections from a worker thread; ${loadNote}.\n`);
    console.log(
      table(
        ['target', 'requests/s per round', 'median', 'p50 / p99 (median round)', 'server-thread CPU µs per request, per round', 'bytes'],
        targets.map((t) => {
          const rs = per(t.name);
          const mid = [...rs].sort((x, y) => x.perSec - y.perSec)[Math.floor(rs.length / 2)];
          return [
            t.name,
            rs.map((r) => r.perSec.toFixed(0)).join(', '),
            median(rs.map((r) => r.perSec)).toFixed(0),
            `${fmtMs(mid.p50)} / ${fmtMs(mid.p99)}`,
            rs.map((r) => (r.cpuUsPerRequest ?? NaN).toFixed(0)).join(', '),
            mid.responseBytes,
          ];
        }),
      ),
    );
    console.log('');
    console.log(
      table(
        ['goal', 'measured: median (min–max over rounds)', 'met'],
        [
          ['1 × 50 ≥ 0.35× bare node:http', spread(onlineVsNode), median(onlineVsNode) >= 0.35 ? 'yes' : 'no'],
          ['1 × 50 / bare Fastify (for reference)', spread(onlineVsFastify), ''],
          ['1 × 50, server-thread CPU per request: bare node:http ÷ Tessera', spread(onlineCpuVsNode), median(onlineCpuVsNode) >= 0.35 ? '(≥ 0.35)' : '(< 0.35)'],
          [`1 × 50 p99 ≤ 2 ms at half its peak (${(peak / 2).toFixed(0)} req/s paced; got ${half.perSec.toFixed(0)})`, `p50 ${fmtMs(half.p50)}, p99 ${fmtMs(half.p99)}`, half.p99 <= 2 ? 'yes' : 'no'],
          [
            `bare node:http at half its peak, same pacing (${(barePeak / 2).toFixed(0)} req/s; got ${bareHalf.perSec.toFixed(0)}): the harness's own tail`,
            `p50 ${fmtMs(bareHalf.p50)}, p99 ${fmtMs(bareHalf.p99)}`,
            '',
          ],
          ['100 × 50 p50 ≤ 2× raw MGET + JSON.stringify', `${fmtMs(one100.p50)} / ${fmtMs(rawP50)} = ${ratio(one100.p50 / rawP50)} (p99 ${fmtMs(one100.p99)})`, one100.p50 / rawP50 <= 2 ? 'yes' : 'no'],
          [
            '100 × 50, CPU per request: Tessera server thread / raw MGET + JSON.stringify loop (same thread kind)',
            `${(one100.cpuUsPerRequest ?? NaN).toFixed(0)} µs / ${rawCpuUs.toFixed(0)} µs = ${ratio((one100.cpuUsPerRequest ?? NaN) / rawCpuUs)}`,
            '',
          ],
          ['/health ≥ 0.6× bare node:http', spread(healthVsNode), median(healthVsNode) >= 0.6 ? 'yes' : 'no'],
          ['/health, server-thread CPU per request: bare node:http ÷ Tessera', spread(healthCpuVsNode), median(healthCpuVsNode) >= 0.6 ? '(≥ 0.6)' : '(< 0.6)'],
        ],
      ),
    );
  } finally {
    await bareFastify.close().catch(() => undefined);
    nodeOnline?.server.close();
    nodeHealth?.server.close();
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
