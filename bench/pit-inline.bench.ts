/**
 * The read replica's point-in-time path (ADR 0031: entity rows inlined as unnest() parameters, since
 * a hot standby refuses temp tables) against the primary's (entity rows COPYed into a temp table),
 * side by side on the same server and data, interleaved run by run. Both must produce the same rows.
 * Run: `npx ts-node --transpile-only bench/pit-inline.bench.ts`.
 * Env: BENCH_PIT_ROWS (feature rows, 1M; quick 200k), BENCH_ENTITY_ROWS (comma list; 10k,100k; quick 10k),
 * BENCH_PIT_REPEAT (5; quick 3), BENCH_QUICK=1.
 */
import { cpus } from 'node:os';
import { PointInTimeEngine } from '../src/features/retrieval/point-in-time.engine';
import { startBenchApp } from './bench-app';
import { ensurePitRows } from './bench-load';
import { fmtMs, median, ratio, RowDigest, size, sizes, table, timed } from './bench-support';
import { entityRows } from './pit-bench-data';
import { canonRow } from './pit-bench-strategies';

const FEATURE_ROWS = size('BENCH_PIT_ROWS', 1_000_000, 200_000);
const ENTITY_SIZES = sizes('BENCH_ENTITY_ROWS', [10_000, 100_000], [10_000]);
const REPEAT = size('BENCH_PIT_REPEAT', 5, 3);

async function main(): Promise<void> {
  const b = await startBenchApp();
  const rows: (string | number)[][] = [];
  try {
    const view = await b.view('bench_pit_nottl');
    const load = await ensurePitRows(b.pool, view, FEATURE_ROWS);
    const drivers = Math.round(FEATURE_ROWS / 100);
    const engines = [
      ['temp table, 1 connection (primary path)', new PointInTimeEngine(b.pool, { parallelThreshold: Infinity })],
      ['inline parameters (replica path)', new PointInTimeEngine(b.pool, { inline: true })],
    ] as const;
    for (const E of ENTITY_SIZES) {
      const e = entityRows(E, drivers);
      const request = { entities: { driver_id: Array.from(e.driver), event_timestamp: Array.from(e.ts, (us) => us / 1000) }, features: view.features.map((x) => ({ view, feature: x.name })) };
      const runs = engines.map(() => [] as number[]);
      const digests = engines.map(() => '');
      for (let r = 0; r < REPEAT; r++) {
        // Interleaved, the order flipped every run: neither path always gets the warmer cache.
        const order = r % 2 === 0 ? [0, 1] : [1, 0];
        for (const i of order) {
          const engine = engines[i][1];
          const d = new RowDigest();
          const t = await timed(async () => {
            for await (const c of engine.chunks(await engine.prepare(request))) for (let k = 0; k < c.length; k++) d.add(canonRow(c.features[0][k], c.features[1][k], c.features[2][k]));
          });
          runs[i].push(t.ms);
          digests[i] = d.hex();
        }
      }
      if (digests[0] !== digests[1]) throw new Error(`E=${E}: the two paths returned different rows`);
      const base = median(runs[0]);
      engines.forEach(([name], i) => {
        const sorted = [...runs[i]].sort((x, y) => x - y);
        rows.push([E.toLocaleString('en'), name, fmtMs(median(runs[i])), `${fmtMs(sorted[0])} – ${fmtMs(sorted[sorted.length - 1])}`, ratio(median(runs[i]) / base)]);
      });
    }
    console.log(
      [
        `### Point-in-time: replica path (inline entity rows) vs primary path (temp table), ${FEATURE_ROWS.toLocaleString('en')} feature rows, no ttl (median of ${REPEAT}, interleaved)`,
        '',
        `${cpus().length} cores shared with other work (loaded machine); same server and data for both; rows identical (digest).${load.loaded ? '' : ' Feature rows already loaded.'}`,
        '',
        table(['entity rows', 'path', 'median', 'range', 'vs temp table'], rows),
      ].join('\n'),
    );
  } finally {
    await b.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
