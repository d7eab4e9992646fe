import type { SqlRunner } from './domain-roles';
import { grantDomainRole } from './domain-roles';
import { createTableSql, primaryKeyConstraint, qualified, rowHashIndex, TableRef } from './offline-ddl';
import { quoteIdent, toIdentifier } from './offline-naming';
import { bucketsAhead, parseDay, PartitionGranularity, PartitionSpec, bucketSql } from './offline-partitioning';
import { ensurePartitions } from './offline-partitions';
import type { OfflineColumn } from './offline-table.entity';

export interface ConvertInput {
  table: TableRef;
  columns: OfflineColumn[];
  granularity: PartitionGranularity;
  ahead: number;
  now: Date;
}

/**
 * The column an existing table is converted on: its first required timestamp column that is NOT NULL
 * in PostgreSQL too (a column added by a later minor version is nullable whatever the contract says).
 * The contract's `partitioned` flag is not stored, so it is not consulted here (ADR 0030).
 */
async function convertibleColumn(runner: SqlRunner, t: TableRef, columns: OfflineColumn[]): Promise<OfflineColumn | null> {
  const rows = (await runner.query(`SELECT a.attname AS name FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attnotnull`, [qualified(t)])) as { name: string }[];
  const notNull = new Set(rows.map((r) => r.name));
  return columns.find((c) => c.logicalType === 'timestamp' && (c.required || c.primaryKey) && notNull.has(c.name)) ?? null;
}

/**
 * Converts one plain offline table into a range-partitioned one in the caller's transaction, and
 * returns its partition spec (null: no NOT NULL timestamp column, the table stays as it is).
 * Copy, not attach: the old heap is renamed aside, a partitioned table with the same name, columns
 * and constraint names is created, partitions for every bucket the rows occupy are created, the rows
 * are copied (row hashes and load times included), every other index of the old table (point-in-time
 * and BRIN indexes of feature views) is re-created on the new one under its own name, and the old heap
 * is dropped. Owner: whoever runs it (the service role owns every offline table, ADR 0019); SELECT for
 * the domain's role is granted again. Holds ACCESS EXCLUSIVE on the table throughout: it is a
 * migration, run before the service serves (see ADR 0030 for the size this suits).
 */
export async function convertToPartitioned(runner: SqlRunner, input: ConvertInput): Promise<PartitionSpec | null> {
  const { table, columns } = input;
  const kind = (await runner.query(`SELECT c.relkind AS kind FROM pg_class c WHERE c.oid = $1::regclass`, [qualified(table)])) as { kind: string }[];
  if (kind[0]?.kind !== 'r') return null; // already partitioned ('p'), or not a table
  const column = await convertibleColumn(runner, table, columns);
  if (!column) return null;
  const spec: PartitionSpec = { column: column.name, granularity: input.granularity, type: 'timestamp' };

  const aside: TableRef = { schema: table.schema, name: toIdentifier(`${table.name}__unpartitioned`) };
  const indexes = (await runner.query(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = $1::regclass AND c.relname NOT IN ($2, $3)`,
    [qualified(table), primaryKeyConstraint(table.name), rowHashIndex(table.name)],
  )) as { name: string; def: string }[];
  const pk = (await runner.query(
    `SELECT array_agg(a.attname ORDER BY k.ord)::text[] AS cols
       FROM pg_constraint co CROSS JOIN LATERAL unnest(co.conkey) WITH ORDINALITY k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum
      WHERE co.conrelid = $1::regclass AND co.conname = $2`,
    [qualified(table), primaryKeyConstraint(table.name)],
  )) as { cols: string[] | null }[];

  // Names of the old table's indexes and constraint move aside with it, so the new ones can take them.
  await runner.query(`ALTER TABLE ${qualified(table)} RENAME TO ${quoteIdent(aside.name)}`);
  const renames = [...indexes.map((i) => i.name), primaryKeyConstraint(table.name), rowHashIndex(table.name)];
  const existing = new Set(
    ((await runner.query(`SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1::regclass`, [qualified(aside)])) as { name: string }[]).map((r) => r.name),
  );
  for (const name of renames.filter((n) => existing.has(n))) {
    await runner.query(`ALTER INDEX ${quoteIdent(table.schema)}.${quoteIdent(name)} RENAME TO ${quoteIdent(toIdentifier(`${name}__old`))}`);
  }

  const partitioned: TableRef = { ...table, partition: spec };
  for (const sql of createTableSql(partitioned, columns, pk[0]?.cols ?? [])) await runner.query(sql);
  // Columns PostgreSQL has beyond the registered ones cannot exist (migrations add them to both), but
  // copy by the new table's own column list so an unexpected one fails loudly instead of shifting values.
  const cols = (
    (await runner.query(`SELECT a.attname AS name FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, [qualified(table)])) as { name: string }[]
  ).map((r) => quoteIdent(r.name));
  const buckets = (await runner.query(`SELECT DISTINCT ${bucketSql(spec.column, spec)} AS b FROM ${qualified(aside)}`)) as { b: string }[];
  await ensurePartitions(runner, partitioned as TableRef & { partition: PartitionSpec }, [...buckets.map((r) => parseDay(r.b)), ...bucketsAhead(spec, input.ahead, input.now)]);
  await runner.query(`INSERT INTO ${qualified(table)} (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM ${qualified(aside)}`);
  await runner.query(`DROP TABLE ${qualified(aside)}`);
  for (const { def } of indexes) {
    // pg_get_indexdef names the table as `schema.table` with identifiers quoted only where needed.
    const on = def.indexOf(' ON ');
    const using = def.indexOf(' USING ', on);
    if (on < 0 || using < 0) continue;
    await runner.query(`${def.slice(0, on)} ON ${qualified(table)}${def.slice(using)}`);
  }
  await grantDomainRole(runner, table.schema);
  return spec;
}
