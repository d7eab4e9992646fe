import { PG_TYPES } from '../features/offline/offline-columns';
import { quoteIdent } from '../features/offline/offline-naming';
import type { OfflineColumn } from '../features/offline/offline-table.entity';
import type { LibraryRule, QualityTarget } from './quality-rule';

/** A parameterized statement. */
export interface Statement {
  text: string;
  values: unknown[];
}

/** The aggregate of the library rules of one table: `n` (row count) and one count per rule. */
export interface AggregateStatement extends Statement {
  /** Column alias of each rule's count, by rule path (rowCount rules read `n`). */
  aliases: Map<string, string>;
}

export function qualifiedTable(target: Pick<QualityTarget, 'schema' | 'table'>): string {
  return `${quoteIdent(target.schema)}.${quoteIdent(target.table)}`;
}

/** A literal the column's PostgreSQL type can parse (JSON text for jsonb columns). */
function literal(column: OfflineColumn, v: unknown): string {
  if (PG_TYPES[column.logicalType] === 'jsonb') return JSON.stringify(v);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Counts every null/missing/invalid rule of the table and its row count in one scan (FILTER
 * aggregates). Value lists and patterns are bound parameters; column names are quoted.
 *  - nullValues: `col IS NULL`.
 *  - missingValues: NULL when the list holds null, else the value's text is in the list (text
 *    compare, so `'N/A'` on a numeric column simply never matches).
 *  - invalidValues: a non-null value that is not in validValues (compared in the column's own type)
 *    or does not match pattern (PostgreSQL regex on the value's text); with both, it must satisfy
 *    both. NULL is never invalid: missing data is what nullValues and missingValues measure.
 */
export function aggregateStatement(target: QualityTarget, rules: readonly LibraryRule[]): AggregateStatement {
  const values: unknown[] = [];
  const param = (v: unknown, cast: string): string => {
    values.push(v);
    return `$${values.length}::${cast}`;
  };
  const selects = ['count(*) AS n'];
  const aliases = new Map<string, string>();
  for (const rule of rules) {
    if (rule.metric === 'rowCount') {
      aliases.set(rule.path, 'n');
      continue;
    }
    if (rule.metric === 'duplicateValues') continue; // GROUP BY queries, see duplicateStatement
    const col = rule.column!;
    const c = quoteIdent(col.name);
    let predicate: string;
    if (rule.metric === 'nullValues') {
      predicate = `${c} IS NULL`;
    } else if (rule.metric === 'missingValues') {
      const list = rule.arguments.missingValues as unknown[];
      const parts: string[] = [];
      if (list.some((v) => v === null)) parts.push(`${c} IS NULL`);
      const texts = list.filter((v) => v !== null).map((v) => literal(col, v));
      if (texts.length > 0) parts.push(`${c}::text = ANY(${param(texts, 'text[]')})`);
      predicate = parts.length > 0 ? `(${parts.join(' OR ')})` : 'false';
    } else {
      const checks: string[] = [];
      const valid = rule.arguments.validValues as unknown[] | undefined;
      if (valid)
        checks.push(
          `${c} = ANY(${param(
            valid.filter((v) => v !== null).map((v) => literal(col, v)),
            `${PG_TYPES[col.logicalType]}[]`,
          )})`,
        );
      const pattern = rule.arguments.pattern as string | undefined;
      if (pattern !== undefined) checks.push(`${c}::text ~ ${param(pattern, 'text')}`);
      predicate = `${c} IS NOT NULL AND NOT (${checks.join(' AND ')})`;
    }
    const alias = `r${aliases.size}`;
    aliases.set(rule.path, alias);
    selects.push(`count(*) FILTER (WHERE ${predicate}) AS ${alias}`);
  }
  return { text: `SELECT ${selects.join(', ')} FROM ${qualifiedTable(target)}`, values, aliases };
}

/** Key columns of a duplicateValues rule: its property, or arguments.properties at schema level. */
export function duplicateKey(rule: LibraryRule): string[] {
  return rule.column ? [rule.column.name] : (rule.arguments.properties as string[]);
}

/**
 * Surplus copies of a key: rows minus distinct keys, over rows whose key has no NULL (NULLs are
 * never equal, as in a UNIQUE constraint). One GROUP BY per key set (hash aggregate).
 */
export function duplicateStatement(target: QualityTarget, key: readonly string[]): Statement {
  const cols = key.map(quoteIdent);
  return {
    text: `SELECT coalesce(sum(n - 1), 0) AS surplus FROM (SELECT count(*) AS n FROM ${qualifiedTable(target)} WHERE ${cols.map((c) => `${c} IS NOT NULL`).join(' AND ')} GROUP BY ${cols.join(', ')} HAVING count(*) > 1) AS g`,
    values: [],
  };
}

const TABLE_PLACEHOLDER = /\$\{(?:table|object|model)\}|\{(?:table|object|model)\}/g;
const COLUMN_PLACEHOLDER = /\$\{(?:property|column|field)\}|\{(?:property|column|field)\}/g;

/**
 * A sql rule's query, ready to run: `${table}`/`{object}` become the quoted qualified table,
 * `${column}`/`{property}` the quoted column of a property-level rule. The query is wrapped as a
 * derived table, so it can only be a SELECT (or VALUES/WITH without data-modifying parts) and at
 * most two rows are fetched to tell "one value" from "several".
 */
export function sqlRuleStatement(query: string, target: QualityTarget, column: OfflineColumn | null): Statement {
  const body = query.trim().replace(/;\s*$/, '');
  if (body.includes(';')) throw new Error('the query must be a single statement (no ;)');
  if (new RegExp(COLUMN_PLACEHOLDER.source).test(body) && !column) throw new Error('{property} is only known in a property-level rule');
  const text = body.replace(TABLE_PLACEHOLDER, qualifiedTable(target)).replace(COLUMN_PLACEHOLDER, column ? quoteIdent(column.name) : '');
  return { text: `SELECT * FROM (\n${text}\n) AS _tessera_rule LIMIT 2`, values: [] };
}
