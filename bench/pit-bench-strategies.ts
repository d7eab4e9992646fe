import type { Pool } from 'pg';
import type { ResolvedFeatureView } from '../src/features/registry/resolved-feature-view';
import type { PreparedRetrieval } from '../src/features/retrieval/point-in-time.engine';
import { copyEntityRows, rowRange } from '../src/features/retrieval/pit-entity-loader';
import { planSql } from '../src/features/retrieval/pit-plan';
import { RowDigest } from './bench-support';

/** A PostgreSQL strategy: the engine's own SQL, or SQL text over the entity temp table (_row, k0, _ts). */
export interface Strategy {
  name: string;
  sql: 'engine' | ((temp: string) => string);
}

const source = (v: ResolvedFeatureView) => `"${v.table.schema}"."${v.table.name}"`;
const ttlCut = (v: ResolvedFeatureView, ts: string, t: string) => (v.ttlSeconds > 0 ? ` AND ${ts} >= ${t} - interval '${v.ttlSeconds} seconds'` : '');

/**
 * The shape of Feast's PostgreSQL offline store query (join every candidate inside the ttl window,
 * rank with row_number() per entity row, keep rank 1), keyed by our generated _row instead of Feast's
 * string hash of keys and timestamp. Feast also deduplicates by created time and joins back, so this
 * is a lower bound of its cost.
 */
export const feastSql = (v: ResolvedFeatureView) => (temp: string) => `
  WITH base AS (
    SELECT e._row, s.event_timestamp AS ets, s.created, s.conv_rate, s.acc_rate, s.avg_daily_trips
    FROM ${temp} e JOIN ${source(v)} s ON s.driver_id = e.k0 AND s.event_timestamp <= e._ts${ttlCut(v, 's.event_timestamp', 'e._ts')}
  ), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY _row ORDER BY ets DESC, created DESC NULLS LAST) AS rn FROM base
  )
  SELECT e._row, r.conv_rate, r.acc_rate, r.avg_daily_trips
  FROM ${temp} e LEFT JOIN ranked r ON r._row = e._row AND r.rn = 1
  ORDER BY e._row`;

/**
 * ASOF by windows: entity and feature rows in one stream sorted per key by (ts, feature rows first,
 * created NULLS FIRST); a running count of feature rows numbers the groups, so each entity row shares
 * its group with the last feature row at or before it; the ttl is checked afterwards against that
 * row (any older candidate would be older still). Scans the source over [min T - ttl, max T].
 */
export const windowSql = (v: ResolvedFeatureView) => (temp: string) => `
  WITH u AS (
    SELECT s.driver_id AS k, s.event_timestamp AS ts, 0 AS kind, s.created, NULL::bigint AS _row, s.conv_rate, s.acc_rate, s.avg_daily_trips
    FROM ${source(v)} s
    WHERE s.event_timestamp <= (SELECT max(_ts) FROM ${temp})${v.ttlSeconds > 0 ? ` AND s.event_timestamp >= (SELECT min(_ts) FROM ${temp}) - interval '${v.ttlSeconds} seconds'` : ''}
    UNION ALL
    SELECT e.k0, e._ts, 1, NULL, e._row, NULL, NULL, NULL FROM ${temp} e
  ), g AS (
    SELECT *, count(*) FILTER (WHERE kind = 0) OVER (PARTITION BY k ORDER BY ts, kind, created NULLS FIRST ROWS UNBOUNDED PRECEDING) AS grp FROM u
  ), x AS (
    SELECT kind, _row, ts, max(CASE WHEN kind = 0 THEN ts END) OVER p AS fts,
           max(conv_rate) OVER p AS conv_rate, max(acc_rate) OVER p AS acc_rate, max(avg_daily_trips) OVER p AS trips
    FROM g WINDOW p AS (PARTITION BY k, grp)
  )
  SELECT _row,
         CASE WHEN fts IS NOT NULL${ttlCut(v, 'fts', 'ts')} THEN conv_rate END,
         CASE WHEN fts IS NOT NULL${ttlCut(v, 'fts', 'ts')} THEN acc_rate END,
         CASE WHEN fts IS NOT NULL${ttlCut(v, 'fts', 'ts')} THEN trips END
  FROM x WHERE kind = 1 ORDER BY _row`;

