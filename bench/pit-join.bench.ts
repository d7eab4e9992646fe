/**
 * Point-in-time join strategies on one data set (default 1M feature rows, 100k entity rows, index on
 * (driver_id, event_timestamp DESC, created DESC)), each checked to give the same answer:
 *   - LATERAL ... ORDER BY ts DESC, created DESC NULLS LAST LIMIT 1 (what PointInTimeEngine runs)
 *   - Feast-style: join every candidate row inside the ttl window, then row_number() per entity row
 *   - window/ASOF-style: union entity and feature rows, carry the last feature row forward per key
 *   - DuckDB's ASOF JOIN (in-process, same rows via CSV)
 * and the engine end to end (COPY, join, decoding), serial vs. split across connections sharing one
 * exported snapshot. Run: `npx ts-node --transpile-only bench/pit-join.bench.ts`
 * (env: DATABASE_URL, PIT_BENCH_FEATURE_ROWS, PIT_BENCH_ENTITY_ROWS, PIT_BENCH_REPEAT; PIT_BENCH_JIT=on runs
 * the SQL-level strategies with the server's JIT, which the engine turns off; PIT_BENCH_INDEX_NULLS=first).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client, Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ResolvedFeatureView } from '../src/features/registry/resolved-feature-view';
import { PointInTimeEngine } from '../src/features/retrieval/point-in-time.engine';
import { entityRows, featureRows, tsText } from './pit-bench-data';
import { duckAsofSql, feastSql, JIT, runPgStrategy, Strategy, windowSql } from './pit-bench-strategies';

const FEATURE_ROWS = Number(process.env.PIT_BENCH_FEATURE_ROWS ?? 1_000_000);
const ENTITY_ROWS = Number(process.env.PIT_BENCH_ENTITY_ROWS ?? 100_000);
const REPEAT = Number(process.env.PIT_BENCH_REPEAT ?? 3);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const DB = 'tessera_pit_bench';
/**
 * `created DESC` alone means NULLS FIRST in an index, which cannot serve the join's
 * `created DESC NULLS LAST`: every probe then sorts its candidates. PIT_BENCH_INDEX_NULLS=first shows it.
 */
const CREATED_ORDER = process.env.PIT_BENCH_INDEX_NULLS === 'first' ? 'created DESC' : 'created DESC NULLS LAST';

