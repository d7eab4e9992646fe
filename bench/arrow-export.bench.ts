/**
 * Arrow export of a training set (GET /v1/training-datasets/{name}/versions/{v}/rows, Accept: Arrow
 * stream, over HTTP) versus psql's binary COPY of the same rows, side by side on the same data.
 * The training set is saved through POST /v1/training-datasets from a point-in-time retrieval of
 * BENCH_EXPORT_ROWS entity rows (1M; quick: 100k) over the 5M-row pit table of pit-join.bench.ts.
 * Goal (issue 3): export ≥ 0.8× psql's speed.
 * Env: BENCH_EXPORT_ROWS, BENCH_EXPORT_REPEAT (3), BENCH_PIT_ROWS (feature rows, 5M; quick 200k), BENCH_QUICK=1.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { RecordBatchReader } from 'apache-arrow';
import { to as copyTo } from 'pg-copy-streams';
import { AUTH, startBenchApp } from './bench-app';
import { ensurePitRows } from './bench-load';
import { benchDbUrl, fmtMs, mb, median, ratio, size, table, timed } from './bench-support';
import { entityRows } from './pit-bench-data';

const FEATURE_ROWS = size('BENCH_PIT_ROWS', 5_000_000, 200_000);
const ROWS = size('BENCH_EXPORT_ROWS', 1_000_000, 100_000);
const REPEAT = size('BENCH_EXPORT_REPEAT', 3, 2);
const ARROW = 'application/vnd.apache.arrow.stream';

/** psql writing the binary COPY to /dev/null: the whole client cost of the baseline, no parsing. */
function psqlCopy(sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const devnull = openSync('/dev/null', 'w');
    const p = spawn('psql', [benchDbUrl(), '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', `COPY (${sql}) TO STDOUT (FORMAT binary)`], { stdio: ['ignore', devnull, 'inherit'] });
    p.on('exit', (code) => {
      closeSync(devnull);
      if (code === 0) resolve();
      else reject(new Error(`psql exited ${code}`));
    });
  });
}

async function main(): Promise<void> {
  const b = await startBenchApp();
  try {
    const view = await b.view('bench_pit');
    const load = await ensurePitRows(b.pool, view, FEATURE_ROWS);
    if (load.loaded) console.error(`loaded ${FEATURE_ROWS} feature rows in ${fmtMs(load.loadMs)}`);
    const e = entityRows(ROWS, Math.round(FEATURE_ROWS / 100));
    const name = `bench_export_${ROWS}`;
    const existing = await fetch(`${b.baseUrl}/v1/training-datasets/${name}/versions/1`, { headers: AUTH });
    if (existing.status !== 200) {
      const body = JSON.stringify({
        name,
        features: view.features.map((f) => `bench_pit:${f.name}`),
        entities: { driver_id: Array.from(e.driver), event_timestamp: Array.from(e.ts, (us) => new Date(us / 1000).toISOString()) },
      });
      const saved = await timed(() => fetch(`${b.baseUrl}/v1/training-datasets`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body }));
      if (saved.value.status !== 201 && saved.value.status !== 200) throw new Error(`save failed: ${saved.value.status} ${await saved.value.text()}`);
      console.error(`saved ${name} (${ROWS} rows) in ${fmtMs(saved.ms)}`);
    }
    const meta = (await (await fetch(`${b.baseUrl}/v1/training-datasets/${name}/versions/1`, { headers: AUTH })).json()) as { rowCount: number; columns: { name: string }[] };
    const [{ table: qualified }] = await b.dataSource.query<{ table: string }[]>(`SELECT format('%I.%I', 'tessera_datasets', $1::text) AS table`, [`${name}@1`]);
    const select = `SELECT ${meta.columns.map((c) => `"${c.name}"`).join(', ')} FROM ${qualified} ORDER BY _row`;

    const runs = { tessera: [] as number[], psql: [] as number[], raw: [] as number[] };
    let bytes = 0;
    let rows = 0;
    for (let r = 0; r < REPEAT; r++) {
      // Tessera over HTTP: the whole stream read by the client.
      const t = await timed(async () => {
        const res = await fetch(`${b.baseUrl}/v1/training-datasets/${name}/versions/1/rows`, { headers: { ...AUTH, accept: ARROW } });
        if (res.status !== 200) throw new Error(`export failed: ${res.status}`);
        let n = 0;
        for await (const chunk of res.body!) n += (chunk as Uint8Array).byteLength;
        return n;
      });
      runs.tessera.push(t.ms);
      bytes = t.value;
      runs.psql.push((await timed(() => psqlCopy(select))).ms);
      // In process, the same binary COPY through node-postgres, bytes only (the floor of our own path).
      const client = await b.pool.connect();
      try {
        runs.raw.push(
          (
            await timed(async () => {
              for await (const _chunk of client.query(copyTo(`COPY (${select}) TO STDOUT (FORMAT binary)`))) void _chunk;
            })
          ).ms,
        );
      } finally {
        client.release();
      }
    }
    // The answer is complete and readable: every row, in record batches.
    const res = await fetch(`${b.baseUrl}/v1/training-datasets/${name}/versions/1/rows`, { headers: { ...AUTH, accept: ARROW } });
    const reader = await RecordBatchReader.from(res.body as unknown as AsyncIterable<Uint8Array>);
    for await (const batch of reader) rows += batch.numRows;
    if (rows !== meta.rowCount || rows !== ROWS) throw new Error(`export gave ${rows} rows, expected ${ROWS}`);

    const m = { tessera: median(runs.tessera), psql: median(runs.psql), raw: median(runs.raw) };
    const rate = (ms: number) => `${Math.round(ROWS / (ms / 1000)).toLocaleString('en')} rows/s`;
    console.log(
      [
        `### Arrow export of a training set: ${ROWS.toLocaleString('en')} rows × ${meta.columns.length} columns (median of ${REPEAT})`,
        '',
        `Arrow stream ${mb(bytes)}; every run read to its end by the client; the export decoded once afterwards: ${rows.toLocaleString('en')} rows.`,
        '',
        table(
          ['path', 'time', 'rows/s', 'psql / path'],
          [
            ['Tessera: GET …/rows, Accept Arrow stream, over HTTP (binary COPY decoded into Arrow)', fmtMs(m.tessera), rate(m.tessera), ratio(m.psql / m.tessera)],
            ['psql: COPY … TO STDOUT (FORMAT binary) > /dev/null', fmtMs(m.psql), rate(m.psql), ratio(1)],
            ['node-postgres: the same binary COPY in process, bytes discarded', fmtMs(m.raw), rate(m.raw), ratio(m.psql / m.raw)],
          ],
        ),
        '',
        `- Tessera export / psql binary COPY speed = ${ratio(m.psql / m.tessera)} (goal ≥ 0.8×: ${m.psql / m.tessera >= 0.8 ? 'met' : 'not met'}). Runs: Tessera ${runs.tessera.map(fmtMs).join(', ')}; psql ${runs.psql.map(fmtMs).join(', ')}.`,
        '',
      ].join('\n'),
    );
  } finally {
    await b.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
