import type { NormalizedSchemaObject } from '../../catalog/contracts/documents/normalized-types';
import { quoteIdent, toIdentifier } from './offline-naming';
import type { OfflineColumn, OfflineTableEntity } from './offline-table.entity';
import type { TableRef } from './offline-ddl';

/**
 * Range partitioning of offline tables by event time (ADR 0030). Pure: names, bucket arithmetic and
 * SQL text; the I/O is in offline-partitions.repository.ts.
 */
export const PARTITION_GRANULARITIES = ['day', 'week', 'month', 'year'] as const;
export type PartitionGranularity = (typeof PARTITION_GRANULARITIES)[number];

/** How one table is partitioned, as tessera.offline_tables records it when the table is created. */
export interface PartitionSpec {
  column: string;
  granularity: PartitionGranularity;
  /** timestamptz bounds are written as UTC instants, date bounds as dates. */
  type: 'timestamp' | 'date';
}

/**
 * The event-time column a new table is partitioned by: the property the contract marks
 * `partitioned: true` (ODCS's own flag; the first one so marked) when it is a required timestamp or
 * date, else the first required timestamp property. None: the table stays a plain heap.
 * Required, because a range-partitioned table has no partition for NULL without a DEFAULT partition,
 * and a DEFAULT partition would stop the ordered, pruned scans point-in-time probes rely on.
 */
export function partitionColumnOf(object: NormalizedSchemaObject, columns: OfflineColumn[]): { column: string; type: 'timestamp' | 'date' } | null {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const usable = (name: string, types: string[]): OfflineColumn | null => {
    const c = byName.get(name);
    return c && (c.required || c.primaryKey) && types.includes(c.logicalType) ? c : null;
  };
  for (const p of object.properties.filter((x) => x.partitioned)) {
    const c = usable(p.name, ['timestamp', 'date']);
    if (c) return { column: c.name, type: c.logicalType as 'timestamp' | 'date' };
  }
  const first = columns.find((c) => usable(c.name, ['timestamp']));
  return first ? { column: first.name, type: 'timestamp' } : null;
}

/** Start of the UTC bucket holding `at` (weeks start on Monday, like PostgreSQL's date_trunc). */
export function bucketStart(at: Date, g: PartitionGranularity): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  switch (g) {
    case 'year':
      return utc(y, 0, 1);
    case 'month':
      return utc(y, m, 1);
    case 'day':
      return utc(y, m, d);
    case 'week':
      return utc(y, m, d - ((at.getUTCDay() + 6) % 7));
  }
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucket(start: Date, g: PartitionGranularity): Date {
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth();
  const d = start.getUTCDate();
  if (g === 'year') return utc(y + 1, 0, 1);
  if (g === 'month') return utc(y, m + 1, 1);
  return utc(y, m, d + (g === 'week' ? 7 : 1));
}

/** UTC midnight of y-m-d, month and day overflowing into the next as Date.UTC does (but years 0-99 stay themselves). */
function utc(y: number, m: number, d: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(y, m, d);
  return date;
}

/** `YYYY-MM-DD` of a bucket start (years 0001-9999; PostgreSQL accepts the same text for both types). */
export function dayText(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** `<table>__p<YYYYMMDD>`; long table names are cut with a hash by toIdentifier, so names stay unique. */
export function partitionName(table: string, start: Date): string {
  return toIdentifier(`${table}__p${dayText(start).replace(/-/g, '')}`);
}

/** A bound literal of the partition column's type: midnight UTC for timestamptz, the date for date. */
export function boundLiteral(d: Date, spec: PartitionSpec): string {
  return spec.type === 'date' ? `'${dayText(d)}'::date` : `'${dayText(d)} 00:00:00+00'::timestamptz`;
}

/**
 * SQL bucket of a column value, as the `YYYY-MM-DD` text of its start (UTC): what the ingest asks of
 * its staged rows to know which partitions it needs.
 */
export function bucketSql(column: string, spec: PartitionSpec): string {
  const c = quoteIdent(column);
  const wall = spec.type === 'date' ? `${c}::timestamp` : `(${c} AT TIME ZONE 'UTC')`;
  return `to_char(date_trunc('${spec.granularity}', ${wall}), 'YYYY-MM-DD')`;
}

/** Every bucket start from the one holding `from` to the one holding `to`, inclusive. */
export function bucketsBetween(from: Date, to: Date, g: PartitionGranularity): Date[] {
  const out: Date[] = [];
  for (let b = bucketStart(from, g); b.getTime() <= to.getTime(); b = nextBucket(b, g)) out.push(b);
  return out;
}

/** The bucket holding `now` and the `ahead` buckets after it. */
export function bucketsAhead(spec: Pick<PartitionSpec, 'granularity'>, ahead: number, now: Date): Date[] {
  const out = [bucketStart(now, spec.granularity)];
  for (let i = 0; i < ahead; i++) out.push(nextBucket(out[out.length - 1], spec.granularity));
  return out;
}

/** Parses `YYYY-MM-DD` (what bucketSql returns) as a UTC midnight; years outside 1-9999 are refused. */
export function parseDay(text: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new Error(`not a YYYY-MM-DD day: ${text}`);
  return utc(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** The physical table of a registered port major, with its partitioning (what the ingest and maintainer need). */
export function tableRefOf(t: Pick<OfflineTableEntity, 'schemaName' | 'tableName' | 'columns' | 'partitionColumn' | 'partitionGranularity'>): TableRef {
  const column = t.partitionColumn ? t.columns.find((c) => c.name === t.partitionColumn) : undefined;
  const granularity = t.partitionGranularity as PartitionGranularity | null;
  const partition: PartitionSpec | null = column && granularity ? { column: column.name, granularity, type: column.logicalType === 'date' ? 'date' : 'timestamp' } : null;
  return { schema: t.schemaName, name: t.tableName, partition };
}
