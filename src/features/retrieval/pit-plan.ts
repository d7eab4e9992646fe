import { quoteIdent } from '../offline/offline-naming';
import type { ResolvedFeatureView, SqlMask } from '../registry/resolved-feature-view';
import type { EntityKey } from './pit-entity-frame';
import type { InlineEntities } from './pit-entity-params';
import type { FeatureOutput } from './pit-output-names';

/** What PostgreSQL says about one column of a view's offline table. */
export interface SourceColumnInfo {
  /** pg_type.typname: `int4`, `varchar`, `bpchar`, `timestamptz`, ... */
  typname: string;
  /**
   * The type to cast entity values to, schema-qualified and without modifiers (`pg_catalog.bpchar`).
   * Not format_type(): its `character` means char(1) in a cast, and would truncate.
   */
  castType: string;
  /** A PostgreSQL array type (selected through to_jsonb so the JSON output is an array). */
  isArray: boolean;
}

/** Columns of each requested view's table, by view name then column name. */
export type SourceCatalog = Map<string, Map<string, SourceColumnInfo>>;

export interface PitSql {
  createTemp: string;
  copy: string;
  analyze: string;
  select: string;
  /** Masks the select uses: each must `prepare` the transaction before the select runs. */
  masks: SqlMask[];
  /** Parameters of `select` (the inline entity rows; none with the temp table). */
  params: unknown[];
}

const INTEGER_TYPES = new Set(['int2', 'int4', 'int8']);
const TEXT_TYPES = new Set(['text', 'varchar', 'name']);
/** typname of each entity temp column type (EntityKey.sqlType). */
const TEMP_TYPNAME: Record<string, string> = { bigint: 'int8', text: 'text', 'double precision': 'float8', boolean: 'bool', date: 'date', timestamptz: 'timestamptz' };

/**
 * Compares a source key column with the entity temp column. The cast, when needed, is on the entity
 * side so the source column stays bare and its (keys, ts) index is usable. Integer widths and
 * text/varchar need none (PostgreSQL has cross-type operators in the same index operator family), and
 * casting bigint down to an int4 column could overflow; varchar(n) is never cast to, since that cast
 * truncates and would invent matches.
 */
function keyPredicate(sourceColumn: string, source: SourceColumnInfo | undefined, key: EntityKey, entityColumn: string): string {
  const left = `s.${quoteIdent(sourceColumn)}`;
  const temp = TEMP_TYPNAME[key.sqlType];
  const bare = !source || source.typname === temp || (INTEGER_TYPES.has(source.typname) && INTEGER_TYPES.has(temp)) || (TEXT_TYPES.has(source.typname) && temp === 'text');
  return bare ? `${left} = e.${entityColumn}` : `${left} = e.${entityColumn}::${source.castType}`;
}

/** Seconds as an interval literal; ttl comes from the registry, but we never splice unchecked text. */
function ttlLiteral(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`invalid ttl ${seconds}`);
  return `interval '${seconds} seconds'`;
}

/**
 * The SQL of one retrieval (pure: no I/O). Entity rows are COPYed into a temp table `(_row, k0..kn,
 * _ts)`; each view is one `LEFT JOIN LATERAL (... ORDER BY ts DESC, created DESC NULLS LAST LIMIT 1)`,
 * which with an index on (keys, ts DESC, created DESC) is one index probe per entity row and view
 * (see bench/pit-join.bench.ts for the alternatives measured). The `_row` primary key lets the planner
 * walk entity rows in order under a nested loop, so the result streams from a cursor without a sort.
 */
export function planSql(tempTable: string, keys: readonly EntityKey[], features: readonly FeatureOutput[], views: readonly ResolvedFeatureView[], catalog: SourceCatalog, inline?: InlineEntities): PitSql {
  const temp = quoteIdent(tempTable);
  const keyColumn = new Map(keys.map((k, i) => [k.name, `k${i}`]));
  const createTemp = `CREATE TEMP TABLE ${temp} (_row bigint PRIMARY KEY, ${keys.map((k, i) => `k${i} ${k.sqlType}, `).join('')}_ts timestamptz NOT NULL) ON COMMIT DROP`;
  const copy = `COPY ${temp} (_row, ${keys.map((_, i) => `k${i}, `).join('')}_ts) FROM STDIN`;

  const selects: string[] = ['e._row'];
  const masks = new Set<SqlMask>();
  const joins: string[] = [];
  views.forEach((view, vi) => {
    const columns = catalog.get(view.name) ?? new Map<string, SourceColumnInfo>();
    const mine = features.map((f, fi) => ({ f, fi })).filter(({ f }) => f.view === view.name);
    const inner = mine.map(({ f, fi }) => {
      const column = `s.${quoteIdent(columnOf(view, f.feature))}`;
      const mask = view.features.find((x) => x.name === f.feature)?.mask;
      if (mask) masks.add(mask);
      return `${mask ? mask.expression(column) : column} AS f${fi}`;
    });
    const where = view.joinKeys.map((k) =>
      keyPredicate(
        k.column,
        columns.get(k.column),
        keys.find((x) => x.name === k.name)!,
        keyColumn.get(k.name)!,
      ),
    );
    const ts = `s.${quoteIdent(view.timestampColumn)}`;
    where.push(`${ts} <= e._ts`);
    if (view.ttlSeconds > 0) where.push(`${ts} >= e._ts - ${ttlLiteral(view.ttlSeconds)}`);
    const order = [`${ts} DESC`];
    if (view.createdTimestampColumn) order.push(`s.${quoteIdent(view.createdTimestampColumn)} DESC NULLS LAST`);
    joins.push(
      `LEFT JOIN LATERAL (SELECT ${inner.join(', ') || '1 AS present'} FROM ${quoteIdent(view.table.schema)}.${quoteIdent(view.table.name)} s ` +
        `WHERE ${where.join(' AND ')} ORDER BY ${order.join(', ')} LIMIT 1) v${vi} ON true`,
    );
    for (const { f, fi } of mine) {
      const isArray = columns.get(columnOf(view, f.feature))?.isArray ?? false;
      // Aliased so a caller wrapping the SELECT (training datasets: CREATE TABLE AS) can name each output.
      selects[fi + 1] = `${(f.type === 'object' || f.type === 'array') && isArray ? `to_jsonb(v${vi}.f${fi})` : `v${vi}.f${fi}`} AS f${fi}`;
    }
  });
  // Inline: the entity rows come with the query (a read replica cannot hold the temp table).
  const select = `SELECT ${selects.join(', ')} FROM ${inline ? inline.relation : temp} e ${joins.join(' ')} ORDER BY e._row`;
  return { createTemp, copy, analyze: `ANALYZE ${temp}`, select, masks: [...masks], params: inline?.params ?? [] };
}

/** Physical column of a feature (the view lists client names with their offline column). */
export function columnOf(view: ResolvedFeatureView, feature: string): string {
  return view.features.find((f) => f.name === feature)?.column ?? feature;
}
