/**
 * Soak run (issue 6 point 7): a real Tessera (createApp on 127.0.0.1, Redis online store, its own
 * database and key prefix) under a sustained mixed closed-loop load for BENCH_SOAK_SECONDS (default
 * 180; BENCH_QUICK=1: 20 s): online reads (most), predictions of a logistic-regression ONNX model,
 * NDJSON ingests and incremental materializations (at most one in flight, as a scheduler would run it).
 * The load generator is a worker thread with keep-alive connections. Every 10 s: requests by kind,
 * error rate, p50/p99, RSS and heap. At the end: the markdown table and whether memory stayed flat
 * (mean RSS/heap of the last third against the first third after warm-up; growth > 10 % is flagged).
 * RSS is the whole process (server and generator); heap is the server's isolate only.
 * BENCH_SOAK_MODE=online: the online route only (1 entity × 10 features), its closed-loop peak measured
 * first, then paced at BENCH_SOAK_FRACTION (0.8) of it for the soak (issue 16).
 * The bench key gets a model service's default budget (3,000,000/min): the rate limiter counts every request.
 * Env: DATABASE_URL, REDIS_URL, BENCH_SOAK_SECONDS, BENCH_QUICK, BENCH_SOAK_CONNECTIONS (default 8), BENCH_SOAK_MODE, BENCH_SOAK_FRACTION.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { Client } from 'pg';
import { openDatabase } from '../src/database';
import { TesseraConfig } from '../src/config/tessera-config';
import { createApp } from '../src/create-app';
import { ONLINE_STORE, OnlineStore } from '../src/features/online/online-store';
import { FeatureViewResolver } from '../src/features/registry/feature-view-resolver';
import { buildLogisticRegressionOnnx } from '../src/scoring/onnx/logistic-regression-onnx';
import { fmtMs, percentile, table } from './bench-support';

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUICK = process.env.BENCH_QUICK === '1';
const SECONDS = QUICK ? 20 : Number(process.env.BENCH_SOAK_SECONDS ?? 180);
const INTERVAL_S = QUICK ? 5 : 10;
const CONNECTIONS = Number(process.env.BENCH_SOAK_CONNECTIONS ?? 8);
const WARMUP_S = QUICK ? 5 : 20;
/** BENCH_SOAK_MODE=online: only POST /get-online-features (1 entity), paced at BENCH_SOAK_FRACTION (0.8) of its peak measured first. */
const ONLINE = process.env.BENCH_SOAK_MODE === 'online';
const FRACTION = Number(process.env.BENCH_SOAK_FRACTION ?? 0.8);
const PEAK_S = QUICK ? 5 : 15;
const E = 5000;
const F = 10;
const DB = `tessera_bench_soak_${randomBytes(3).toString('hex')}`;
const KEY = `bench-${randomBytes(12).toString('hex')}`;
const AUTH = { authorization: `Bearer ${KEY}` };
const FEATURES = Array.from({ length: F }, (_, i) => `f${i}`);
const REFS = FEATURES.map((f) => `soak:${f}`);
const KINDS = ['read', 'predict', 'ingest', 'materialize'] as const;
type Kind = (typeof KINDS)[number];

const mesh = [
  {
    path: 'contracts/soak/soak.odps.yaml',
    content: `apiVersion: v1.0.0\nkind: DataProduct\nid: soak\nname: Soak\ndomain: bench\nstatus: active\noutputPorts:\n  - { name: stats, version: 1.0.0, type: table, contractId: soak-v1 }\n`,
  },
  {
    path: 'contracts/soak/soak/stats.odcs.yaml',
    content: `apiVersion: v3.1.0\nkind: DataContract\nid: soak-v1\nversion: 1.0.0\nstatus: active\nschema:\n  - name: stats\n    properties:\n      - { name: driver_id, logicalType: integer, required: true }\n      - { name: event_timestamp, logicalType: timestamp, required: true }\n${FEATURES.map((f) => `      - { name: ${f}, logicalType: number }`).join('\n')}\n`,
  },
  {
    path: 'contracts/soak/features.yaml',
    content: `apiVersion: tessera/v1\nkind: Entity\nname: driver\njoinKeys: [{ name: driver_id, type: integer }]\n---\napiVersion: tessera/v1\nkind: FeatureView\nname: soak\nentities: [driver]\nsource: { dataProduct: soak, outputPort: stats }\ntimestampField: event_timestamp\nttl: 0\nonline: true\nfeatures: [${FEATURES.join(', ')}]\n---\napiVersion: tessera/v1\nkind: FeatureService\nname: soak_v1\nfeatures: [${REFS.join(', ')}]\n`,
  },
];

