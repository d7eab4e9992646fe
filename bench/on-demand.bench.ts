/**
 * Model-on-demand over NATS JetStream (issue 13 point 4, ADR 0027) against REST predict, side by side
 * in one run on one real app (bench database, Redis online store, NATS at NATS_URL or 127.0.0.1:4222):
 * single-row requests for a logistic regression over 3 online features of bench_mat.
 *   - REST: `POST /v1/models/{name}/predict`, W requests in flight (fetch, keep-alive);
 *   - on-demand: requests published to tessera.predict.<model> with W in flight, answers received on
 *     tessera.predictions.<model>.<id> (core subscription), one worker in this process with its batch
 *     size at most B (1, 16, 128); latency = publish to answer received.
 * Cells alternate, ROUNDS rounds, so load from other processes hits every cell alike; the spread is
 * the min–max over rounds. The client runs in the server's process for both paths.
 * Run: `npx ts-node --transpile-only bench/on-demand.bench.ts`; env BENCH_QUICK=1, BENCH_ON_DEMAND_REQUESTS, BENCH_ON_DEMAND_ROUNDS.
 */
import 'reflect-metadata';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { buildLogisticRegressionOnnx } from '../src/scoring/onnx/logistic-regression-onnx';
import { OnDemandBatch } from '../src/scoring/on-demand/on-demand-batch';
import { ensureOnDemandStreams, ON_DEMAND_HEADERS, PREDICT_STREAM, predictSubject, resultSubject, workerConsumer } from '../src/scoring/on-demand/on-demand-subjects';
import { OnDemandWorker } from '../src/scoring/on-demand/on-demand-worker';
import { ADMIN_KEY, AUTH, benchMeshFiles, startBenchApp } from './bench-app';
import { deleteRedisPrefix, fmtMs, percentile, size, table } from './bench-support';
import { Redis } from 'ioredis';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const N = size('BENCH_ON_DEMAND_REQUESTS', 2000, 400);
const ROUNDS = Number(process.env.BENCH_ON_DEMAND_ROUNDS ?? 2);
const ENTITIES = 1000;

interface Cell {
  label: string;
  inFlight: number;
  batch?: number;
}
const ALL_CELLS: Cell[] = [
  { label: 'REST predict', inFlight: 16 },
  { label: 'on-demand, batch ≤ 1', inFlight: 16, batch: 1 },
  { label: 'on-demand, batch ≤ 16', inFlight: 16, batch: 16 },
  { label: 'REST predict', inFlight: 256 },
  { label: 'on-demand, batch ≤ 128', inFlight: 256, batch: 128 },
];

/** BENCH_ON_DEMAND_CELLS=0,2: only those cells (indexes in the table above). */
const CELLS = process.env.BENCH_ON_DEMAND_CELLS ? process.env.BENCH_ON_DEMAND_CELLS.split(',').map((i) => ALL_CELLS[Number(i)]) : ALL_CELLS;

interface Result {
  p50: number;
  p99: number;
  perSec: number;
  meanBatch?: number;
}

/** Runs `n` jobs keeping `width` in flight; per-job latency (ms) and the wall time. */
async function closedLoop(n: number, width: number, job: (i: number) => Promise<void>): Promise<{ times: number[]; seconds: number }> {
  const times = new Array<number>(n);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) {
        const i = next++;
        const s = performance.now();
        await job(i);
        times[i] = performance.now() - s;
      }
    }),
  );
  return { times, seconds: (performance.now() - t0) / 1000 };
}

const summary = (r: { times: number[]; seconds: number }): Result => {
  const sorted = [...r.times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), perSec: r.times.length / r.seconds };
};

