/**
 * Bulk loads of the bench tables: deterministic rows COPYed straight into the app's offline tables,
 * with their indexes dropped during the load and rebuilt after (minutes faster at 5M rows).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ResolvedFeatureView } from '../src/features/registry/resolved-feature-view';
import { qualifiedTable, WIDE_FEATURES } from './bench-app';
import { loadOnce } from './bench-support';
import { BASE_MS, featureRows, FeatureRows, rng, tsText } from './pit-bench-data';

/** CSV lines ~1 MB at a time. */
export function* chunked(n: number, line: (i: number) => string): Generator<string> {
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += line(i);
    if (buf.length > 1 << 20) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

async function bulkLoad(client: PoolClient, view: ResolvedFeatureView, columns: string[], lines: Iterable<string>): Promise<void> {
  const t = qualifiedTable(view);
  const idx = await client.query<{ indexname: string; indexdef: string }>('SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2', [view.table.schema, view.table.name]);
  await client.query(`SET TimeZone = 'UTC'`);
  // Month-partitioned offline tables (ADR 0030) only have partitions around today; the bench rows are of
  // 2024, so a partitioned table gets a DEFAULT partition to hold them.
  const kind = await client.query<{ relkind: string }>('SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2', [
    view.table.schema,
    view.table.name,
  ]);
  if (kind.rows[0]?.relkind === 'p') await client.query(`CREATE TABLE IF NOT EXISTS "${view.table.schema}"."${view.table.name}__bench_default" PARTITION OF ${t} DEFAULT`);
  await client.query(`TRUNCATE ${t}`);
  for (const i of idx.rows) await client.query(`DROP INDEX "${view.table.schema}"."${i.indexname}"`);
  await pipeline(Readable.from(lines), client.query(copyFrom(`COPY ${t} (${columns.join(', ')}, _tessera_row_hash) FROM STDIN (FORMAT csv)`)));
  await client.query('SET maintenance_work_mem = 1048576'); // 1 GiB in kB: index builds sort in memory
  for (const i of idx.rows) await client.query(i.indexdef);
  await client.query(`VACUUM (ANALYZE) ${t}`).catch(() => client.query(`ANALYZE ${t}`));
}

/** The point-in-time feature rows (pit-bench-data.ts) of `n` rows; the generated rows are returned for DuckDB. */
export async function ensurePitRows(pool: Pool, view: ResolvedFeatureView, n: number): Promise<{ rows: FeatureRows; loadMs: number; loaded: boolean }> {
  const f = featureRows(n);
  const created = (i: number) => (Number.isNaN(f.created[i]) ? '' : tsText(f.created[i]));
  const r = await loadOnce(pool, `pit:${view.table.name}`, f.length, 1, (c) =>
    bulkLoad(
      c,
      view,
      ['driver_id', 'event_timestamp', 'created', 'conv_rate', 'acc_rate', 'avg_daily_trips'],
      chunked(f.length, (i) => `${f.driver[i]},${tsText(f.ts[i])},${created(i)},${f.conv[i]},${f.acc[i]},${f.trips[i]},p${i}\n`),
    ),
  );
  return { rows: f, loadMs: r.ms, loaded: r.loaded };
}

/** Value of wide feature `f` of entity `e`: deterministic, 6 decimals (typical float feature width). */
export const wideValue = (e: number, f: number): number => Math.round(((e * 7919 + f * 104729) % 1_000_003) / 1.000003) / 1e6;

/** One row per entity 0..n-1 of the 50-feature table, all at one event time (the view has no ttl). */
export async function ensureWideRows(pool: Pool, view: ResolvedFeatureView, n: number): Promise<{ loadMs: number }> {
  const ts = tsText(BASE_MS * 1000);
  const r = await loadOnce(pool, `wide:${view.table.name}`, n, 2, (c) =>
    bulkLoad(
      c,
      view,
      ['driver_id', 'event_timestamp', ...WIDE_FEATURES],
      chunked(n, (e) => `${e},${ts},${WIDE_FEATURES.map((_, f) => wideValue(e, f)).join(',')},w${e}\n`),
    ),
  );
  return { loadMs: r.ms };
}

/** Materialization rows: one per entity 0..n-1 at random hours of 2024 (so the latest row is the row). */
export function matRow(e: number, r: () => number): { ts: number; conv: number; acc: number; trips: number } {
  return { ts: BASE_MS + Math.floor(r() * 8760) * 3_600_000, conv: Math.round(r() * 1e6) / 1e6, acc: Math.round(r() * 1e6) / 1e6, trips: Math.floor(r() * 500) + (e % 2) };
}

/**
 * `n` materialization rows over `drivers` entities (default: one row each). With fewer drivers, row i
 * is driver i % drivers's k-th row (k = i / drivers, rounded down) at a random hour of the k-th of
 * ceil(n / drivers) equal slices of 2024, so every driver's rows have distinct event times and the
 * latest is its last one.
 */
export async function ensureMatRows(pool: Pool, view: ResolvedFeatureView, n: number, drivers = n): Promise<{ loadMs: number; loaded: boolean }> {
  const perDriver = Math.ceil(n / drivers);
  const slot = Math.floor(8760 / perDriver);
  const r = await loadOnce(pool, `mat:${view.table.name}`, n, drivers === n ? 3 : 3 + 1000 * perDriver + (drivers % 1000), (c) => {
    const rand = rng(3);
    return bulkLoad(
      c,
      view,
      ['driver_id', 'event_timestamp', 'conv_rate', 'acc_rate', 'avg_daily_trips'],
      chunked(n, (i) => {
        const e = i % drivers;
        const x = matRow(e, rand);
        if (drivers !== n) x.ts = BASE_MS + (Math.floor(i / drivers) * slot + (((x.ts - BASE_MS) / 3_600_000) % slot)) * 3_600_000;
        return `${e},${tsText(x.ts * 1000)},${x.conv},${x.acc},${x.trips},m${i}\n`;
      }),
    );
  });
  return { loadMs: r.ms, loaded: r.loaded };
}