/**
 * Closed loop: each connection picks a kind by weight (materialize only when none is in flight),
 * sends it, waits for the whole answer, repeats. Every interval it posts the raw samples and resets.
 */
const WORKER = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { port, headers, connections, seconds, intervalMs, E, F, onlineOnly, rate } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections + 2 });
let seed = 7;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const ids = (n) => Array.from({ length: n }, () => Math.floor(rand() * E));
let materializing = false;
let samples = [];
function send(kind, path, body, contentType) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const done = (status) => resolve({ kind, ms: Number(process.hrtime.bigint() - t0) / 1e6, status });
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { ...headers, 'content-type': contentType, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => done(res.statusCode));
    });
    req.setTimeout(30000, () => req.destroy(new Error('timeout')));
    req.on('error', () => done(0));
    req.end(body);
  });
}
const readBody = () => JSON.stringify({ features: ${JSON.stringify(REFS)}, entities: { driver_id: ids(1) } });
function next() {
  if (onlineOnly) return send('read', '/get-online-features', readBody(), 'application/json');
  const r = rand();
  if (r < 0.70) return send('read', '/get-online-features', JSON.stringify({ features: ${JSON.stringify(REFS)}, entities: { driver_id: ids(1 + Math.floor(rand() * 20)) } }), 'application/json');
  if (r < 0.92) return send('predict', '/v1/models/soak_model/predict', JSON.stringify({ entities: { driver_id: ids(1 + Math.floor(rand() * 10)) } }), 'application/json');
  if (r < 0.995 || materializing) {
    const now = new Date().toISOString();
    const rows = ids(50).map((id) => JSON.stringify(Object.fromEntries([['driver_id', id], ['event_timestamp', now], ...Array.from({ length: F }, (_, f) => ['f' + f, rand()])]))).join('\\n');
    return send('ingest', '/v1/data-products/soak/ports/stats/rows', rows, 'application/x-ndjson');
  }
  materializing = true;
  return send('materialize', '/materialize-incremental', JSON.stringify({ end_ts: new Date().toISOString(), feature_views: ['soak'] }), 'application/json').finally(() => (materializing = false));
}
const start = Date.now();
const deadline = start + seconds * 1000;
const timer = setInterval(() => { parentPort.postMessage({ samples }); samples = []; }, intervalMs);
// Paced (rate > 0): request k of all connections together is due at start + k / rate (a late one goes at once).
let sent = 0;
Promise.all(Array.from({ length: connections }, async () => {
  while (Date.now() < deadline) {
    if (rate > 0) {
      const due = start + (sent++ * 1000) / rate;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
    samples.push(await next());
  }
})).then(() => { clearInterval(timer); parentPort.postMessage({ samples, done: true }); agent.destroy(); });
`;

interface Sample {
  kind: Kind;
  ms: number;
  status: number;
}
interface Interval {
  t: number;
  byKind: Record<Kind, number>;
  errors: number;
  total: number;
  p50: number;
  p99: number;
  p99Read: number;
  p99Predict: number;
  rss: number;
  heap: number;
}

async function startApp() {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB}`;
  const config = TesseraConfig.fromEnv({
    DATABASE_URL: url.toString(),
    REDIS_URL,
    TESSERA_ONLINE_STORE: 'redis',
    TESSERA_REDIS_PREFIX: `bench:soak:${randomBytes(4).toString('hex')}:`,
    TESSERA_APPLY_ON_START: 'false',
    TESSERA_ADMIN_KEY: KEY,
    // The bench key is a model service's budget (its role default, 3,000,000/min): the limiter counts every request.
    TESSERA_RATE_LIMIT_PER_MINUTE: '6000',
    TESSERA_RATE_LIMIT_PRINCIPALS: 'admin=3000000',
    LOG_LEVEL: 'warn',
    TESSERA_QUALITY_SCHEDULE: 'off',
    TESSERA_SLO_SCHEDULE: 'off',
  });
  const dataSource = await openDatabase(url.toString());
  const app = await createApp(config, dataSource, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpAdapter().getInstance().server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const base = `http://127.0.0.1:${port}`;
  const call = async (path: string, body: string) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  await call('/v1/contracts/apply', JSON.stringify({ files: mesh }));
  const store = app.get<OnlineStore>(ONLINE_STORE);
  const view = await app.get(FeatureViewResolver).view('soak');
  for (let start = 0; start < E; start += 1000) {
    await store.write(
      view,
      Array.from({ length: Math.min(1000, E - start) }, (_, k) => ({
        keys: [start + k],
        eventTs: new Date(),
        createdTs: null,
        values: FEATURES.map((_, f) => (((start + k) * 31 + f * 17) % 1000) / 1000),
      })),
    );
  }
  const onnx = buildLogisticRegressionOnnx({ featureCount: F, weights: FEATURES.map((_, i) => ((i % 5) - 2) * 0.3), bias: 0.1 });
  const form = new FormData();
  form.append('metadata', JSON.stringify({ name: 'soak_model', version: '1.0.0', featureService: 'soak_v1' }));
  form.append('file', new Blob([onnx]), 'model.onnx');
  const up = await fetch(`${base}/v1/models`, { method: 'POST', headers: AUTH, body: form });
  if (up.status >= 300) throw new Error(`upload: ${up.status} ${await up.text()}`);
  await call('/graphql', JSON.stringify({ query: 'mutation { deployModel(name: "soak_model", version: "1.0.0") { production } }' }));
  return {
    port,
    async close() {
      await store.deleteAll();
      await app.close();
      await dataSource.destroy();
    },
  };
}

function summarize(t: number, samples: Sample[]): Interval {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const byKind = Object.fromEntries(KINDS.map((k) => [k, samples.filter((s) => s.kind === k).length])) as Record<Kind, number>;
  const mem = process.memoryUsage();
  const p99Of = (k: Kind) =>
    percentile(
      samples
        .filter((s) => s.kind === k)
        .map((s) => s.ms)
        .sort((a, b) => a - b),
      99,
    );
  return {
    t,
    byKind,
    errors: samples.filter((s) => s.status !== 200).length,
    total: samples.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    p99Read: p99Of('read'),
    p99Predict: p99Of('predict'),
    rss: mem.rss,
    heap: mem.heapUsed,
  };
}

const MiB = (b: number): string => (b / 2 ** 20).toFixed(0);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

async function main(): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DB}`);
  const intervals: Interval[] = [];
  const errorsByKind: Record<string, number> = {};
  try {
    const app = await startApp();
    let rate = 0;
    if (ONLINE) {
      // The peak of the online route alone (closed loop, PEAK_S seconds), then the soak paced at FRACTION of it.
      const peak = await new Promise<number>((resolve, reject) => {
        const w = new Worker(WORKER, { eval: true, workerData: { port: app.port, headers: AUTH, connections: CONNECTIONS, seconds: PEAK_S, intervalMs: PEAK_S * 1000 + 1000, E, F, onlineOnly: true, rate: 0 } });
        let n = 0;
        w.on('error', reject);
        w.on('message', (m: { samples: Sample[]; done?: boolean }) => {
          n += m.samples.filter((x) => x.status === 200).length;
          if (m.done) void w.terminate().then(() => resolve(n / PEAK_S));
        });
      });
      rate = peak * FRACTION;
      console.log(`online peak ${peak.toFixed(0)} req/s (${PEAK_S} s closed loop, ${CONNECTIONS} connections, 1 entity x ${F} features); soak paced at ${rate.toFixed(0)} req/s`);
    }
    const mem0 = process.memoryUsage();
    console.log(`memory at start: rss=${MiB(mem0.rss)}MiB heap=${MiB(mem0.heapUsed)}MiB`);
    console.log(
      ONLINE
        ? `soak: ${SECONDS} s, ${CONNECTIONS} connections, POST /get-online-features only, paced at ${(FRACTION * 100).toFixed(0)} % of the peak\n`
        : `soak: ${SECONDS} s, ${CONNECTIONS} connections (closed loop), reads 70 % / predict 22 % / ingest ~7.5 % / materialize-incremental ~0.5 % (one at a time)\n`,
    );
    const worker = new Worker(WORKER, { eval: true, workerData: { port: app.port, headers: AUTH, connections: CONNECTIONS, seconds: SECONDS, intervalMs: INTERVAL_S * 1000, E, F, onlineOnly: ONLINE, rate } });
    const t0 = Date.now();
    await new Promise<void>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (m: { samples: Sample[]; done?: boolean }) => {
        for (const s of m.samples) if (s.status !== 200) errorsByKind[`${s.kind} ${s.status}`] = (errorsByKind[`${s.kind} ${s.status}`] ?? 0) + 1;
        if (m.samples.length) {
          const iv = summarize(Math.round((Date.now() - t0) / 1000), m.samples);
          intervals.push(iv);
          console.log(`t=${iv.t}s ${KINDS.map((k) => `${k}=${iv.byKind[k]}`).join(' ')} err=${iv.errors} p50=${fmtMs(iv.p50)} p99=${fmtMs(iv.p99)} rss=${MiB(iv.rss)}MiB heap=${MiB(iv.heap)}MiB`);
        }
        if (m.done) resolve();
      });
    });
    await worker.terminate();
    await app.close();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin.end();
  }
  console.log(
    '\n' +
      table(
        ['t (s)', ...KINDS, 'req/s', 'errors', 'p50 all', 'p99 all', 'p99 read', 'p99 predict', 'RSS MiB', 'heap MiB'],
        intervals.map((iv) => [
          iv.t,
          ...KINDS.map((k) => iv.byKind[k]),
          (iv.total / INTERVAL_S).toFixed(0),
          `${((100 * iv.errors) / Math.max(1, iv.total)).toFixed(2)} %`,
          fmtMs(iv.p50),
          fmtMs(iv.p99),
          fmtMs(iv.p99Read),
          fmtMs(iv.p99Predict),
          MiB(iv.rss),
          MiB(iv.heap),
        ]),
      ),
  );
  // Memory at the first interval, at each whole minute, and at the end.
  const marks = intervals.filter((iv, i) => i === 0 || i === intervals.length - 1 || Math.floor(iv.t / 60) > Math.floor(intervals[i - 1].t / 60));
  console.log(
    '\n' +
      table(
        ['t (s)', 'req/s', 'RSS MiB', 'heap MiB'],
        marks.map((iv) => [iv.t, (iv.total / INTERVAL_S).toFixed(0), MiB(iv.rss), MiB(iv.heap)]),
      ),
  );
  const total = intervals.reduce((n, iv) => n + iv.total, 0);
  const errors = intervals.reduce((n, iv) => n + iv.errors, 0);
  console.log(`\ntotal ${total} requests, ${errors} errors (${((100 * errors) / Math.max(1, total)).toFixed(3)} %)${errors ? ` ${JSON.stringify(errorsByKind)}` : ''}`);
  const steady = intervals.filter((iv) => iv.t > WARMUP_S);
  const third = Math.max(1, Math.floor(steady.length / 3));
  const first = steady.slice(0, third);
  const last = steady.slice(-third);
  const growth = (pick: (iv: Interval) => number) => mean(last.map(pick)) / mean(first.map(pick)) - 1;
  const rssG = growth((iv) => iv.rss);
  const heapG = growth((iv) => iv.heap);
  const flat = rssG <= 0.1 && heapG <= 0.1;
  console.log(`memory after ${WARMUP_S} s warm-up, last third vs first third: RSS ${(rssG * 100).toFixed(1)} %, heap ${(heapG * 100).toFixed(1)} % -> ${flat ? 'flat' : 'GROWTH > 10 % FLAGGED'}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
