/**
 * Batch scoring (precompute, ADR 0035) versus REST predict of the same entities, side by side in one
 * run against a real Tessera (createApp listening on 127.0.0.1, Redis online store, its own database):
 *   - batch: one job over the whole population as of T (point-in-time offline read, ONNX, rows written
 *     into the predictions port through ingest), timed from the request until the job succeeded;
 *   - predict: the same entities through POST /v1/models/{name}/predict (online read, ONNX, answer),
 *     PREDICT_BATCH rows per request, CONCURRENCY requests in flight; the prediction log is off
 *     (sample rate 0) so neither side pays for logging.
 * Rounds alternate batch, predict, batch, predict… so load from other processes hits both alike;
 * reported: median rows/s and the spread (min–max) over the rounds.
 * Run: `npx ts-node --transpile-only bench/batch-scoring.bench.ts` (env: DATABASE_URL, REDIS_URL,
 * BATCH_BENCH_ENTITIES, BATCH_BENCH_ROUNDS, BATCH_BENCH_CHUNK_ROWS, PREDICT_BATCH, CONCURRENCY).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { TesseraConfig } from '../src/config/tessera-config';
import { createApp } from '../src/create-app';
import { openDatabase } from '../src/database';
import { ONLINE_STORE, OnlineStore } from '../src/features/online/online-store';
import { buildLogisticRegressionOnnx } from '../src/scoring/onnx/logistic-regression-onnx';
import { median, table } from './bench-support';

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const E = Number(process.env.BATCH_BENCH_ENTITIES ?? 20_000);
const ROUNDS = Number(process.env.BATCH_BENCH_ROUNDS ?? 3);
const CHUNK = process.env.BATCH_BENCH_CHUNK_ROWS ?? '5000';
const PREDICT_BATCHES = (process.env.PREDICT_BATCH ?? '100,1000').split(',').map(Number);
const C = Number(process.env.CONCURRENCY ?? 4);
const F = 10;
const DB = `tessera_bench_batch_${randomBytes(3).toString('hex')}`;
const KEY = `bench-${randomBytes(12).toString('hex')}`;
const AUTH = { authorization: `Bearer ${KEY}` };
const FEATURES = Array.from({ length: F }, (_, i) => `f${i}`);
const REFS = FEATURES.map((f) => `bench_batch:${f}`);
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

const mesh = [
  {
    path: 'contracts/bench/bench-batch.odps.yaml',
    content: `apiVersion: v1.0.0\nkind: DataProduct\nid: bench-batch\nname: Batch bench\ndomain: bench\nstatus: active\noutputPorts:\n  - { name: stats, version: 1.0.0, type: table, contractId: bench-batch-v1 }\n  - { name: predictions, version: 1.0.0, type: table, contractId: bench-batch-predictions-v1 }\n`,
  },
  {
    path: 'contracts/bench/bench-batch/stats.odcs.yaml',
    content: `apiVersion: v3.1.0\nkind: DataContract\nid: bench-batch-v1\nversion: 1.0.0\nstatus: active\nschema:\n  - name: stats\n    properties:\n      - { name: driver_id, logicalType: integer, required: true }\n      - { name: event_timestamp, logicalType: timestamp, required: true }\n${FEATURES.map((f) => `      - { name: ${f}, logicalType: number }`).join('\n')}\n`,
  },
  {
    path: 'contracts/bench/features.yaml',
    content: `apiVersion: tessera/v1\nkind: Entity\nname: driver\njoinKeys: [{ name: driver_id, type: integer }]\n---\napiVersion: tessera/v1\nkind: FeatureView\nname: bench_batch\nentities: [driver]\nsource: { dataProduct: bench-batch, outputPort: stats }\ntimestampField: event_timestamp\nttl: 0\nonline: true\nfeatures: [${FEATURES.join(', ')}]\n---\napiVersion: tessera/v1\nkind: FeatureService\nname: bench_batch_v1\nfeatures: [${REFS.join(', ')}]\n`,
  },
];

async function main(): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DB}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB}`;
  const config = TesseraConfig.fromEnv({
    DATABASE_URL: url.toString(),
    REDIS_URL,
    TESSERA_ONLINE_STORE: 'redis',
    TESSERA_REDIS_PREFIX: `bench:${randomBytes(4).toString('hex')}:`,
    TESSERA_APPLY_ON_START: 'false',
    TESSERA_ADMIN_KEY: KEY,
    TESSERA_RATE_LIMIT_PER_MINUTE: String(1e9),
    TESSERA_BATCH_SCORING_CHUNK_ROWS: CHUNK,
    LOG_LEVEL: 'warn',
  });
  const dataSource = await openDatabase(url.toString());
  const app = await createApp(config, dataSource, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpAdapter().getInstance().server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const call = async (method: string, path: string, body?: string, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<unknown> => {
    const res = await fetch(`${base}${path}`, { method, headers: { ...AUTH, ...(body === undefined ? {} : headers) }, body });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  };
  const onnx = buildLogisticRegressionOnnx({ featureCount: F, weights: FEATURES.map((_, i) => ((i % 5) - 2) * 0.3), bias: 0.1 });
  try {
    await call('POST', '/v1/contracts/apply', JSON.stringify({ files: mesh }));
    const form = new FormData();
    form.append(
      'metadata',
      JSON.stringify({
        name: 'bench_batch',
        version: '1.0.0',
        featureService: 'bench_batch_v1',
        predictionLog: { sampleRate: 0 },
        batchScoring: { output: { dataProduct: 'bench-batch', outputPort: 'predictions' } },
      }),
    );
    form.append('file', new Blob([onnx]), 'model.onnx');
    const up = await fetch(`${base}/v1/models`, { method: 'POST', headers: AUTH, body: form });
    if (up.status >= 300) throw new Error(`upload: ${up.status} ${await up.text()}`);
    const contract = (await call('GET', '/v1/models/bench_batch/versions/1.0.0/predictions-contract?format=yaml')) as string;
    await call('POST', '/v1/contracts/apply', JSON.stringify({ files: [...mesh, { path: 'contracts/bench/bench-batch/predictions.odcs.yaml', content: contract }] }));
    await call('POST', '/graphql', JSON.stringify({ query: `mutation { deployModel(name: "bench_batch", version: "1.0.0") { production } }` }));

    // Offline rows (two per entity: the older one must lose) through the ingest route, then online.
    for (let start = 0; start < E; start += 5000) {
      const lines: string[] = [];
      for (let d = start; d < Math.min(E, start + 5000); d++) {
        for (const age of [3_600_000, 60_000]) {
          const row: Record<string, unknown> = { driver_id: d, event_timestamp: new Date(T0 - age - (d % 600) * 1000).toISOString() };
          FEATURES.forEach((f, i) => (row[f] = ((d * 31 + i * 17 + age) % 1000) / 1000));
          lines.push(JSON.stringify(row));
        }
      }
      await call('POST', '/v1/data-products/bench-batch/ports/stats/rows', lines.join('\n'), { 'content-type': 'application/x-ndjson' });
    }
    await call('POST', '/materialize', JSON.stringify({ start_ts: new Date(0).toISOString(), end_ts: new Date(T0).toISOString(), feature_views: ['bench_batch'] }));

    const ids = Array.from({ length: E }, (_, d) => d);
    const batchRound = async (round: number): Promise<number> => {
      const t0 = performance.now();
      const asOf = new Date(T0 + round * 1000).toISOString(); // a new as-of per round: every row is new
      const { job } = (await call('POST', '/v1/models/bench_batch/batch-scoring', JSON.stringify({ as_of: asOf }))) as { job: { id: string } };
      for (;;) {
        const { job: j } = (await call('GET', `/v1/batch-scoring-jobs/${job.id}`)) as { job: { status: string; scored: number; inserted: number; error: string | null } };
        if (j.status === 'failed') throw new Error(`batch job failed: ${j.error}`);
        if (j.status === 'succeeded') {
          if (j.scored !== E || j.inserted !== E) throw new Error(`batch job scored ${j.scored}, inserted ${j.inserted} of ${E}`);
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return E / ((performance.now() - t0) / 1000);
    };
    const predictRound = async (batch: number): Promise<number> => {
      const t0 = performance.now();
      let next = 0;
      const lane = async () => {
        while (next < E) {
          const slice = ids.slice(next, (next += batch));
          const r = (await call('POST', '/v1/models/bench_batch/predict', JSON.stringify({ entities: { driver_id: slice } }))) as { outputs: { probability: unknown[] } };
          if (r.outputs.probability.length !== slice.length) throw new Error('short predict answer');
        }
      };
      await Promise.all(Array.from({ length: C }, lane));
      return E / ((performance.now() - t0) / 1000);
    };

    console.log(
      `batch scoring vs REST predict: ${E} entities, ${F} float features, logistic regression; batch chunk ${CHUNK} rows; predict ${C} requests in flight; ${ROUNDS} alternating rounds (machine shared, loaded)\n`,
    );
    await batchRound(-1); // warm-up: session load, JIT, plans
    for (const b of PREDICT_BATCHES) await predictRound(b);
    const batch: number[] = [];
    const predict = new Map<number, number[]>(PREDICT_BATCHES.map((b) => [b, []]));
    for (let r = 0; r < ROUNDS; r++) {
      batch.push(await batchRound(r));
      for (const b of PREDICT_BATCHES) predict.get(b)!.push(await predictRound(b));
    }
    const fmt = (xs: number[]) => [median(xs).toFixed(0), `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`];
    const rows: (string | number)[][] = [['batch job (PIT offline read + ONNX + write to port)', ...fmt(batch), '1.00×']];
    for (const [b, xs] of predict) rows.push([`REST predict, ${b} rows/request (online read + ONNX + answer)`, ...fmt(xs), `${(median(batch) / median(xs)).toFixed(2)}×`]);
    console.log(table(['path', 'rows/s (median)', 'spread (min–max)', 'batch / this'], rows));
  } finally {
    await app.get<OnlineStore>(ONLINE_STORE).deleteAll();
    await app.close();
    await dataSource.destroy();
    await admin.query(`DROP DATABASE ${DB} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