async function main(): Promise<void> {
  const model = `bench_od_${randomBytes(3).toString('hex')}`;
  const bench = await startBenchApp({ NATS_URL, TESSERA_PREDICT_WORKERS: 'off' });
  const nc = await connect({ servers: NATS_URL });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  await ensureOnDemandStreams(jsm);
  try {
    const service = 'apiVersion: tessera/v1\nkind: FeatureService\nname: bench_od_v1\nfeatures: [bench_mat:conv_rate, bench_mat:acc_rate, bench_mat:avg_daily_trips]\n';
    const applied = await fetch(`${bench.baseUrl}/v1/contracts/apply`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ files: [...benchMeshFiles(), { path: 'contracts/bench/od.yaml', content: service }] }),
    });
    if (!applied.ok) throw new Error(`apply: ${await applied.text()}`);
    const view = await bench.view('bench_mat');
    await bench.store.write(
      view,
      Array.from({ length: ENTITIES }, (_, i) => ({ keys: [i], eventTs: new Date(), createdTs: null, values: [Math.random(), Math.random(), i % 50] })),
    );
    const form = new FormData();
    form.append('metadata', JSON.stringify({ name: model, version: '1.0.0', featureService: 'bench_od_v1' }));
    form.append('file', new Blob([buildLogisticRegressionOnnx({ featureCount: 3, weights: [0.4, -0.3, 0.02], bias: 0.1 })]), 'model.onnx');
    const up = await fetch(`${bench.baseUrl}/v1/models`, { method: 'POST', headers: AUTH, body: form });
    if (up.status >= 300) throw new Error(`upload: ${up.status} ${await up.text()}`);
    const deployed = await fetch(`${bench.baseUrl}/graphql`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation { deployModel(name: "${model}", version: "1.0.0") { production } }` }),
    });
    if (!deployed.ok || JSON.stringify(await deployed.json()).includes('errors')) throw new Error('deployModel failed');

    const body = (i: number) => JSON.stringify({ entities: { driver_id: [i % ENTITIES] } });
    const rest = async (cell: Cell): Promise<Result> => {
      const r = await closedLoop(N, cell.inFlight, async (i) => {
        const res = await fetch(`${bench.baseUrl}/v1/models/${model}/predict`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: body(i) });
        if (res.status !== 200) throw new Error(`predict ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      });
      return summary(r);
    };
    const batchHandler = bench.app.get(OnDemandBatch);
    let run = 0;
    const onDemand = async (cell: Cell): Promise<Result> => {
      const sizes: number[] = [];
      const worker = new OnDemandWorker(
        model,
        js,
        jsm,
        async (m, b) => {
          sizes.push(b.length);
          if (process.env.BENCH_DEBUG && sizes.length % 20 === 1) console.error(`batch ${sizes.length} of ${b.length}`);
          await batchHandler.handle(js, m, b);
        },
        { batchMax: cell.batch!, batchWaitMs: 2, ackWaitMs: 30_000 },
      );
      await worker.start();
      const prefix = `r${run++}-`;
      const waiting = new Map<string, () => void>();
      const sub = nc.subscribe(resultSubject(model, '>'), {
        callback: (_e, m) => {
          const id = m.headers?.get(ON_DEMAND_HEADERS.requestId) ?? '';
          if (m.headers?.get(ON_DEMAND_HEADERS.status) !== '200') {
            console.error(`error answer ${id}: ${m.string()}`);
            process.exit(1);
          }
          waiting.get(id)?.();
          waiting.delete(id);
        },
      });
      try {
        const r = await closedLoop(N, cell.inFlight, async (i) => {
          const id = `${prefix}${i}`;
          const answered = new Promise<void>((resolve) => waiting.set(id, resolve));
          const h = headers();
          h.set(ON_DEMAND_HEADERS.requestId, id);
          h.set(ON_DEMAND_HEADERS.authorization, `Bearer ${ADMIN_KEY}`);
          await js.publish(predictSubject(model), body(i), { headers: h });
          await answered;
        });
        return { ...summary(r), meanBatch: sizes.reduce((a, b) => a + b, 0) / sizes.length };
      } finally {
        sub.unsubscribe();
        await worker.stop();
      }
    };

    console.error('mesh, rows and model ready');
    // Warm-up: session loaded, connections open.
    await closedLoop(
      100,
      8,
      async (i) => void (await (await fetch(`${bench.baseUrl}/v1/models/${model}/predict`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: body(i) })).arrayBuffer()),
    );
    const results: Result[][] = CELLS.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [k, cell] of CELLS.entries()) {
        results[k].push(await (cell.batch ? onDemand(cell) : rest(cell)));
        console.error(`round ${round + 1}: ${cell.label}, ${cell.inFlight} in flight: ${Math.round(results[k][round].perSec)}/s`);
      }
    }
    const span = (xs: number[], f: (x: number) => string) => (xs.length > 1 ? `${f(Math.min(...xs))}–${f(Math.max(...xs))}` : f(xs[0]));
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    console.log(`\nOn-demand vs REST predict: ${N} single-row requests per cell, ${ROUNDS} rounds (min–max over rounds)\n`);
    console.log(
      table(
        ['path', 'in flight', 'predictions/s', 'p50', 'p99', 'requests per batch'],
        CELLS.map((c, k) => {
          const r = results[k];
          return [
            c.label,
            c.inFlight,
            span(
              r.map((x) => x.perSec),
              (x) => String(Math.round(x)),
            ),
            span(
              r.map((x) => x.p50),
              fmtMs,
            ),
            span(
              r.map((x) => x.p99),
              fmtMs,
            ),
            c.batch ? mid(r.map((x) => x.meanBatch ?? 0)).toFixed(1) : '—',
          ];
        }),
      ),
    );
  } finally {
    await jsm.consumers.delete(PREDICT_STREAM, workerConsumer(model)).catch(() => undefined);
    await nc.close();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    await deleteRedisPrefix(redis, bench.redisPrefix);
    redis.disconnect();
    await bench.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
