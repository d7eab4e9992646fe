import type { PoolClient, QueryConfig, QueryResult } from 'pg';
import { compare, inUnit, Measured } from './quality-operators';
import type { LibraryRule, PlannedRule, QualityTarget, RuleIdentity, SqlRule } from './quality-rule';
import { domainRoleName } from '../features/offline/domain-roles';
import { quoteIdent } from '../features/offline/offline-naming';
import { aggregateStatement, duplicateKey, duplicateStatement, Statement, sqlRuleStatement } from './quality-sql';
import { describeSqlFailure } from './rule-sql-failure';
import { ruleSqlRefusal } from './rule-sql-guard';

export type RuleStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface RuleResult extends RuleIdentity {
  kind: 'library' | 'sql' | 'skipped' | 'invalid';
  metric: string | null;
  query: string | null;
  /** In the rule's unit (percent when it says so); null when nothing could be measured. */
  measured: number | null;
  status: RuleStatus;
  message: string;
}

/**
 * Settings of every rule statement: the domain's role (reads its own schema only), cannot write,
 * bounded time, no user schema on the search path, and enough work_mem for a duplicate GROUP BY of
 * ~1M keys to hash in memory instead of spilling. All SET LOCAL inside the savepoint: rolling back to
 * it restores the service's own role and settings.
 */
function guardSql(timeoutMs: number, role: string): string {
  return `SAVEPOINT tessera_quality; SET LOCAL transaction_read_only = on; SET LOCAL statement_timeout = ${Math.floor(timeoutMs)}; SET LOCAL search_path = pg_catalog, pg_temp; SET LOCAL work_mem = '64MB'; SET LOCAL ROLE ${quoteIdent(role)}`;
}
const UNGUARD = 'ROLLBACK TO SAVEPOINT tessera_quality; RELEASE SAVEPOINT tessera_quality';

/**
 * Evaluates planned rules on a connection that is inside a transaction (the ingest's, or a
 * read-only one of its own). Each statement runs in a savepoint made read-only, with a
 * statement_timeout and a pg_catalog-only search_path, and is always rolled back to it: a failing
 * or slow rule becomes that rule's error, never the transaction's. Rule SQL goes over the extended
 * protocol, which refuses several statements in one string (so no `; COMMIT`). Every statement
 * runs as the domain's role (ADR 0019); sql rules are first checked by the PostgreSQL parser
 * (rule-sql-guard), since contracts applied before that check existed never went through it.
 * A failing sql rule's message names the SQLSTATE class only: PostgreSQL's own messages can quote
 * row values (`invalid input syntax for type integer: "<value>"`).
 */
export class QualityEvaluator {
  constructor(
    private readonly client: PoolClient,
    private readonly target: QualityTarget,
    private readonly timeoutMs: number,
  ) {}

  private role = '';