function view(ttlSeconds: number): ResolvedFeatureView {
  return {
    name: `driver_stats_ttl${ttlSeconds}`,
    joinKeys: [{ name: 'driver_id', column: 'driver_id', type: 'integer' }],
    table: { schema: 'bench', name: 'driver_stats' },
    timestampColumn: 'event_timestamp',
    createdTimestampColumn: 'created',
    ttlSeconds,
    online: false,
    features: [
      { name: 'conv_rate', column: 'conv_rate', type: 'number' },
      { name: 'acc_rate', column: 'acc_rate', type: 'number' },
      { name: 'avg_daily_trips', column: 'avg_daily_trips', type: 'integer' },
    ],
    version: 'bench',
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let pgVersion = '';
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function main(): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB}`;
  const pool = new Pool({ connectionString: url.toString(), max: 8 });
  try {
    console.error(`generating ${FEATURE_ROWS} feature rows, ${ENTITY_ROWS} entity rows`);
    const f = featureRows(FEATURE_ROWS);
    const drivers = Math.round(FEATURE_ROWS / 100);
    const e = entityRows(ENTITY_ROWS, drivers);
    const featureCsv = (i: number) =>
      `${f.driver[i]},${tsText(f.ts[i])},${Number.isNaN(f.created[i]) ? '' : tsText(f.created[i])},${f.conv[i]},${f.acc[i]},${f.trips[i]}\n`;

    const setup = await timed(async () => {
      await pool.query(`CREATE SCHEMA bench; CREATE TABLE bench.driver_stats (driver_id bigint, event_timestamp timestamptz, created timestamptz, conv_rate double precision, acc_rate double precision, avg_daily_trips bigint)`);
      const client = await pool.connect();
      try {
        await client.query(`SET TimeZone = 'UTC'`);
        const lines = function* () {
          let buf = '';
          for (let i = 0; i < f.length; i++) {
            buf += featureCsv(i);
            if (buf.length > 1 << 20) yield buf, (buf = '');
          }
          yield buf;
        };
        await pipeline(Readable.from(lines()), client.query(copyFrom(`COPY bench.driver_stats FROM STDIN (FORMAT csv)`)));
      } finally {
        client.release();
      }
      await pool.query(`CREATE INDEX driver_stats_pit ON bench.driver_stats (driver_id, event_timestamp DESC, ${CREATED_ORDER}); ANALYZE bench.driver_stats`);
    });
    console.error(`postgres load + index: ${ms(setup.ms)}`);
    pgVersion = (await pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v;

    const entities = { driver_id: Array.from(e.driver), event_timestamp: Array.from(e.ts, (us) => us / 1000) };
    const results: { name: string; ttl: number; ms: number; canon: string[] }[] = [];
    const loads: number[] = [];
    for (const ttl of [2 * 86400, 0]) {
      const v = view(ttl);
      const engine = new PointInTimeEngine(pool, { parallelThreshold: Infinity });
      const prepared = await engine.prepare({ entities, features: v.features.map((x) => ({ view: v, feature: x.name })) });
      const strategies: Strategy[] = [
        { name: 'LATERAL … LIMIT 1 (engine SQL)', sql: 'engine' },
        { name: 'Feast-style join + row_number()', sql: feastSql(v) },
        { name: 'window carry-forward (ASOF-style)', sql: windowSql(v) },
      ];
      for (const s of strategies) {
        const runs: number[] = [];
        let canon: string[] = [];
        for (let r = 0; r < REPEAT; r++) {
          const out = await runPgStrategy(pool, prepared, s);
          runs.push(out.queryMs);
          loads.push(out.loadMs);
          canon = out.canon;
        }
        results.push({ name: s.name, ttl, ms: median(runs), canon });
        console.error(`${s.name} ttl=${ttl}: ${runs.map(ms).join(', ')}`);
      }
      if (ttl === 2 * 86400) {
        const plan = await explainLateral(pool, prepared);
        console.error(`LATERAL plan:\n${plan}`);
      }
    }

    // DuckDB: the same rows through CSV files, ASOF JOIN after deduplicating (keys, event time) by created.
    const dir = tmpdir();
    const fPath = join(dir, 'pit-bench-features.csv');
    const ePath = join(dir, 'pit-bench-entities.csv');
    writeFileSync(fPath, Array.from({ length: f.length }, (_, i) => featureCsv(i)).join(''));
    writeFileSync(ePath, Array.from({ length: e.length }, (_, i) => `${i},${e.driver[i]},${tsText(e.ts[i])}\n`).join(''));
    const duck = await DuckDBInstance.create(':memory:');
    const dc = await duck.connect();
    await dc.run(`CREATE TABLE f AS SELECT * FROM read_csv('${fPath}', header = false, nullstr = '', columns = {'driver_id': 'BIGINT', 'event_timestamp': 'TIMESTAMP', 'created': 'TIMESTAMP', 'conv_rate': 'DOUBLE', 'acc_rate': 'DOUBLE', 'avg_daily_trips': 'BIGINT'})`);
    await dc.run(`CREATE TABLE e AS SELECT * FROM read_csv('${ePath}', header = false, columns = {'_row': 'BIGINT', 'driver_id': 'BIGINT', 'ts': 'TIMESTAMP'})`);
    for (const ttl of [2 * 86400, 0]) {
      const runs: number[] = [];
      let canon: string[] = [];
      for (let r = 0; r < REPEAT; r++) {
        const t = await timed(() => dc.runAndReadAll(duckAsofSql(ttl)));
        runs.push(t.ms);
        const [, conv, acc, trips] = t.value.getColumnsJS() as unknown[][];
        canon = conv.map((_, i) => [conv[i], acc[i], trips[i]].map((x) => (x === null ? '' : String(x))).join('|'));
      }
      results.push({ name: 'DuckDB ASOF JOIN (in-process)', ttl, ms: median(runs), canon });
      console.error(`duckdb ttl=${ttl}: ${runs.map(ms).join(', ')}`);
    }
    dc.closeSync();

    // The engine end to end: validation, COPY, join, decoding to JSON columns; serial vs. split.
    const e2e: { name: string; ms: number }[] = [];
    const v = view(2 * 86400);
    const request = { entities, features: v.features.map((x) => ({ view: v, feature: x.name })) };
    let reference: string[] | null = null;
    for (const workers of [1, 2, 3, 4]) {
      const engine = new PointInTimeEngine(pool, { parallelThreshold: workers > 1 ? 1 : Infinity, parallelism: workers });
      const runs: number[] = [];
      for (let r = 0; r < REPEAT; r++) {
        const t = await timed(() => engine.retrieve(request));
        runs.push(t.ms);
        const c = t.value.columns;
        const canon = c.conv_rate.map((_, i) => [c.conv_rate[i], c.acc_rate[i], c.avg_daily_trips[i]].map((x) => (x === null ? '' : String(x))).join('|'));
        reference ??= canon;
        if (canon.some((x, i) => x !== reference![i])) throw new Error(`engine with ${workers} connection(s) differs from the serial engine`);
      }
      e2e.push({ name: workers === 1 ? 'engine, 1 connection' : `engine, ${workers} connections, shared snapshot`, ms: median(runs) });
      console.error(`engine ${workers}: ${runs.map(ms).join(', ')}`);
    }
    for (const workers of [1, 2]) {
      const engine = new PointInTimeEngine(pool, { parallelThreshold: workers > 1 ? 1 : Infinity, parallelism: workers });
      const runs: number[] = [];
      let bytes = 0;
      for (let r = 0; r < REPEAT; r++) {
        const t = await timed(async () => {
          bytes = 0;
          for await (const part of engine.arrow(await engine.prepare(request))) bytes += part.byteLength;
        });
        runs.push(t.ms);
      }
      e2e.push({ name: `engine → Arrow IPC stream, ${workers} connection${workers > 1 ? 's' : ''} (${(bytes / 1e6).toFixed(1)} MB)`, ms: median(runs) });
    }

    printReport(results, median(loads), e2e, reference!);
  } finally {
    await pool.end();
    // pool.end() resolves before the backends have gone; a FORCE drop racing them kills live sockets.
    await new Promise((r) => setTimeout(r, 500));
    if (!process.env.PIT_BENCH_KEEP) await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin.end();
  }
}

async function explainLateral(pool: Pool, prepared: Awaited<ReturnType<PointInTimeEngine['prepare']>>): Promise<string> {
  const out = await runPgStrategy(pool, prepared, { name: 'explain', sql: 'engine' }, true);
  return out.plan ?? '';
}

function printReport(results: { name: string; ttl: number; ms: number; canon: string[] }[], loadMs: number, e2e: { name: string; ms: number }[], engineCanon: string[]): void {
  const lines: string[] = [];
  lines.push(`## Point-in-time join: ${FEATURE_ROWS.toLocaleString('en')} feature rows, ${ENTITY_ROWS.toLocaleString('en')} entity rows (median of ${REPEAT})`);
  lines.push('');
  lines.push(`Index: (driver_id, event_timestamp DESC, ${CREATED_ORDER}); PostgreSQL ${pgVersion}, ${cpus().length} cores; JIT ${JIT}.`);
  lines.push('');
  lines.push(`Entity temp table load (COPY + ANALYZE), common to the PostgreSQL strategies: ${ms(loadMs)}. Times below: query + fetch of all rows.`);
  lines.push('');
  lines.push('| strategy | ttl 2 days | ratio | ttl none | ratio | same answer as LATERAL |');
  lines.push('|---|---:|---:|---:|---:|---|');
  const names = [...new Set(results.map((r) => r.name))];
  const lateral = (ttl: number) => results.find((r) => r.ttl === ttl && r.name.startsWith('LATERAL'))!;
  for (const n of names) {
    const a = results.find((r) => r.name === n && r.ttl === 2 * 86400)!;
    const b = results.find((r) => r.name === n && r.ttl === 0)!;
    const same = [a, b].every((r) => r.canon.length === lateral(r.ttl).canon.length && r.canon.every((x, i) => x === lateral(r.ttl).canon[i]));
    lines.push(`| ${n} | ${ms(a.ms)} | ${(a.ms / lateral(a.ttl).ms).toFixed(2)}× | ${ms(b.ms)} | ${(b.ms / lateral(b.ttl).ms).toFixed(2)}× | ${same ? 'yes' : '**NO**'} |`);
  }
  const engineSame = engineCanon.every((x, i) => x === lateral(2 * 86400).canon[i]);
  lines.push('');
  lines.push(`End to end through PointInTimeEngine (ttl 2 days; validation, COPY, join, decoding; answer equals the SQL-level one: ${engineSame ? 'yes' : '**NO**'}):`);
  lines.push('');
  lines.push('| engine | time | ratio |');
  lines.push('|---|---:|---:|');
  for (const x of e2e) lines.push(`| ${x.name} | ${ms(x.ms)} | ${(x.ms / e2e[0].ms).toFixed(2)}× |`);
  console.log(lines.join('\n'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