/** DuckDB: one row per (key, event time) by greatest created, then ASOF LEFT JOIN and the ttl check. */
export const duckAsofSql = (ttlSeconds: number) => {
  const keep = (c: string) => (ttlSeconds > 0 ? `CASE WHEN f1.event_timestamp >= e.ts - INTERVAL ${ttlSeconds} SECOND THEN f1.${c} END` : `f1.${c}`);
  return `
    WITH f1 AS (SELECT * FROM f QUALIFY row_number() OVER (PARTITION BY driver_id, event_timestamp ORDER BY created DESC NULLS LAST) = 1)
    SELECT e._row, ${keep('conv_rate')} AS conv_rate, ${keep('acc_rate')} AS acc_rate, ${keep('avg_daily_trips')} AS trips
    FROM e ASOF LEFT JOIN f1 ON e.driver_id = f1.driver_id AND e.ts >= f1.event_timestamp
    ORDER BY e._row`;
};

const RAW_TEXT = { getTypeParser: () => (value: string) => value };

/** As the engine runs (off), unless PIT_BENCH_JIT=on. */
export const JIT = process.env.PIT_BENCH_JIT === 'on' ? 'on' : 'off';

/**
 * Loads the entity rows like the engine does (COPY into a temp table, ANALYZE), then times the
 * strategy's query fetched through a cursor 10k rows at a time. Rows become `conv|acc|trips` strings
 * digested in order, so strategies (and DuckDB) can be compared exactly. `explain` returns
 * EXPLAIN (ANALYZE, BUFFERS) instead (the query runs once, its rows are not fetched).
 */
export async function runPgStrategy(pool: Pool, p: PreparedRetrieval, s: Strategy, explain = false): Promise<{ loadMs: number; queryMs: number; digest: RowDigest; plan?: string }> {
  const client = await pool.connect();
  try {
    await client.query(`BEGIN; SET LOCAL TimeZone = 'UTC'; SET LOCAL extra_float_digits = 1; SET LOCAL jit = ${JIT}`);
    const temp = 'pit_bench_entities';
    const sql = planSql(temp, p.frame.keys, p.features, p.views, p.catalog);
    const t0 = performance.now();
    await client.query(sql.createTemp);
    await copyEntityRows(client, sql.copy, p.frame, rowRange(0, p.frame.rowCount));
    await client.query(sql.analyze);
    const loadMs = performance.now() - t0;
    const text = s.sql === 'engine' ? sql.select : s.sql(temp);
    const digest = new RowDigest();
    if (explain) {
      const res = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`);
      return { loadMs, queryMs: 0, digest, plan: res.rows.map((r) => r['QUERY PLAN']).join('\n') };
    }
    const t1 = performance.now();
    await client.query(`DECLARE c NO SCROLL CURSOR FOR ${text}`);
    for (;;) {
      const res = await client.query<(string | null)[]>({ text: 'FETCH 10000 FROM c', rowMode: 'array', types: RAW_TEXT });
      if (res.rows.length === 0) break;
      for (const row of res.rows) digest.add(canonRow(row[1], row[2], row[3]));
    }
    const queryMs = performance.now() - t1;
    return { loadMs, queryMs, digest };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

/** `conv|acc|trips` with NULL as empty: the same text from PostgreSQL's text and DuckDB's JS values. */
export function canonRow(conv: unknown, acc: unknown, trips: unknown): string {
  const num = (x: unknown) => (x === null || x === undefined ? '' : String(Number(x)));
  return `${num(conv)}|${num(acc)}|${trips === null || trips === undefined ? '' : String(trips)}`;
}
