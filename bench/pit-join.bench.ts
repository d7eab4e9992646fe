/**
 * Point-in-time join at the issue's sizes (default 5M feature rows: 50k drivers x 100 rows; 100k and
 * 1M entity rows), ttl 2 days and no ttl, on the real app's offline table and index:
 *   - Tessera's PointInTimeEngine end to end (entity COPY + join + fetch; default 2 connections, and 1)
 *   - the engine's LATERAL ... LIMIT 1 SQL alone (entities already loaded; join + fetch)
 *   - Feast's PostgreSQL shape: join every candidate, row_number() per entity row (same temp table)
 *   - DuckDB's ASOF JOIN, in-process, on the same rows (query + fetch; tables already in memory)
 * Every strategy's rows are digested in order and must match. Data stays in the `tessera_bench`
 * database between runs. Run: `npx ts-node --transpile-only bench/pit-join.bench.ts`.
 * Env: BENCH_PIT_ROWS, BENCH_ENTITY_ROWS (comma list), BENCH_PIT_REPEAT, BENCH_PIT_SLOW_REPEAT (Feast SQL
 * from 1M entity rows), BENCH_PIT_TTL (both|ttl|none), BENCH_PIT_WINDOW=1 (window SQL too),
 * BENCH_PIT_EXPLAIN=1 (EXPLAIN ANALYZE to stderr), BENCH_QUICK=1, PIT_BENCH_JIT=on.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { createWriteStream, existsSync, renameSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ResolvedFeatureView } from '../src/features/registry/resolved-feature-view';
import { PointInTimeEngine } from '../src/features/retrieval/point-in-time.engine';
import { startBenchApp } from './bench-app';
import { chunked, ensurePitRows } from './bench-load';
import { fmtMs, median, ratio, RowDigest, size, sizes, table, timed } from './bench-support';
import { entityRows, FeatureRows, tsText } from './pit-bench-data';
import { canonRow, duckAsofSql, feastSql, JIT, runPgStrategy, Strategy, windowSql } from './pit-bench-strategies';

const FEATURE_ROWS = size('BENCH_PIT_ROWS', 5_000_000, 200_000);
const ENTITY_SIZES = sizes('BENCH_ENTITY_ROWS', [100_000, 1_000_000], [20_000]);
const REPEAT = size('BENCH_PIT_REPEAT', 3, 1);
const SLOW_REPEAT = size('BENCH_PIT_SLOW_REPEAT', 1, 1);
const TTL_MODE = process.env.BENCH_PIT_TTL ?? 'both';
const TTLS = [...(TTL_MODE !== 'none' ? [2 * 86400] : []), ...(TTL_MODE !== 'ttl' ? [0] : [])];
const WINDOW = process.env.BENCH_PIT_WINDOW === '1';
const EXPLAIN = process.env.BENCH_PIT_EXPLAIN === '1';

interface Result {
  entities: number;
  ttl: number;
  name: string;
  ms: number;
  runs: number[];
  digest: string;
}

async function writeOnce(path: string, lines: Iterable<string>): Promise<void> {
  if (existsSync(path)) return;
  await pipeline(Readable.from(lines), createWriteStream(`${path}.part`));
  renameSync(`${path}.part`, path);
}

async function main(): Promise<void> {
  const b = await startBenchApp();
  const results: Result[] = [];
  const notes: string[] = [];
  try {
    const views: Record<number, ResolvedFeatureView> = { [2 * 86400]: await b.view('bench_pit'), 0: await b.view('bench_pit_nottl') };
    console.error(`feature rows: ${FEATURE_ROWS}`);
    const load = await ensurePitRows(b.pool, views[0], FEATURE_ROWS);
    console.error(load.loaded ? `loaded ${FEATURE_ROWS} rows + indexes in ${fmtMs(load.loadMs)}` : 'feature rows already loaded');
    const f: FeatureRows = load.rows;
    const drivers = Math.round(FEATURE_ROWS / 100);
    const pgVersion = (await b.pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v;
    const relSize = (
      await b.pool.query<{ t: string; i: string }>(`SELECT pg_size_pretty(pg_table_size($1::regclass)) AS t, pg_size_pretty(pg_indexes_size($1::regclass)) AS i`, [
        `"${views[0].table.schema}"."${views[0].table.name}"`,
      ])
    ).rows[0];
    notes.push(`PostgreSQL ${pgVersion} (shared_buffers 128 MB, work_mem 4 MB, defaults), ${cpus().length} cores, JIT ${JIT} for the SQL-level runs; feature table ${relSize.t} + indexes ${relSize.i}.`);

    const fPath = join(tmpdir(), `tessera-bench-pit-features-${f.length}.csv`);
    await writeOnce(
      fPath,
      chunked(f.length, (i) => `${f.driver[i]},${tsText(f.ts[i])},${Number.isNaN(f.created[i]) ? '' : tsText(f.created[i])},${f.conv[i]},${f.acc[i]},${f.trips[i]}\n`),
    );
    const duck = await DuckDBInstance.create(':memory:');
    const dc = await duck.connect();
    await dc.run(
      `CREATE TABLE f AS SELECT * FROM read_csv('${fPath}', header = false, nullstr = '', columns = {'driver_id': 'BIGINT', 'event_timestamp': 'TIMESTAMP', 'created': 'TIMESTAMP', 'conv_rate': 'DOUBLE', 'acc_rate': 'DOUBLE', 'avg_daily_trips': 'BIGINT'})`,
    );
    const duckThreads = (await dc.runAndReadAll(`SELECT current_setting('threads') AS t`)).getColumnsJS()[0][0];
    notes.push(`DuckDB ${String((await dc.runAndReadAll('SELECT version()')).getColumnsJS()[0][0])} in-process, ${String(duckThreads)} threads, tables in memory.`);

    for (const E of ENTITY_SIZES) {
      const e = entityRows(E, drivers);
      const entities = { driver_id: Array.from(e.driver), event_timestamp: Array.from(e.ts, (us) => us / 1000) };
      const ePath = join(tmpdir(), `tessera-bench-pit-entities-${E}-${drivers}.csv`);
      await writeOnce(
        ePath,
        chunked(E, (i) => `${i},${e.driver[i]},${tsText(e.ts[i])}\n`),
      );
      await dc.run(`CREATE OR REPLACE TABLE e AS SELECT * FROM read_csv('${ePath}', header = false, columns = {'_row': 'BIGINT', 'driver_id': 'BIGINT', 'ts': 'TIMESTAMP'})`);
      const slow = E >= 1_000_000 ? SLOW_REPEAT : REPEAT;

      for (const ttl of TTLS) {
        const v = views[ttl];
        const request = { entities, features: v.features.map((x) => ({ view: v, feature: x.name })) };
        const add = (name: string, runs: number[], digest: string) => {
          results.push({ entities: E, ttl, name, ms: median(runs), runs, digest });
          console.error(`E=${E} ttl=${ttl} ${name}: ${runs.map(fmtMs).join(', ')} ${digest}`);
        };

        for (const [name, engine] of [
          ['Tessera engine end to end, 2 connections (default)', new PointInTimeEngine(b.pool)],
          ['Tessera engine end to end, 1 connection', new PointInTimeEngine(b.pool, { parallelThreshold: Infinity })],
        ] as const) {
          const runs: number[] = [];
          let digest = '';
          for (let r = 0; r < REPEAT; r++) {
            const d = new RowDigest();
            const t = await timed(async () => {
              for await (const c of engine.chunks(await engine.prepare(request))) for (let i = 0; i < c.length; i++) d.add(canonRow(c.features[0][i], c.features[1][i], c.features[2][i]));
            });
            runs.push(t.ms);
            digest = d.hex();
          }
          add(name, runs, digest);
        }

        const prepared = await new PointInTimeEngine(b.pool).prepare(request);
        const strategies: (Strategy & { repeat: number })[] = [
          { name: 'LATERAL … LIMIT 1 SQL alone (entities preloaded)', sql: 'engine', repeat: REPEAT },
          { name: 'Feast-style join + row_number() SQL (entities preloaded)', sql: feastSql(v), repeat: slow },
          ...(WINDOW ? [{ name: 'window carry-forward SQL (entities preloaded)', sql: windowSql(v), repeat: slow }] : []),
        ];
        for (const s of strategies) {
          const runs: number[] = [];
          let digest = '';
          for (let r = 0; r < s.repeat; r++) {
            const out = await runPgStrategy(b.pool, prepared, s);
            runs.push(out.queryMs);
            digest = out.digest.hex();
          }
          add(s.name, runs, digest);
          if (EXPLAIN && E === ENTITY_SIZES[0]) console.error(`EXPLAIN ANALYZE ${s.name} (E=${E}, ttl=${ttl}):\n${(await runPgStrategy(b.pool, prepared, s, true)).plan}`);
        }

        const runs: number[] = [];
        let digest = '';
        for (let r = 0; r < REPEAT; r++) {
          const t = await timed(() => dc.runAndReadAll(duckAsofSql(ttl)));
          const [, conv, acc, trips] = t.value.getColumnsJS() as unknown[][];
          const d = new RowDigest();
          for (let i = 0; i < conv.length; i++) d.add(canonRow(conv[i], acc[i], trips[i]));
          runs.push(t.ms);
          digest = d.hex();
        }
        add('DuckDB ASOF JOIN (in-process, in memory)', runs, digest);
      }
    }
    dc.closeSync();
    console.log(report(results, notes));
  } finally {
    await b.close();
  }
}

function report(results: Result[], notes: string[]): string {
  const out: string[] = [`### Point-in-time join: ${FEATURE_ROWS.toLocaleString('en')} feature rows (median of ${REPEAT}; Feast SQL at 1M entity rows: ${SLOW_REPEAT} run)`, '', ...notes, ''];
  const ENGINE = 'Tessera engine end to end, 2 connections (default)';
  for (const E of ENTITY_SIZES) {
    const rows = results.filter((r) => r.entities === E);
    const names = [...new Set(rows.map((r) => r.name))];
    const cell = (name: string, ttl: number) => rows.find((r) => r.name === name && r.ttl === ttl);
    const header = ['strategy', ...TTLS.flatMap((t) => [t ? 'ttl 2 days' : 'no ttl', 'vs engine'])];
    const body = names.map((n) => [
      n,
      ...TTLS.flatMap((t) => {
        const c = cell(n, t)!;
        return [fmtMs(c.ms), ratio(c.ms / cell(ENGINE, t)!.ms)];
      }),
    ]);
    out.push(`**${E.toLocaleString('en')} entity rows**`, '', table(header, body), '');
    for (const t of TTLS) {
      const ref = cell(ENGINE, t)!.digest;
      const same = rows.filter((r) => r.ttl === t).every((r) => r.digest === ref);
      const duck = cell('DuckDB ASOF JOIN (in-process, in memory)', t)!.ms;
      const feast = cell('Feast-style join + row_number() SQL (entities preloaded)', t)!.ms;
      const lateral = cell('LATERAL … LIMIT 1 SQL alone (entities preloaded)', t)!.ms;
      const goal = E <= 100_000 ? 1.5 : 3;
      out.push(
        `- ${t ? 'ttl 2 days' : 'no ttl'}: digest of all rows ${same ? `identical for every strategy (${ref})` : '**DIFFERS**'}; ` +
          `engine / DuckDB = ${ratio(cell(ENGINE, t)!.ms / duck)} (goal ≤ ${goal}×, SQL alone ${ratio(lateral / duck)}); ` +
          `Feast SQL / LATERAL SQL = ${ratio(feast / lateral)} (goal ≥ 8×; vs engine end to end ${ratio(feast / cell(ENGINE, t)!.ms)}).`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
