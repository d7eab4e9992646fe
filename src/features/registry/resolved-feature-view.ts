/**
 * A feature view with everything the serving paths need resolved up front (offline table, physical
 * columns, types, ttl), so retrieval, materialization and online reads do no registry or schema work
 * per request. Built by FeatureRegistryService.resolve(); cached and invalidated on apply.
 */
import type { PoolClient } from 'pg';

/**
 * A pseudonym computed in SQL. `expression` must not carry secrets in its text (it shows in
 * pg_stat_activity and statement logs): what it needs, `prepare` hands to PostgreSQL inside the
 * reading transaction first (e.g. over COPY, whose data is never logged).
 */
export interface SqlMask {
  expression(column: string): string;
  prepare(client: PoolClient): Promise<void>;
}

export type FeatureValueType = 'string' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'date' | 'time' | 'object' | 'array';

export interface ResolvedColumn {
  /** Name clients use: the join key or feature name. */
  name: string;
  /** Column of the offline table (the ODCS property name; always quoted in SQL). */
  column: string;
  type: FeatureValueType;
  /**
   * Set on a per-request copy of the view when the caller may not see this value in clear: turns the
   * SQL column expression into its pseudonym (point-in-time retrieval). The column is then a string.
   */
  mask?: SqlMask;
}

export interface ResolvedFeatureView {
  name: string;
  /** Join keys of all the view's entities, in entity order then key order (composite keys allowed). */
  joinKeys: ResolvedColumn[];
  /** The offline table of the view's source output port. */
  table: { schema: string; name: string };
  /** The source output port itself (lineage names it; absent in hand-built views of tests). */
  source?: { dataProduct: string; outputPort: string };
  timestampColumn: string;
  createdTimestampColumn: string | null;
  /** Max age in seconds; 0 = no ttl. */
  ttlSeconds: number;
  online: boolean;
  /** Every feature of the view, in declared order. */
  features: ResolvedColumn[];
  /** Content hash of the applied view document: changes whenever the view changes. */
  version: string;
}

/** `view:feature` reference resolved against a view. */
export interface FeatureRef {
  view: string;
  feature: string;
}

export function parseFeatureRef(ref: string): FeatureRef | null {
  const m = /^([A-Za-z0-9_-]+):([A-Za-z_][A-Za-z0-9_]*)$/.exec(ref);
  return m ? { view: m[1], feature: m[2] } : null;
}
