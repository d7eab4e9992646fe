/**
 * Predict (online features + in-process ONNX) versus the plain online lookup of the same features,
 * over HTTP against a real Tessera (createApp listening on 127.0.0.1, Redis online store, its own
 * database), issue 4 point 7; and micro-batching on versus off for concurrent single-row predictions
 * (ADR 0011). The load generator runs in a worker thread (its own event loop on the other core) with
 * keep-alive connections, so client work does not queue behind the server's.
 *   - latency: one request at a time (closed loop), p50/p99 per batch size, predict and lookup interleaved
 *   - throughput: PREDICT_BENCH_CONCURRENCY requests in flight (default 16)
 * The model is a logistic regression over F float features (PREDICT_BENCH_FEATURES, default 10).
 * Run: `npx ts-node --transpile-only bench/predict.bench.ts` (env: DATABASE_URL, REDIS_URL,
 * PREDICT_BENCH_REQUESTS, PREDICT_BENCH_ENTITIES, PREDICT_BENCH_CONCURRENCY).
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
import { ModelSessionCache } from '../src/scoring/prediction/model-session.cache';
import { fmtMs, percentile, ratio, table } from './bench-support';

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const N = Number(process.env.PREDICT_BENCH_REQUESTS ?? 2000);
const E = Number(process.env.PREDICT_BENCH_ENTITIES ?? 10_000);
const F = Number(process.env.PREDICT_BENCH_FEATURES ?? 10);
const C = Number(process.env.PREDICT_BENCH_CONCURRENCY ?? 16);
const DB = `tessera_bench_predict_${randomBytes(3).toString('hex')}`;
const KEY = `bench-${randomBytes(12).toString('hex')}`;
const AUTH = { authorization: `Bearer ${KEY}` };
const FEATURES = Array.from({ length: F }, (_, i) => `f${i}`);
const REFS = FEATURES.map((f) => `bench_predict:${f}`);

const mesh = [
  {
    path: 'contracts/bench/bench-predict.odps.yaml',
    content: `apiVersion: v1.0.0\nkind: DataProduct\nid: bench-predict\nname: Predict bench\ndomain: bench\nstatus: active\noutputPorts:\n  - { name: stats, version: 1.0.0, type: table, contractId: bench-predict-v1 }\n`,
  },
  {
    path: 'contracts/bench/bench-predict/stats.odcs.yaml',
    content: `apiVersion: v3.1.0\nkind: DataContract\nid: bench-predict-v1\nversion: 1.0.0\nstatus: active\nschema:\n  - name: stats\n    properties:\n      - { name: driver_id, logicalType: integer, required: true }\n      - { name: event_timestamp, logicalType: timestamp, required: true }\n${FEATURES.map((f) => `      - { name: ${f}, logicalType: number }`).join('\n')}\n`,
  },
  {
    path: 'contracts/bench/features.yaml',
    content: `apiVersion: tessera/v1\nkind: Entity\nname: driver\njoinKeys: [{ name: driver_id, type: integer }]\n---\napiVersion: tessera/v1\nkind: FeatureView\nname: bench_predict\nentities: [driver]\nsource: { dataProduct: bench-predict, outputPort: stats }\ntimestampField: event_timestamp\nttl: 0\nonline: true\nfeatures: [${FEATURES.join(', ')}]\n---\napiVersion: tessera/v1\nkind: FeatureService\nname: bench_predict_v1\nfeatures: [${REFS.join(', ')}]\n`,
  },
];

/** The load generator: plain JS in a worker thread, node:http with keep-alive. */
const WORKER = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { port, headers, jobs } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
function post(path, body) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let n = 0;
      res.on('data', (c) => (n += c.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - t0) / 1e6) : reject(new Error(path + ' ' + res.statusCode))));
    });
    req.on('error', reject);
    req.end(body);
  });
}
async function run(job) {
  const times = [];
  let next = 0;
  const t0 = process.hrtime.bigint();
  async function lane() {
    while (next < job.requests.length) {
      const i = next++;
      times[i] = await post(job.requests[i][0], job.requests[i][1]);
    }
  }
  await Promise.all(Array.from({ length: job.concurrency }, lane));
  return { times, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}
parentPort.on('message', async (job) => {
  try { parentPort.postMessage({ ok: true, result: await run(job) }); } catch (e) { parentPort.postMessage({ ok: false, error: String(e) }); }
});
`;

interface Measured {
  p50: number;
  p99: number;
  perSec: number;
}

function measured(times: number[], seconds: number): Measured {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), perSec: times.length / seconds };
}

class LoadGenerator {
  private readonly worker: Worker;
  constructor(port: number) {
    this.worker = new Worker(WORKER, { eval: true, workerData: { port, headers: AUTH } });
  }
  /** Raw per-request times (ms, in request order) and the wall time of the whole run. */
  send(requests: [string, string][], concurrency: number): Promise<{ times: number[]; seconds: number }> {
    return new Promise((resolve, reject) => {
      this.worker.once('message', (m: { ok: boolean; result?: { times: number[]; seconds: number }; error?: string }) => (m.ok ? resolve(m.result!) : reject(new Error(m.error))));
      this.worker.postMessage({ requests, concurrency });
    });
  }
  async run(path: string, bodies: string[], concurrency: number): Promise<Measured> {
    const r = await this.send(
      bodies.map((b) => [path, b]),
      concurrency,
    );
    return measured(r.times, r.seconds);
  }
  /**
   * Latency of two routes under the same conditions: requests alternate A, B, A, B... one at a
   * time, so noise from other processes on the shared cores hits both alike.
   */
  async paired(a: [string, string[]], b: [string, string[]]): Promise<[Measured, Measured]> {
    const requests: [string, string][] = a[1].flatMap(
      (body, i) =>
        [
          [a[0], body],
          [b[0], b[1][i]],
        ] as [string, string][],
    );
    const r = await this.send(requests, 1);
    const ta = r.times.filter((_, i) => i % 2 === 0);
    const tb = r.times.filter((_, i) => i % 2 === 1);
    return [measured(ta, r.seconds / 2), measured(tb, r.seconds / 2)];
  }
  close(): Promise<number> {
    return this.worker.terminate();
  }
}

let seed = 11;
const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const entities = (batch: number): number[] => Array.from({ length: batch }, () => Math.floor(rand() * E));

async function startApp(microbatch: 'on' | 'off') {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB}`;
  const config = TesseraConfig.fromEnv({
    DATABASE_URL: url.toString(),
    REDIS_URL,
    TESSERA_ONLINE_STORE: 'redis',
    TESSERA_REDIS_PREFIX: `bench:${randomBytes(4).toString('hex')}:`,
    TESSERA_APPLY_ON_START: 'false',
    TESSERA_ADMIN_KEY: KEY,
    // The bench key gets a model service's default budget (3,000,000/min): the limiter counts every request.
    TESSERA_RATE_LIMIT_PER_MINUTE: '6000',
    TESSERA_RATE_LIMIT_PRINCIPALS: 'admin=3000000',
    LOG_LEVEL: 'warn',
    TESSERA_PREDICT_MICROBATCH: microbatch,
  });
  const dataSource = await openDatabase(url.toString());
  const app = await createApp(config, dataSource, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpAdapter().getInstance().server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const base = `http://127.0.0.1:${port}`;
  const call = async (path: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { ...AUTH, ...headers }, body: body as string });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  await call('/v1/contracts/apply', JSON.stringify({ files: mesh }));
  const store = app.get<OnlineStore>(ONLINE_STORE);
  const view = await app.get(FeatureViewResolver).view('bench_predict');
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
  // bench_predict logs every row (the default rate 1); bench_predict_nolog samples none (the log's own cost left out).
  for (const [name, extra] of [
    ['bench_predict', {}],
    ['bench_predict_nolog', { predictionLog: { sampleRate: 0 } }],
  ] as const) {
    const form = new FormData();
    form.append('metadata', JSON.stringify({ name, version: '1.0.0', featureService: 'bench_predict_v1', ...extra }));
    form.append('file', new Blob([onnx]), 'model.onnx');
    const up = await fetch(`${base}/v1/models`, { method: 'POST', headers: AUTH, body: form });
    if (up.status >= 300) throw new Error(`upload: ${up.status} ${await up.text()}`);
    await call('/graphql', JSON.stringify({ query: `mutation { deployModel(name: "${name}", version: "1.0.0") { production } }` }));
  }
  return {
    port,
    runs: async () => [...(await app.get(ModelSessionCache).loaded()).values()].reduce((n, r) => n + r.stats.runs, 0),
    async close() {
      await store.deleteAll();
      await app.close();
      await dataSource.destroy();
    },
  };
}

