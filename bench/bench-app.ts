/**
 * The real Tessera application for the issue 3 benchmarks: createApp on the `tessera_bench` database,
 * listening on a real port, with the bench mesh applied through POST /v1/contracts/apply like any team
 * would. The mesh has one product with three table ports:
 *   pit  - driver_id, event_timestamp, created, conv_rate, acc_rate, avg_daily_trips (point-in-time join)
 *   wide - driver_id, event_timestamp, f00..f49 (online lookups of 50 features)
 *   mat  - driver_id, event_timestamp, conv_rate, acc_rate, avg_daily_trips (materialization)
 * Offline rows are loaded with COPY straight into the app's offline tables (ingestion has its own
 * figures in docs/benchmarks.md); `_tessera_row_hash` gets a unique synthetic value.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Pool } from 'pg';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { openDatabase } from '../src/database';
import { TesseraConfig } from '../src/config/tessera-config';
import { createApp } from '../src/create-app';
import { ONLINE_STORE, OnlineStore } from '../src/features/online/online-store';
import { FeatureViewResolver } from '../src/features/registry/feature-view-resolver';
import type { ResolvedFeatureView } from '../src/features/registry/resolved-feature-view';
import { ensureBenchDatabase, REDIS_URL } from './bench-support';

/** Bootstrap admin key of the bench app (authentication is always on). */
export const ADMIN_KEY = `bench-${randomBytes(12).toString('hex')}`;
export const AUTH = { authorization: `Bearer ${ADMIN_KEY}` };

export const WIDE_FEATURES = Array.from({ length: 50 }, (_, i) => `f${String(i).padStart(2, '0')}`);

const contract = (id: string, object: string, props: string[]) => `
apiVersion: v3.1.0
kind: DataContract
id: ${id}
version: 1.0.0
status: active
schema:
  - name: ${object}
    properties:
      - { name: driver_id, logicalType: integer, required: true }
      - { name: event_timestamp, logicalType: timestamp, required: true }
${props.map((p) => `      - ${p}`).join('\n')}
`;

const product = `
apiVersion: v1.0.0
kind: DataProduct
id: bench-features
name: Benchmark features
domain: bench
status: active
outputPorts:
  - { name: pit, version: 1.0.0, type: table, contractId: bench-pit-v1 }
  - { name: wide, version: 1.0.0, type: table, contractId: bench-wide-v1 }
  - { name: mat, version: 1.0.0, type: table, contractId: bench-mat-v1 }
`;

const registry = `
apiVersion: tessera/v1
kind: Entity
name: driver
joinKeys: [{ name: driver_id, type: integer }]
---
apiVersion: tessera/v1
kind: FeatureView
name: bench_pit
entities: [driver]
source: { dataProduct: bench-features, outputPort: pit }
timestampField: event_timestamp
createdTimestampField: created
ttl: 2d
online: false
features: [conv_rate, acc_rate, avg_daily_trips]
---
apiVersion: tessera/v1
kind: FeatureView
name: bench_pit_nottl
entities: [driver]
source: { dataProduct: bench-features, outputPort: pit }
timestampField: event_timestamp
createdTimestampField: created
ttl: 0
online: false
features: [conv_rate, acc_rate, avg_daily_trips]
---
apiVersion: tessera/v1
kind: FeatureView
name: bench_wide
entities: [driver]
source: { dataProduct: bench-features, outputPort: wide }
timestampField: event_timestamp
ttl: 0
online: true
features: [${WIDE_FEATURES.join(', ')}]
---
apiVersion: tessera/v1
kind: FeatureView
name: bench_mat
entities: [driver]
source: { dataProduct: bench-features, outputPort: mat }
timestampField: event_timestamp
ttl: 0
online: true
features: [conv_rate, acc_rate, avg_daily_trips]
`;

export const benchMeshFiles = (): { path: string; content: string }[] => [
  { path: 'contracts/bench/bench-features.odps.yaml', content: product },
  {
    path: 'contracts/bench/bench-features/pit.odcs.yaml',
    content: contract('bench-pit-v1', 'pit', [
      '{ name: created, logicalType: timestamp }',
      '{ name: conv_rate, logicalType: number }',
      '{ name: acc_rate, logicalType: number }',
      '{ name: avg_daily_trips, logicalType: integer }',
    ]),
  },
  {
    path: 'contracts/bench/bench-features/wide.odcs.yaml',
    content: contract(
      'bench-wide-v1',
      'wide',
      WIDE_FEATURES.map((f) => `{ name: ${f}, logicalType: number }`),
    ),
  },
  {
    path: 'contracts/bench/bench-features/mat.odcs.yaml',
    content: contract('bench-mat-v1', 'mat', ['{ name: conv_rate, logicalType: number }', '{ name: acc_rate, logicalType: number }', '{ name: avg_daily_trips, logicalType: integer }']),
  },
  { path: 'contracts/bench/features.yaml', content: registry },
];

