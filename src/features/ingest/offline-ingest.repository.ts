import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { ROW_HASH_COLUMN } from '../offline/offline-columns';
import { qualified, rowHashConflictTarget, TableRef } from '../offline/offline-ddl';
import { bucketSql, parseDay } from '../offline/offline-partitioning';
import { ensurePartitions } from '../offline/offline-partitions';
import { quoteIdent } from '../offline/offline-naming';
import type { OfflineColumn } from '../offline/offline-table.entity';
import type { IngestCheckRun, IngestCheckVerdict } from './ingest-checks';
import type { IngestRowError, PreparedRow, UniqueSet } from './row-validator';

/** Staging table of one request; temporary and dropped at commit or rollback. */
const STAGE = 'pg_temp."_tessera_ingest"';
const ROW = quoteIdent('_tessera_row');
const HASH = quoteIdent(ROW_HASH_COLUMN);

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** COPY text format: backslash escapes for the four special characters, \N for NULL. */
export function copyText(v: string | null): string {
  return v === null ? '\\N' : v.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]);
}

/** COPY lines ~1 MB at a time, so a large request is never one giant string. */
function* copyLines(rows: PreparedRow[]): Generator<string> {
  let buf = '';
  for (const r of rows) {
    let line = String(r.row);
    for (const v of r.values) line += `\t${copyText(v)}`;
    buf += `${line}\t${r.hash}\n`;
    if (buf.length >= 1 << 20) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/** Advisory lock key of one table's writers (exported for the concurrency test). */
export function ingestLockKey(table: TableRef): string {
  return `tessera.offline_ingest:${table.schema}.${table.name}`;
}

export type LoadOutcome = { inserted: number; report?: Record<string, unknown> } | { conflicts: IngestRowError[]; conflictCount: number };

/**
 * Loads validated rows into an offline table in one transaction: COPY into a staging table, check
 * unique keys against the rows already stored, then INSERT ... ON CONFLICT (row hash) DO NOTHING so
 * re-sent rows are counted as duplicates instead of stored twice.
 */
@Injectable()
export class OfflineIngestRepository {
  constructor(private readonly ds: DataSource) {}

  private get pool(): Pool {
    return (this.ds.driver as unknown as { master: Pool }).master;
  }

  async load(table: TableRef, columns: OfflineColumn[], rows: PreparedRow[], sets: UniqueSet[], maxErrors: number, check?: IngestCheckRun | null): Promise<LoadOutcome> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      // Writers of one table take turns, so the key check below cannot race another request's insert.
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [ingestLockKey(table)]);
      const cols = columns.map((c) => quoteIdent(c.name));
      await client.query(`CREATE TEMP TABLE "_tessera_ingest" ON COMMIT DROP AS SELECT 0::int AS ${ROW}, ${[...cols, HASH].join(', ')} FROM ${qualified(table)} WITH NO DATA`);
      await pipeline(Readable.from(copyLines(rows)), client.query(copyFrom(`COPY ${STAGE} (${[ROW, ...cols, HASH].join(', ')}) FROM STDIN`)));
      if (rows.length > 10_000) await client.query(`ANALYZE ${STAGE}`); // temp tables have no statistics otherwise
      const unplaced = await this.ensurePartitionsFor(client, table, maxErrors);
      const conflicts = unplaced ?? (await this.conflicts(client, table, sets, maxErrors));
      if (conflicts.conflictCount > 0) {
        // Refused rows (conflicting keys, or no event time for a partitioned table): nothing is stored.
        await client.query('ROLLBACK');
        return conflicts;
      }
      const insert = await client.query(
        `INSERT INTO ${qualified(table)} (${[...cols, HASH].join(', ')})
         SELECT ${[...cols, HASH].join(', ')} FROM ${STAGE} ORDER BY ${ROW}
         ON CONFLICT (${rowHashConflictTarget(table)}) DO NOTHING`,
      );
      const inserted = insert.rowCount ?? 0;
      // Checks (data quality) see the table with the new rows, before anyone else can; a rejection rolls back.
      const verdict: IngestCheckVerdict = check ? await check(client, inserted) : {};
      if (verdict.reject) {
        await client.query('ROLLBACK');
        await verdict.settle?.(false);
        throw verdict.reject;
      }
      await client.query('COMMIT');
      await verdict.settle?.(true);
      return { inserted, report: verdict.report };
    } catch (e) {
      await client.query('ROLLBACK').catch((err: Error) => (broken = err));
      throw e;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Rows past the newest partition (or before the oldest) get their partitions here, inside the load's
   * transaction and under its lock: a rolled-back load leaves none behind. Usually the maintainer has
   * created them ahead already, and this is one DISTINCT over the staged rows.
   */
  private async ensurePartitionsFor(client: PoolClient, table: TableRef, maxErrors: number): Promise<{ conflicts: IngestRowError[]; conflictCount: number } | null> {
    const spec = table.partition;
    if (!spec) return null;
    // A later minor version may have relaxed `required` on the event time; the partitioned table cannot
    // store a row without one (ADR 0030), so such rows are refused like any other invalid row.
    const col = quoteIdent(spec.column);
    const missing = await client.query<{ row: number; total: string }>(`SELECT ${ROW} AS row, count(*) OVER () AS total FROM ${STAGE} WHERE ${col} IS NULL ORDER BY ${ROW} LIMIT $1`, [maxErrors]);
    if (missing.rows.length > 0) {
      const reason = `is required: the table is partitioned by ${spec.column}, so a row needs a value for it`;
      return { conflicts: missing.rows.map((r) => ({ row: r.row, field: spec.column, reason })), conflictCount: Number(missing.rows[0].total) };
    }
    const { rows } = await client.query<{ b: string }>(`SELECT DISTINCT ${bucketSql(spec.column, spec)} AS b FROM ${STAGE}`);
    await ensurePartitions(
      client,
      { ...table, partition: spec },
      rows.map((r) => parseDay(r.b)),
    );
    return null;
  }

  /** Staged rows whose key is already stored with other values (an identical stored row is a duplicate). */
  private async conflicts(client: PoolClient, table: TableRef, sets: UniqueSet[], maxErrors: number): Promise<{ conflicts: IngestRowError[]; conflictCount: number }> {
    const found: IngestRowError[] = [];
    let total = 0;
    for (const set of sets) {
      const keys = set.columns.map(quoteIdent);
      const res = await client.query<{ row: number; key: string[]; total: string }>(
        `SELECT s.${ROW} AS row, ARRAY[${keys.map((k) => `s.${k}::text`).join(', ')}] AS key, count(*) OVER () AS total
           FROM ${STAGE} s
          WHERE EXISTS (SELECT 1 FROM ${qualified(table)} t WHERE ${keys.map((k) => `t.${k} = s.${k}`).join(' AND ')} AND t.${HASH} <> s.${HASH})
          ORDER BY s.${ROW} LIMIT $1`,
        [maxErrors],
      );
      if (res.rows.length === 0) continue;
      total += Number(res.rows[0].total);
      for (const r of res.rows) {
        found.push({
          row: r.row,
          field: set.columns.join(','),
          reason: `duplicate ${set.label} (${set.columns.join(', ')}) = (${r.key.join(', ')}): already stored with other values`,
        });
      }
    }
    found.sort((a, b) => a.row - b.row);
    return { conflicts: found.slice(0, maxErrors), conflictCount: total };
  }
}
