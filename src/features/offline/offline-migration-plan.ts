import type { OfflineColumn } from './offline-table.entity';
import type { PhysicalColumn } from './offline-tables.repository';

export interface MigrationPlan {
  /** Column metadata to store: the new contract's properties, in its order. */
  columns: OfflineColumn[];
  /** Properties the table does not have yet (added nullable, see addColumnSql). */
  add: OfflineColumn[];
  /** NOT NULL columns the contract no longer requires (or no longer has). */
  relax: string[];
}

/**
 * How a table follows a compatible (same major) contract version. Additive only: columns are never
 * dropped or retyped, since rows already stored and readers of this major rely on them; a breaking
 * change arrives as a new port major, i.e. a new table.
 * - An existing column keeps its stored logicalType and primaryKey (they describe the physical column
 *   and constraint); required, unique and logicalTypeOptions follow the contract, because ingestion
 *   enforces them per row.
 * - A new column never joins the primary key: existing rows have NULL there.
 * - A property gone from the contract stays in the table (readers of old rows) but leaves the
 *   metadata, so ingestion refuses it as an unknown column, and loses NOT NULL so new rows fit.
 */
export function planMigration(stored: OfflineColumn[], contract: OfflineColumn[], physical: PhysicalColumn[]): MigrationPlan {
  const storedByName = new Map(stored.map((c) => [c.name, c]));
  const physicalByName = new Map(physical.map((c) => [c.name, c]));
  const columns = contract.map((c): OfflineColumn => {
    const old = storedByName.get(c.name);
    if (old) return { ...c, logicalType: old.logicalType, primaryKey: old.primaryKey };
    return { ...c, primaryKey: false };
  });
  const wanted = new Map(columns.map((c) => [c.name, c]));
  const add = columns.filter((c) => !physicalByName.has(c.name));
  const relax = stored
    .filter((c) => physicalByName.get(c.name)?.notNull)
    .filter((c) => {
      const now = wanted.get(c.name);
      return !now || !(now.required || now.primaryKey);
    })
    .map((c) => c.name);
  return { columns, add, relax };
}

export function sameColumns(a: OfflineColumn[], b: OfflineColumn[]): boolean {
  return JSON.stringify(a.map(canonicalColumn)) === JSON.stringify(b.map(canonicalColumn));
}

/** jsonb does not keep key order, so compare with sorted keys. */
function canonicalColumn(c: OfflineColumn): unknown {
  return sortKeys(c);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