export interface BenchApp {
  app: NestFastifyApplication;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  port: number;
  dataSource: DataSource;
  pool: Pool;
  store: OnlineStore;
  redisPrefix: string;
  view(name: string): Promise<ResolvedFeatureView>;
  /**
   * Server-side durations (ms) per route while `recording` is set: from Fastify's onRequest hook
   * (request headers parsed) to its onResponse hook (response handed to the socket).
   */
  serverTimes: Map<string, number[]>;
  /**
   * The same requests' Fastify `reply.elapsedTime` (ms): from before the app's own onRequest hooks
   * (authentication runs there, ahead of the hook above) to the response's 'finish'.
   */
  serverElapsed: Map<string, number[]>;
  recording: { on: boolean };
  close(): Promise<void>;
}

/** Starts Tessera on the bench database (Redis online store under a fresh `bench:` prefix). */
export async function startBenchApp(env: Record<string, string> = {}, options: { logTo?: DestinationStream } = {}): Promise<BenchApp> {
  const url = await ensureBenchDatabase();
  const redisPrefix = `bench:${randomBytes(4).toString('hex')}:`;
  const config = TesseraConfig.fromEnv({
    DATABASE_URL: url,
    REDIS_URL,
    TESSERA_ONLINE_STORE: 'redis',
    TESSERA_REDIS_PREFIX: redisPrefix,
    TESSERA_APPLY_ON_START: 'false',
    TESSERA_BODY_LIMIT_BYTES: String(512 * 2 ** 20),
    TESSERA_ADMIN_KEY: ADMIN_KEY,
    // The limiter stays on (its per-request cost is part of serving) but never refuses a bench request.
    TESSERA_RATE_LIMIT_PER_MINUTE: String(1e9),
    LOG_LEVEL: 'warn',
    ...env,
  });
  const dataSource = await openDatabase(url);
  // Logging off unless the bench asks for it (then one access line per request, written where it says).
  const app = await createApp(config, dataSource, options.logTo ? { logDestination: options.logTo } : { logger: false });
  const fastify = app.getHttpAdapter().getInstance();
  const serverTimes = new Map<string, number[]>();
  const serverElapsed = new Map<string, number[]>();
  const recording = { on: false };
  const started = new WeakMap<object, bigint>();
  fastify.addHook('onRequest', async (req) => {
    if (recording.on) started.set(req, process.hrtime.bigint());
  });
  fastify.addHook('onResponse', async (req, reply) => {
    const t0 = started.get(req);
    if (t0 === undefined) return;
    const path = req.url.split('?')[0];
    let list = serverTimes.get(path);
    if (!list) serverTimes.set(path, (list = []));
    list.push(Number(process.hrtime.bigint() - t0) / 1e6);
    let elapsed = serverElapsed.get(path);
    if (!elapsed) serverElapsed.set(path, (elapsed = []));
    elapsed.push(reply.elapsedTime);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;

  const res = await fetch(`${baseUrl}/v1/contracts/apply`, { method: 'POST', headers: { 'content-type': 'application/json', ...AUTH }, body: JSON.stringify({ files: benchMeshFiles(), dryRun: false }) });
  if (res.status !== 200) throw new Error(`applying the bench mesh failed: ${res.status} ${await res.text()}`);
  const resolver = app.get(FeatureViewResolver);
  const store = app.get<OnlineStore>(ONLINE_STORE);
  return {
    app,
    baseUrl,
    port,
    dataSource,
    pool: (dataSource.driver as unknown as { master: Pool }).master,
    store,
    redisPrefix,
    view: (name) => resolver.view(name),
    serverTimes,
    serverElapsed,
    recording,
    async close() {
      await store.deleteAll().catch(() => undefined); // every key under this run's bench: prefix
      await app.close();
      await dataSource.destroy();
    },
  };
}

/** `schema.table` of a view's offline table, quoted. */
export const qualifiedTable = (v: ResolvedFeatureView): string => `"${v.table.schema}"."${v.table.name}"`;
