import type { DataSource, EntityManager } from 'typeorm';
import { domainRoleName } from '../../../features/offline/domain-roles';
import { quoteIdent } from '../../../features/offline/offline-naming';
import { ScoringError, ScoringErrorCode } from '../../scoring-error';
import type { FederatedSite, SiteGradient, SiteMoments } from './federated-protocol';

/** Where one domain's training rows are: its port table, the feature columns in model order, the label column. */
export interface SiteTable {
  domain: string;
  schema: string;
  table: string;
  /** Column names and logical types, in the model's feature order. */
  features: { name: string; logicalType: string }[];
  label: { name: string; logicalType: string };
}

/** A column as float8: booleans as 0/1, numbers as themselves (the contract admits no other type here). */
function asFloat(column: { name: string; logicalType: string }): string {
  const c = quoteIdent(column.name);
  return column.logicalType === 'boolean' ? `CASE WHEN ${c} THEN 1::float8 WHEN NOT ${c} THEN 0::float8 END` : `${c}::float8`;
}

/**
 * A domain's site of the federated protocol (ADR 0033): every statement runs in a read-only
 * transaction as the domain's own role (ADR 0019), so it can read that domain's schema and nothing
 * else, and returns one row of aggregates. Rows whose label is not 0/1 or whose features are not all
 * finite numbers are left out everywhere (the round-1 count says how many were used).
 */
export class DomainSite implements FederatedSite {
  readonly domain: string;
  private readonly usable: string;
  private readonly width: number;

  constructor(
    private readonly ds: DataSource,
    private readonly t: SiteTable,
    private readonly timeoutMs = 30_000,
  ) {
    this.domain = t.domain;
    this.width = t.features.length;
    const xs = t.features.map((f, j) => `${asFloat(f)} AS x${j}`).join(', ');
    const finite = t.features.map((_, j) => `abs(x${j}) < 'Infinity'::float8`).join(' AND ');
    // NaN sorts above Infinity in PostgreSQL, so `abs(x) < 'Infinity'` drops NaN, ±Infinity and NULL.
    this.usable = `WITH r AS (SELECT ${xs}, ${asFloat(t.label)} AS y FROM ${quoteIdent(t.schema)}.${quoteIdent(t.table)}),
      u AS (SELECT * FROM r WHERE y IN (0, 1) AND ${finite})`;
  }

  async moments(): Promise<SiteMoments> {
    const sums = this.cols((j) => `coalesce(sum(x${j}), 0)::float8 AS s${j}`);
    const [row] = await this.asDomain<Record<string, number>>(`${this.usable} SELECT count(*)::int AS n, ${sums} FROM u`, []);
    return { rows: Number(row.n), sums: this.pick(row, 's') };
  }

  async centeredSquares(mean: number[]): Promise<number[]> {
    const squares = this.cols((j) => `coalesce(sum((x${j} - $${j + 1}::float8) * (x${j} - $${j + 1}::float8)), 0)::float8 AS c${j}`);
    const [row] = await this.asDomain<Record<string, number>>(`${this.usable} SELECT ${squares} FROM u`, mean);
    return this.pick(row, 'c');
  }

  async gradient(mean: number[], std: number[], weights: number[], bias: number): Promise<SiteGradient> {
    const f = this.width;
    // $1..$f means, $f+1..$2f stds, $2f+1 bias, $2f+2.. weights. The logit adds terms in feature
    // order starting from the bias, as the centralized fit does, so each row's sum rounds the same.
    const z = this.cols((j) => `(x${j} - $${j + 1}::float8) / $${f + j + 1}::float8 AS z${j}`);
    let logit = `$${2 * f + 1}::float8`;
    for (let j = 0; j < f; j++) logit = `(${logit} + $${2 * f + 2 + j}::float8 * z${j})`;
    const zs = this.cols((j) => `z${j}`);
    // exp is clamped at -700: PostgreSQL raises on underflow where JavaScript returns 0 (the sums differ by < 1e-300).
    const sql = `${this.usable},
      z AS (SELECT ${z}, y FROM u),
      t AS (SELECT ${zs}, y, ${logit} AS t FROM z),
      p AS (SELECT ${zs}, y, CASE WHEN t >= 0 THEN 1 / (1 + exp(greatest(-t, -700))) ELSE exp(greatest(t, -700)) / (1 + exp(greatest(t, -700))) END AS p FROM t)
      SELECT count(*)::int AS n, coalesce(sum(p - y), 0)::float8 AS gb,
             coalesce(sum(-(y * ln(greatest(p, 1e-12)) + (1 - y) * ln(greatest(1 - p, 1e-12)))), 0)::float8 AS loss,
             ${this.cols((j) => `coalesce(sum((p - y) * z${j}), 0)::float8 AS g${j}`)}
        FROM p`;
    const [row] = await this.asDomain<Record<string, number>>(sql, [...mean, ...std, bias, ...weights]);
    return { rows: Number(row.n), biasSum: Number(row.gb), lossSum: Number(row.loss), weightSums: this.pick(row, 'g') };
  }

  private cols(each: (j: number) => string): string {
    return Array.from({ length: this.width }, (_, j) => each(j)).join(', ');
  }

  private pick(row: Record<string, number>, prefix: string): number[] {
    return Array.from({ length: this.width }, (_, j) => Number(row[`${prefix}${j}`]));
  }

  /** One statement as the domain's role, read-only and time-bounded; fails closed when the role is missing. */
  private async asDomain<T>(sql: string, params: number[]): Promise<T[]> {
    try {
      return await this.run<T>(sql, params);
    } catch (err) {
      if (err instanceof ScoringError) throw err;
      // SQLSTATE only: PostgreSQL's message can quote row values, and rows never leave the domain.
      const code = (err as { code?: unknown }).code;
      throw new ScoringError(ScoringErrorCode.TRAINING_SITE_FAILED, `domain ${this.domain}: its aggregate statement failed as its role (SQLSTATE ${typeof code === 'string' ? code : 'unknown'})`, [
        { field: 'participants', reason: `domain ${this.domain}: SQLSTATE ${typeof code === 'string' ? code : 'unknown'}` },
      ]);
    }
  }

  private run<T>(sql: string, params: number[]): Promise<T[]> {
    return this.ds.transaction(async (m: EntityManager) => {
      const [{ db }] = await m.query<{ db: string }[]>('SELECT current_database() AS db');
      const role = domainRoleName(db, this.t.schema);
      if ((await m.query<unknown[]>('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).length === 0) {
        throw new ScoringError(ScoringErrorCode.TRAINING_SITE_FAILED, `the database role ${role} of domain ${this.domain} is missing (created at apply and at start; docs/database-roles.md)`, [
          { field: 'participants', reason: `domain ${this.domain}: its database role is missing` },
        ]);
      }
      await m.query(`SET LOCAL transaction_read_only = on; SET LOCAL statement_timeout = ${Math.floor(this.timeoutMs)}; SET LOCAL search_path = pg_catalog, pg_temp; SET LOCAL ROLE ${quoteIdent(role)}`);
      return m.query<T[]>(sql, params);
    });
  }
}