const lookupBody = (ids: number[]) => JSON.stringify({ features: REFS, entities: { driver_id: ids } });
const predictBody = (ids: number[]) => JSON.stringify({ entities: { driver_id: ids } });

async function main(): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DB}`);
  try {
    console.log(`predict vs lookup: ${F} float features, ${E} entities online (Redis), ${N} requests per cell, throughput at ${C} in flight; load generator in a worker thread\n`);
    const app = await startApp('on');
    const gen = new LoadGenerator(app.port);
    const rows: (string | number)[][] = [];
    for (const batch of [1, 100]) {
      const n = batch === 1 ? N : Math.max(200, Math.floor(N / 4));
      const ids = Array.from({ length: n }, () => entities(batch));
      await gen.run('/v1/models/bench_predict/predict', ids.slice(0, 100).map(predictBody), 4); // warm-up (session load, JIT)
      await gen.run('/get-online-features', ids.slice(0, 100).map(lookupBody), 4);
      const [l, p] = await gen.paired(['/get-online-features', ids.map(lookupBody)], ['/v1/models/bench_predict/predict', ids.map(predictBody)]);
      const [l0, p0] = await gen.paired(['/get-online-features', ids.map(lookupBody)], ['/v1/models/bench_predict_nolog/predict', ids.map(predictBody)]);
      // Throughput: each route alone with C in flight, alternated twice; the better run of each counts.
      const lt: Measured[] = [];
      const pt: Measured[] = [];
      for (let k = 0; k < 2; k++) {
        lt.push(await gen.run('/get-online-features', ids.map(lookupBody), C));
        pt.push(await gen.run('/v1/models/bench_predict/predict', ids.map(predictBody), C));
      }
      const best = (xs: Measured[]): Measured => xs.reduce((m, x) => (x.perSec > m.perSec ? x : m));
      const [lT, pT] = [best(lt), best(pt)];
      rows.push([`lookup, batch ${batch}`, fmtMs(l.p50), fmtMs(l.p99), lT.perSec.toFixed(0), (lT.perSec * batch).toFixed(0), '']);
      rows.push([`predict, batch ${batch}`, fmtMs(p.p50), fmtMs(p.p99), pT.perSec.toFixed(0), (pT.perSec * batch).toFixed(0), ratio(p.p50 / l.p50)]);
      rows.push([`predict without log, batch ${batch} (paired run: lookup ${fmtMs(l0.p50)})`, fmtMs(p0.p50), fmtMs(p0.p99), '', '', ratio(p0.p50 / l0.p50)]);
    }
    console.log(table(['request', 'p50', 'p99', `requests/s (${C} in flight)`, 'rows/s', 'predict p50 / lookup p50'], rows));
    await gen.close();
    await app.close();

    console.log(`\nmicro-batching: concurrent single-row predictions (${N} requests per cell)\n`);
    const mb: (string | number)[][] = [];
    const apps = { off: await startApp('off'), on: await startApp('on') };
    const gens = { off: new LoadGenerator(apps.off.port), on: new LoadGenerator(apps.on.port) };
    for (const mode of ['off', 'on'] as const)
      await gens[mode].run(
        '/v1/models/bench_predict/predict',
        Array.from({ length: 200 }, () => predictBody(entities(1))),
        8,
      );
    for (const conc of [1, 16, 64]) {
      // Two rounds, off and on alternating; both apps stay up (one idles while the other is measured).
      const got: Record<'off' | 'on', { m: Measured[]; rows: number; runs: number }> = { off: { m: [], rows: 0, runs: 0 }, on: { m: [], rows: 0, runs: 0 } };
      for (let round = 0; round < 2; round++) {
        for (const mode of ['off', 'on'] as const) {
          const before = await apps[mode].runs();
          got[mode].m.push(
            await gens[mode].run(
              '/v1/models/bench_predict/predict',
              Array.from({ length: N }, () => predictBody(entities(1))),
              conc,
            ),
          );
          got[mode].runs += (await apps[mode].runs()) - before;
          got[mode].rows += N;
        }
      }
      for (const mode of ['off', 'on'] as const) {
        const ms = got[mode].m;
        const perSec = ms.reduce((n, m) => n + m.perSec, 0) / ms.length;
        mb.push([
          `microbatch ${mode}, ${conc} in flight`,
          fmtMs(ms.reduce((n, m) => n + m.p50, 0) / ms.length),
          fmtMs(Math.max(...ms.map((m) => m.p99))),
          perSec.toFixed(0),
          (got[mode].rows / got[mode].runs).toFixed(2),
        ]);
      }
    }
    for (const mode of ['off', 'on'] as const) {
      await gens[mode].close();
      await apps[mode].close();
    }
    console.log(table(['mode', 'p50', 'p99', 'requests/s', 'rows per session run'], mb));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin.end();
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
