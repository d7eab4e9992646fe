import type { ClientBase } from 'pg';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import { quoteIdent } from '../offline/offline-naming';
import type { ResolvedFeatureView } from '../registry/resolved-feature-view';
import type { FeatureOutput } from './pit-output-names';
import { columnOf, SourceCatalog, SourceColumnInfo } from './pit-plan';

const CATALOG_SQL = `
  SELECT t.name AS table_name, a.attname AS column_name, ty.typname AS typname, format('%I.%I', n.nspname, ty.typname) AS cast_type,
         ty.typcategory = 'A' AS is_array
  FROM unnest($1::text[]) AS t(name)
  JOIN pg_attribute a ON a.attrelid = to_regclass(t.name) AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type ty ON ty.oid = a.atttypid
  JOIN pg_namespace n ON n.oid = ty.typnamespace`;

/**
 * The physical columns of every requested view's offline table, in one catalog query. Besides typing
 * the key comparisons, this turns a missing table or column into a clear 409 naming it instead of a
 * PostgreSQL error in the middle of the join.
 */
export async function loadSourceCatalog(client: ClientBase, views: readonly ResolvedFeatureView[], features: readonly FeatureOutput[]): Promise<SourceCatalog> {
  const qualified = (v: ResolvedFeatureView) => `${quoteIdent(v.table.schema)}.${quoteIdent(v.table.name)}`;
  const names = [...new Set(views.map(qualified))];
  const { rows } = await client.query<{ table_name: string; column_name: string; typname: string; cast_type: string; is_array: boolean }>(CATALOG_SQL, [names]);
  const byTable = new Map<string, Map<string, SourceColumnInfo>>();
  for (const r of rows) {
    const cols = byTable.get(r.table_name) ?? new Map<string, SourceColumnInfo>();
    cols.set(r.column_name, { typname: r.typname, castType: r.cast_type, isArray: r.is_array });
    byTable.set(r.table_name, cols);
  }
  const catalog: SourceCatalog = new Map();
  for (const v of views) {
    const cols = byTable.get(qualified(v));
    const where = `${v.table.schema}.${v.table.name}`;
    if (!cols) throw new FeaturesError(FeaturesErrorCode.OFFLINE_TABLE_MISSING, `feature view ${v.name}: offline table ${where} does not exist`);
    const needed = [
      ...v.joinKeys.map((k) => k.column),
      v.timestampColumn,
      ...(v.createdTimestampColumn ? [v.createdTimestampColumn] : []),
      ...features.filter((f) => f.view === v.name).map((f) => columnOf(v, f.feature)),
    ];
    const missing = needed.filter((c) => !cols.has(c));
    if (missing.length) {
      throw new FeaturesError(FeaturesErrorCode.OFFLINE_TABLE_MISSING, `feature view ${v.name}: offline table ${where} has no column ${missing.join(', ')}`);
    }
    catalog.set(v.name, cols);
  }
  return catalog;
}
