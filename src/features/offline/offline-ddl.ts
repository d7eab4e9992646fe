import { createHash } from 'node:crypto';
import { LOADED_AT_COLUMN, PG_TYPES, ROW_HASH_COLUMN } from './offline-columns';
import { quoteIdent, toIdentifier } from './offline-naming';
import type { PartitionSpec } from './offline-partitioning';
import type { OfflineColumn } from './offline-table.entity';

/**
 * SQL text for offline tables. Every identifier comes from a contract or a request, so each one goes
 * through quoteIdent; values never appear in DDL.
 */
export interface TableRef {
  schema: string;
  name: string;
  /** Set when the table is range-partitioned by event time (ADR 0030). */
  partition?: PartitionSpec | null;
}

export function qualified(t: TableRef): string {
  return `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** Index and constraint names live in the schema's namespace; derive them from the (unique) table name. */
export const primaryKeyConstraint = (table: string): string => toIdentifier(`${table}__pk`);
export const rowHashIndex = (table: string): string => toIdentifier(`${table}__row_hash`);

/**
 * Primary key columns get NOT NULL as well as the unique constraint: a UNIQUE constraint alone lets
 * any number of NULL keys in, and a key that can be NULL identifies nothing.
 */
export function columnDefinition(c: OfflineColumn, notNull: boolean): string {
  return `${quoteIdent(c.name)} ${PG_TYPES[c.logicalType]}${notNull ? ' NOT NULL' : ''}`;
}

/**
 * A partitioned table's unique constraints must contain the partition column (PostgreSQL enforces
 * uniqueness per partition only), so it joins the key and the row hash index. The row hash covers
 * the event time already, so (hash, time) is as unique as the hash; a primary key without the time
 * is still unique across partitions because the ingest checks keys against every stored row.
 */
export function createTableSql(t: TableRef, columns: OfflineColumn[], primaryKey: string[]): string[] {
  const defs = columns.map((c) => columnDefinition(c, c.required || c.primaryKey));
  defs.push(`${quoteIdent(ROW_HASH_COLUMN)} text NOT NULL`, `${quoteIdent(LOADED_AT_COLUMN)} timestamptz NOT NULL DEFAULT now()`);
  const withPartition = (cols: string[]): string[] => (t.partition && !cols.includes(t.partition.column) ? [...cols, t.partition.column] : cols);
  if (primaryKey.length > 0) {
    defs.push(`CONSTRAINT ${quoteIdent(primaryKeyConstraint(t.name))} UNIQUE (${withPartition(primaryKey).map(quoteIdent).join(', ')})`);
  }
  const partitionBy = t.partition ? ` PARTITION BY RANGE (${quoteIdent(t.partition.column)})` : '';
  return [
    `CREATE TABLE ${qualified(t)} (\n  ${defs.join(',\n  ')}\n)${partitionBy}`,
    `CREATE UNIQUE INDEX ${quoteIdent(rowHashIndex(t.name))} ON ${qualified(t)} (${withPartition([ROW_HASH_COLUMN]).map(quoteIdent).join(', ')})`,
  ];
}

/** The conflict target of the ingest's INSERT: the row hash index's columns. */
export function rowHashConflictTarget(t: TableRef): string {
  return t.partition ? `${quoteIdent(ROW_HASH_COLUMN)}, ${quoteIdent(t.partition.column)}` : quoteIdent(ROW_HASH_COLUMN);
}

/**
 * Columns added by a compatible (same major) contract version are always nullable, even when the
 * contract says required: the rows already stored have no value for them, so NOT NULL would fail (or
 * need an invented default). Ingestion still refuses new rows without them (it validates against the
 * contract's `required`, not against the table).
 */
export function addColumnSql(t: TableRef, c: OfflineColumn): string {
  return `ALTER TABLE ${qualified(t)} ADD COLUMN IF NOT EXISTS ${columnDefinition(c, false)}`;
}

export function dropNotNullSql(t: TableRef, column: string): string {
  return `ALTER TABLE ${qualified(t)} ALTER COLUMN ${quoteIdent(column)} DROP NOT NULL`;
}

/** Deterministic: the same view columns always name (and so reuse) the same index. */
export function pointInTimeIndexName(table: string, keys: string[], ts: string, created: string | null): string {
  return toIdentifier(`${table}__pit_${shortHash(JSON.stringify([keys, ts, created]))}`);
}

export function pointInTimeIndexSql(t: TableRef, name: string, keys: string[], ts: string, created: string | null): string {
  const cols = [...keys.map(quoteIdent), `${quoteIdent(ts)} DESC`];
  if (created) cols.push(`${quoteIdent(created)} DESC NULLS LAST`);
  return `CREATE INDEX IF NOT EXISTS ${quoteIdent(name)} ON ${qualified(t)} (${cols.join(', ')})`;
}

/**
 * A BRIN index on an event-time column: a few kB for millions of rows and next to free to maintain on
 * append-mostly tables. It lets "the newest (oldest) event since the last look" read only the block
 * ranges past the previous extreme (SLO freshness and retention) instead of scanning the table.
 */
export function eventTimeBrinSql(t: TableRef, column: string): string {
  const name = toIdentifier(`${t.name}__brin_${shortHash(column)}`);
  return `CREATE INDEX IF NOT EXISTS ${quoteIdent(name)} ON ${qualified(t)} USING brin (${quoteIdent(column)})`;
}

/** A second candidate name when the natural one is taken (two product ids that normalize alike). */
export function disambiguatedTableName(base: string, productId: string, port: string, major: number): string {
  return toIdentifier(`${base}_${shortHash(JSON.stringify([productId, port, major]))}`);
}