  async evaluate(rules: readonly PlannedRule[]): Promise<RuleResult[]> {
    const { rows } = await this.client.query<{ db: string }>('SELECT current_database() AS db');
    this.role = domainRoleName(rows[0].db, this.target.schema);
    // Fail closed, and say why: without its role a rule must not run as the service.
    if ((await this.client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [this.role])).rowCount === 0) {
      const message = `the domain's database role ${this.role} is missing (it is created at apply and at start; docs/database-roles.md)`;
      return rules.map((r) => ({ ...identity(r), kind: r.kind, metric: r.kind === 'sql' ? null : r.metric, query: r.kind === 'library' ? null : r.query, measured: null, status: 'error' as const, message }));
    }
    const results = new Map<string, RuleResult>();
    const library = rules.filter((r): r is LibraryRule => r.kind === 'library');
    if (library.length > 0) for (const r of await this.library(library)) results.set(r.path, r);
    for (const rule of rules) {
      if (rule.kind === 'sql') results.set(rule.path, await this.sql(rule));
      else if (rule.kind === 'skipped' || rule.kind === 'invalid') {
        results.set(rule.path, { ...identity(rule), kind: rule.kind, metric: rule.metric, query: rule.query, measured: null, status: rule.kind === 'skipped' ? 'skipped' : 'error', message: rule.reason });
      }
    }
    return rules.map((r) => results.get(r.path)!);
  }

  private async library(rules: LibraryRule[]): Promise<RuleResult[]> {
    const counts = new Map<string, number>();
    const errors = new Map<string, string>();
    let rows: number | null = null;
    const agg = aggregateStatement(this.target, rules);
    try {
      const row = (await this.run(agg)).rows[0] as Record<string, string>;
      rows = Number(row.n);
      for (const [path, alias] of agg.aliases) counts.set(path, Number(row[alias]));
    } catch {
      // One bad argument (a value the column type cannot parse, a regex PostgreSQL refuses) must
      // not hide the other rules: count each rule alone to find and name the broken one.
      for (const rule of rules.filter((r) => r.metric !== 'duplicateValues')) {
        const one = aggregateStatement(this.target, [rule]);
        try {
          const row = (await this.run(one)).rows[0] as Record<string, string>;
          rows = Number(row.n);
          counts.set(rule.path, Number(row[one.aliases.get(rule.path)!]));
        } catch (e) {
          errors.set(rule.path, (e as Error).message);
        }
      }
    }
    const byKey = new Map<string, number | Error>();
    for (const rule of rules.filter((r) => r.metric === 'duplicateValues')) {
      const key = duplicateKey(rule);
      const id = JSON.stringify(key);
      if (!byKey.has(id)) {
        try {
          byKey.set(id, Number(((await this.run(duplicateStatement(this.target, key))).rows[0] as { surplus: unknown }).surplus));
        } catch (e) {
          byKey.set(id, e as Error);
        }
      }
      const v = byKey.get(id)!;
      if (v instanceof Error) errors.set(rule.path, v.message);
      else counts.set(rule.path, v);
    }
    return rules.map((rule) => {
      const base = { ...identity(rule), kind: 'library' as const, metric: rule.metric, query: null };
      const count = counts.get(rule.path);
      if (count === undefined || (rows === null && rule.unit === 'percent')) {
        return { ...base, measured: null, status: 'error' as const, message: `could not be measured: ${errors.get(rule.path) ?? 'row count unavailable'}` };
      }
      // rowCount has no percent: it is the denominator.
      const measured = rule.metric === 'rowCount' ? count : inUnit(count, rows ?? 0, rule.unit);
      return judge(base, measured, `${rule.metric}${rule.column ? ` of ${rule.column.name}` : ''}`);
    });
  }

  private async sql(rule: SqlRule): Promise<RuleResult> {
    const base = { ...identity(rule), kind: 'sql' as const, metric: null, query: rule.query };
    const fail = (message: string): RuleResult => ({ ...base, measured: null, status: 'error', message: `sql rule failed: ${message}` });
    let stmt: Statement;
    try {
      stmt = sqlRuleStatement(rule.query, this.target, rule.column);
    } catch (e) {
      return fail((e as Error).message);
    }
    const refusal = await ruleSqlRefusal(stmt.text, this.target.schema);
    if (refusal) return fail(`refused: ${refusal}`);
    let res: QueryResult;
    try {
      res = await this.run(stmt, true);
    } catch (e) {
      return fail(describeSqlFailure(e));
    }
    // Never quote the value: it is row content, possibly of a table the rule should not have read.
    if (res.rows.length !== 1) return fail(`the query must return exactly one row (got ${res.rows.length === 0 ? 'none' : 'several'})`);
    const value = (res.rows[0] as unknown[])[0];
    let measured: Measured;
    if (typeof value === 'boolean') measured = value;
    else if (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))) measured = Number(value);
    else return fail(`the query must return a number or a boolean (got ${value === null ? 'NULL' : 'another type'})`);
    return judge(base, measured, 'query');
  }

  private async run(stmt: Statement, asArrays = false): Promise<QueryResult> {
    try {
      // Inside the try: a guard that fails halfway (after SAVEPOINT) must still be rolled back to.
      await this.client.query(guardSql(this.timeoutMs, this.role));
      // queryMode extended: one statement only, even without parameters (pg would use the simple protocol).
      // Asserted: @types/pg declares neither queryMode nor an optional rowMode.
      return await this.client.query({ text: stmt.text, values: stmt.values, rowMode: asArrays ? 'array' : undefined, queryMode: 'extended' } as QueryConfig);
    } finally {
      await this.client.query(UNGUARD);
    }
  }
}

function identity(rule: PlannedRule): RuleIdentity {
  const { path, element, id, description, dimension, severity, blocking, operator, threshold, unit } = rule;
  return { path, element, id, description, dimension, severity, blocking, operator, threshold, unit };
}

function judge(base: Omit<RuleResult, 'measured' | 'status' | 'message'>, measured: Measured, what: string): RuleResult {
  const numeric = typeof measured === 'boolean' ? (measured ? 1 : 0) : measured;
  try {
    const c = compare(measured, base.operator!, base.threshold, base.unit);
    const shown = `${typeof measured === 'boolean' ? measured : round(numeric)}${base.unit === 'percent' ? ' %' : ''}`;
    return { ...base, measured: numeric, status: c.passed ? 'passed' : 'failed', message: `${what} measured ${shown}, expected ${c.expected}` };
  } catch (e) {
    return { ...base, measured: numeric, status: 'error', message: (e as Error).message };
  }
}

function round(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(4).replace(/0+$/, '');
}
