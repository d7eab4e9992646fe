import { randomBytes } from 'node:crypto';
import type { PoolClient } from 'pg';
import { fetchCursor, PgPool, streamInTransaction } from '../../common/database/pg-cursor';
import type { EntityFrame } from './pit-entity-frame';
import { copyEntityRows } from './pit-entity-loader';
import { inlineEntities, InlineEntities } from './pit-entity-params';
import { loadSpine } from './pit-entity-query';
import { quoteIdent } from '../offline/offline-naming';
import type { PitSql } from './pit-plan';
import type { PitChunk } from './pit-request';

/**
 * Session settings the SQL and the text decoding rely on, set per transaction: UTC so `timestamp`
 * columns compare and print as UTC, ISO dates, and float text that round-trips exactly. JIT off: from
 * ~100k rows the plan's cost passes jit_above_cost, yet index probes gain nothing from compiled
 * expressions; compiling cost 5-17% of the 100k-row join (bench/pit-join.bench.ts, PIT_BENCH_JIT=on).
 */
export const PIT_SESSION = `SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 1; SET LOCAL jit = off`;

export type { PgPool };

export interface SliceOptions {
  /** Rows per FETCH, hence per chunk. */
  chunkRows: number;
  /** Export this transaction's snapshot: receives its id before any work starts. */
  exportSnapshot?: (snapshotId: string) => void;
  /** The exporter stays open until this settles: importing needs the exporting transaction alive. */
  holdCommitUntil?: Promise<unknown>;
  /** Run in the snapshot another transaction exported (parallel workers see exactly the same data). */
  importSnapshot?: Promise<string>;
  /** Called once the snapshot is imported (or importing failed). */
  onImported?: () => void;
  /** Entity rows as query parameters instead of a temp table (a read replica: no CREATE TABLE there). */
  inline?: boolean;
}

/**
 * Runs the retrieval over some entity rows on one connection: a transaction with a temp table of
 * those rows, the LATERAL query behind a server-side cursor, FETCHed `chunkRows` at a time. Each
 * yielded chunk is a contiguous run of request rows (checked), so callers can interleave slices.
 * Returning early (client gone) rolls back, which drops the temp table and closes the cursor.
 */
export async function* runSlice(pool: PgPool, frame: EntityFrame, plan: PitPlanner, rows: Iterable<number>, featureCount: number, options: SliceOptions): AsyncGenerator<PitChunk> {
  let signalled = false;
  // The exporter waits for every importer to report, even one that never got a connection.
  const imported = () => {
    if (!signalled && options.importSnapshot) options.onImported?.();
    signalled = true;
  };
  const shared = options.importSnapshot !== undefined || options.exportSnapshot !== undefined;
  try {
    yield* streamInTransaction(pool, shared ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ WRITE' : 'BEGIN', async function* (client) {
      if (options.importSnapshot) {
        // Must be the transaction's first statement (SET TRANSACTION SNAPSHOT).
        try {
          const id = await options.importSnapshot;
          await client.query(`SET TRANSACTION SNAPSHOT '${id.replace(/'/g, "''")}'`);
        } finally {
          imported();
        }
      }
      if (options.exportSnapshot) options.exportSnapshot((await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0].id);
      const sql = options.inline ? await inlineEntityRows(client, frame, plan, rows) : await loadEntityTable(client, frame, plan, rows);
      await client.query(`DECLARE pit_cursor NO SCROLL CURSOR FOR ${sql.select}`, sql.params);
      for await (const chunk of fetchCursor(client, 'pit_cursor', options.chunkRows)) yield toChunk(chunk, featureCount);
      await options.holdCommitUntil;
    });
  } finally {
    imported();
  }
}

/**
 * Inside the client's open transaction: the session settings, the entity temp table of the given rows
 * (COPY, then ANALYZE). Returns the retrieval's SQL, its SELECT ready to run on this client.
 */
export async function loadEntityTable(client: PoolClient, frame: EntityFrame, plan: PitPlanner, rows: Iterable<number>): Promise<PitSql> {
  await client.query(PIT_SESSION);
  const staged = frame.staged;
  // Rows staged in a temp table of this transaction are the entity table already (entity-stager.ts).
  const name = staged && staged.schema === null ? staged.table : `pit_${randomBytes(8).toString('hex')}`;
  const sql = plan(name);
  if (staged && staged.schema === null) {
    // nothing to load: COPYed as the upload arrived
  } else if (staged) {
    // Kept for a retrieval job in a table of its own: read into this transaction's entity table.
    await client.query(sql.createTemp);
    const keys = frame.keys.map((_, i) => `k${i}, `).join('');
    await client.query(`INSERT INTO ${quoteIdent(name)} (_row, ${keys}_ts) SELECT _row, ${keys}_ts FROM ${quoteIdent(staged.schema!)}.${quoteIdent(staged.table)}`);
  } else if (frame.query) {
    await loadSpine(client, frame, sql.createTemp, name);
  } else {
    await client.query(sql.createTemp);
    await copyEntityRows(client, sql.copy, frame, rows);
  }
  await client.query(sql.analyze);
  for (const mask of sql.masks) await mask.prepare(client);
  return sql;
}

/** The SQL of a retrieval: over the temp table `tempTable`, or over the entity rows inlined as parameters. */
export type PitPlanner = (tempTable: string, inline?: InlineEntities) => PitSql;

/**
 * Inside the client's open transaction, without writing anything (a hot standby allows no temp table):
 * the session settings, and the SELECT with the entity rows as its parameters. Masked features need
 * the temp table of their pads, so a masked retrieval never comes here (HistoricalFeaturesService).
 */
async function inlineEntityRows(client: PoolClient, frame: EntityFrame, plan: PitPlanner, rows: Iterable<number>): Promise<PitSql> {
  if (frame.query || frame.staged) throw new Error('an entity query needs the temp-table path (training datasets run on the primary)');
  await client.query(PIT_SESSION);
  const sql = plan(`pit_${randomBytes(8).toString('hex')}`, inlineEntities(frame, rows));
  if (sql.masks.length > 0) throw new Error('masked features need the temp-table path');
  return sql;
}

function toChunk(rows: (string | null)[][], featureCount: number): PitChunk {
  const offset = Number(rows[0][0]);
  const features = Array.from({ length: featureCount }, () => new Array<string | null>(rows.length));
  rows.forEach((row, i) => {
    // Order is the contract (ORDER BY _row): a gap or swap here would misalign every column after it.
    if (Number(row[0]) !== offset + i) throw new Error(`point-in-time result out of order at row ${offset + i} (got ${row[0]})`);
    for (let f = 0; f < featureCount; f++) features[f][i] = row[f + 1];
  });
  return { offset, length: rows.length, features };
}
