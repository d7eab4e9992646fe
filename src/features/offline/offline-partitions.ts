import type { SqlRunner } from './domain-roles';
import { qualified, TableRef } from './offline-ddl';
import { boundLiteral, nextBucket, parseDay, partitionName, PartitionSpec } from './offline-partitioning';
import { quoteIdent } from './offline-naming';

/** One partition of an offline table: rows with from <= event time < to. */
export interface OfflinePartition {
  name: string;
  from: Date;
  to: Date;
}

type Partitioned = TableRef & { partition: PartitionSpec };

/** Rows of a query through either runner: TypeORM returns the rows, pg's client a result holding them. */
async function rowsOf<T>(runner: SqlRunner, sql: string, params?: unknown[]): Promise<T[]> {
  const result = await runner.query(sql, params);
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

/**
 * The partitions of a table with their bounds, oldest first. The bounds come from PostgreSQL's own
 * text of each partition's bound, cast back in SQL so neither TimeZone nor DateStyle can move a day.
 */
export async function listPartitions(runner: SqlRunner, t: Partitioned): Promise<OfflinePartition[]> {
  const cast = (x: string): string => (t.partition.type === 'date' ? `to_char(${x}::date, 'YYYY-MM-DD')` : `to_char(${x}::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD')`);
  const rows = await rowsOf<{ name: string; lo: string; hi: string }>(
    runner,
    `SELECT name, ${cast('lo')} AS lo, ${cast('hi')} AS hi
       FROM (SELECT c.relname AS name,
                    (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']*)''\\)'))[1] AS lo,
                    (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']*)''\\)'))[1] AS hi
               FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
              WHERE i.inhparent = $1::regclass) p
      WHERE lo IS NOT NULL AND hi IS NOT NULL
      ORDER BY 2`,
    [qualified(t)],
  );
  return rows.map((r) => ({ name: r.name, from: parseDay(r.lo), to: parseDay(r.hi) }));
}

/**
 * Creates the partitions of the given bucket starts that do not exist yet; returns the names created.
 * Each is created beside the table and then attached: ATTACH PARTITION takes SHARE UPDATE EXCLUSIVE on
 * the parent, which neither readers nor writers wait for, where CREATE TABLE … PARTITION OF would take
 * ACCESS EXCLUSIVE and queue behind every running point-in-time read. Callers hold the table's ingest
 * lock (writers and the maintainer take turns), so two never race for the same bucket.
 */
export async function ensurePartitions(runner: SqlRunner, t: Partitioned, starts: Date[]): Promise<string[]> {
  if (starts.length === 0) return [];
  const have = new Set((await listPartitions(runner, t)).map((p) => p.from.getTime()));
  const created: string[] = [];
  for (const start of [...new Map(starts.map((s) => [s.getTime(), s])).values()].sort((a, b) => a.getTime() - b.getTime())) {
    if (have.has(start.getTime())) continue;
    const part: TableRef = { schema: t.schema, name: partitionName(t.name, start) };
    await runner.query(`CREATE TABLE ${qualified(part)} (LIKE ${qualified(t)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await runner.query(
      `ALTER TABLE ${qualified(t)} ATTACH PARTITION ${qualified(part)} FOR VALUES FROM (${boundLiteral(start, t.partition)}) TO (${boundLiteral(nextBucket(start, t.partition.granularity), t.partition)})`,
    );
    created.push(part.name);
  }
  return created;
}

/**
 * Retention: drops every partition whose rows are all older than `cutoff` (upper bound <= cutoff).
 * A DROP is a catalog change instead of a DELETE that rewrites nothing but leaves dead tuples, WAL and
 * a vacuum behind. Rows of a partition that straddles the cutoff stay until the whole partition is past it.
 */
export async function dropPartitionsBefore(runner: SqlRunner, t: Partitioned, cutoff: Date): Promise<string[]> {
  const dropped: string[] = [];
  for (const p of await listPartitions(runner, t)) {
    if (p.to.getTime() > cutoff.getTime()) break;
    await runner.query(`DROP TABLE ${quoteIdent(t.schema)}.${quoteIdent(p.name)}`);
    dropped.push(p.name);
  }
  return dropped;
}
