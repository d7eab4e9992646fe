/**
 * Streaming ingestion over NATS JetStream (issue 13, ADR 0026) on the real app (bench database, Redis
 * online store, NATS at NATS_URL or 127.0.0.1:4222):
 * 1. throughput: N rows published at once into a stream source over the `mat` port (online view
 *    bench_mat), timed from the first publish to the last row stored offline and online; against the
 *    same number of rows sent as NDJSON to the HTTP ingest route (offline only: HTTP ingestion does not
 *    write online) in requests of one stream batch each, and in one request;
 * 2. publish-to-servable latency at a steady 1,000 messages/s for 5 s: each message a new entity, the
 *    online store polled every 5 ms (one round trip for every outstanding entity).
 * Run: `npx ts-node --transpile-only bench/stream-ingest.bench.ts`; env BENCH_QUICK=1, BENCH_STREAM_ROWS.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { DLQ_STREAM, dlqSubject } from '../src/features/streaming/dead-letter';
import { AUTH, benchMeshFiles, qualifiedTable, startBenchApp } from './bench-app';
import { deleteRedisPrefix, fmtMs, percentile, size, table } from './bench-support';
import { Redis } from 'ioredis';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const ROWS = size('BENCH_STREAM_ROWS', 50_000, 5_000);
const BATCH = 500;
const RATE = 1000;
const LATENCY_SECONDS = 5;

async function main(): Promise<void> {
  const id = randomBytes(4).toString('hex');
  const names = { source: `bench_${id}`, stream: `BENCH_${id}`, subject: `bench.mat.${id}` };
  const bench = await startBenchApp({ NATS_URL, TESSERA_STREAM_BATCH_ROWS: String(BATCH), TESSERA_STREAM_BATCH_WAIT_MS: '20' });
  const nc = await connect({ servers: NATS_URL });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  try {
    const doc = `apiVersion: tessera/v1\nkind: StreamSource\nname: ${names.source}\ndataProduct: bench-features\noutputPort: mat\nstream: ${names.stream}\nsubject: ${names.subject}\n`;
    const applied = await fetch(`${bench.baseUrl}/v1/contracts/apply`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ files: [...benchMeshFiles(), { path: 'stream.yaml', content: doc }] }),
    });
    if (!applied.ok) throw new Error(`apply: ${await applied.text()}`);
    const view = await bench.view('bench_mat');
    const offline = qualifiedTable(view);
    const count = async (): Promise<number> => Number((await bench.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${offline}`)).rows[0].n);
    for (let i = 0; i < 100 && !(await jsm.streams.info(names.stream).catch(() => null)); i++) await new Promise((r) => setTimeout(r, 50));

    // Driver ids: a range per phase, so no phase's rows collide with another's.
    const row = (driver: number, t: number) => ({ driver_id: driver, event_timestamp: new Date(t).toISOString(), conv_rate: Math.random(), acc_rate: Math.random(), avg_daily_trips: driver % 100 });
    const base = Date.now() - 86_400_000;
    const streamRows = Array.from({ length: ROWS }, (_, i) => row(1_000_000 + (i % 10_000), base + i));

    // 1. throughput
    const before = await count();
    const t0 = performance.now();
    for (let i = 0; i < ROWS; i += 1000) await Promise.all(streamRows.slice(i, i + 1000).map((r) => js.publish(names.subject, JSON.stringify(r))));
    const published = performance.now() - t0;
    while ((await count()) < before + ROWS) await new Promise((r) => setTimeout(r, 20));
    const streamMs = performance.now() - t0;

    const httpRows = streamRows.map((r, i) => ({ ...r, driver_id: 2_000_000 + (i % 10_000) }));
    const ndjson = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n');
    const postRows = (rows: object[]) =>
      fetch(`${bench.baseUrl}/v1/data-products/bench-features/ports/mat/rows`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/x-ndjson' }, body: ndjson(rows) });
    const h0 = performance.now();
    for (let i = 0; i < ROWS; i += BATCH) {
      const res = await postRows(httpRows.slice(i, i + BATCH));
      if (!res.ok) throw new Error(`ingest: ${await res.text()}`);
    }
    const httpBatchedMs = performance.now() - h0;
    const oneRows = streamRows.map((r, i) => ({ ...r, driver_id: 3_000_000 + (i % 10_000) }));
    const o0 = performance.now();
    const one = await postRows(oneRows);
    if (!one.ok) throw new Error(`ingest: ${await one.text()}`);
    const httpOneMs = performance.now() - o0;

    // 2. publish-to-servable latency at a steady rate
    const outstanding = new Map<number, number>();
    const latencies: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling || outstanding.size > 0) {
        const keys = [...outstanding.keys()];
        if (keys.length > 0) {
          const [entries] = await bench.store.read([{ view, featureIndexes: [0], entityKeys: keys.map((k) => [k]) }]);
          const now = performance.now();
          entries.forEach((e, i) => {
            if (e) {
              latencies.push(now - outstanding.get(keys[i])!);
              outstanding.delete(keys[i]);
            }
          });
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const total = RATE * LATENCY_SECONDS;
    const l0 = performance.now();
    for (let i = 0; i < total; i++) {
      const due = l0 + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const driver = 4_000_000 + i;
      outstanding.set(driver, performance.now());
      void js.publish(names.subject, JSON.stringify(row(driver, Date.now())));
    }
    polling = false;
    await poller;
    latencies.sort((a, b) => a - b);

    console.log(`\nStream ingestion, ${ROWS} rows (${BATCH} per batch), offline + online view bench_mat; HTTP offline only\n`);
    console.log(
      table(
        ['path', 'time', 'rows/s'],
        [
          [`stream (published in ${fmtMs(published)})`, fmtMs(streamMs), Math.round((ROWS * 1000) / streamMs)],
          [`HTTP NDJSON, ${BATCH} rows per request`, fmtMs(httpBatchedMs), Math.round((ROWS * 1000) / httpBatchedMs)],
          ['HTTP NDJSON, one request', fmtMs(httpOneMs), Math.round((ROWS * 1000) / httpOneMs)],
        ],
      ),
    );
    console.log(`\nPublish to servable online at ${RATE} messages/s for ${LATENCY_SECONDS} s (${latencies.length} messages, poll every 5 ms)\n`);
    console.log(table(['p50', 'p90', 'p99', 'max'], [[fmtMs(percentile(latencies, 50)), fmtMs(percentile(latencies, 90)), fmtMs(percentile(latencies, 99)), fmtMs(latencies[latencies.length - 1])]]));
  } finally {
    await jsm.streams.delete(names.stream).catch(() => undefined);
    await jsm.streams.purge(DLQ_STREAM, { filter: dlqSubject(names.source) }).catch(() => undefined);
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
