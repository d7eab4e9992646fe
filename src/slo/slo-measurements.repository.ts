import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface EvaluationRow {
  productId: string;
  port: string;
  slo: string;
  scope: string;
  evaluatedAt: Date;
  status: 'met' | 'at_risk' | 'breached';
  measured: number | null;
  target: number;
  unit: string;
  evidence: Record<string, unknown>;
}

/**
 * The SLO context's own tables: loads, read counts, evaluations and schedule claims. What SLOs are
 * measured from (other modules' data) comes through MeasuredPorts.
 */
@Injectable()
export class SloMeasurementsRepository {
  constructor(private readonly ds: DataSource) {}

  async lastLoads(productId: string, port: string, n: number): Promise<{ loadedAt: Date; rows: number }[]> {
    const rows = await this.ds.query<
      {
        loaded_at: Date;
        rows: number;
      }[]
    >(`SELECT loaded_at, rows FROM tessera.port_loads WHERE product_id = $1 AND port = $2 ORDER BY loaded_at DESC LIMIT $3`, [productId, port, n]);
    return rows.map((r) => ({ loadedAt: r.loaded_at, rows: r.rows }));
  }

  async recordLoad(load: { productId: string; port: string; rows: number; inserted: number; via: string; at: Date }): Promise<void> {
    await this.ds.query(`INSERT INTO tessera.port_loads (product_id, port, loaded_at, rows, inserted, via) VALUES ($1, $2, $3, $4, $5, $6)`, [
      load.productId,
      load.port,
      load.at,
      load.rows,
      load.inserted,
      load.via,
    ]);
  }

  /** Adds buffered per-minute read counts (one statement for the whole buffer). */
  async addReads(counts: { table: string; minute: Date; ok: number; failed: number }[]): Promise<void> {
    if (counts.length === 0) return;
    await this.ds.query(
      `INSERT INTO tessera.table_reads AS r (table_name, minute, ok, failed)
       SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::bigint[], $4::bigint[])
       ON CONFLICT (table_name, minute) DO UPDATE SET ok = r.ok + EXCLUDED.ok, failed = r.failed + EXCLUDED.failed`,
      [counts.map((c) => c.table), counts.map((c) => c.minute), counts.map((c) => c.ok), counts.map((c) => c.failed)],
    );
  }

  async readTotals(table: string, since: Date): Promise<{ ok: number; failed: number }> {
    const [row] = await this.ds.query<{ ok: number; failed: number }[]>(
      `SELECT COALESCE(sum(ok), 0)::float8 AS ok, COALESCE(sum(failed), 0)::float8 AS failed FROM tessera.table_reads WHERE table_name = $1 AND minute >= $2`,
      [table, since],
    );
    return row;
  }

  async insertEvaluations(rows: EvaluationRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.ds.query(
      `INSERT INTO tessera.slo_evaluations (product_id, port, slo, scope, evaluated_at, status, measured, target, unit, evidence)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::float8[], $8::float8[], $9::text[], $10::jsonb[])`,
      [
        rows.map((r) => r.productId),
        rows.map((r) => r.port),
        rows.map((r) => r.slo),
        rows.map((r) => r.scope),
        rows.map((r) => r.evaluatedAt),
        rows.map((r) => r.status),
        rows.map((r) => r.measured),
        rows.map((r) => r.target),
        rows.map((r) => r.unit),
        rows.map((r) => JSON.stringify(r.evidence)),
      ],
    );
  }

  /** Evaluations of one SLO since `since`, oldest first, plus the last one before it (where the window starts). */
  async history(key: { productId: string; port: string; slo: string; scope: string }, since: Date): Promise<EvaluationRow[]> {
    const rows = await this.ds.query<Record<string, unknown>[]>(
      `(SELECT * FROM tessera.slo_evaluations WHERE product_id = $1 AND port = $2 AND slo = $3 AND scope = $4 AND evaluated_at < $5 ORDER BY evaluated_at DESC LIMIT 1)
       UNION ALL
       (SELECT * FROM tessera.slo_evaluations WHERE product_id = $1 AND port = $2 AND slo = $3 AND scope = $4 AND evaluated_at >= $5)
       ORDER BY evaluated_at`,
      [key.productId, key.port, key.slo, key.scope, since],
    );
    return rows.map(toEvaluation);
  }

  /** The latest evaluation of each SLO, optionally of one product. */
  async latest(productId?: string): Promise<EvaluationRow[]> {
    const rows = await this.ds.query<Record<string, unknown>[]>(
      `SELECT DISTINCT ON (product_id, port, slo, scope) *
       FROM tessera.slo_evaluations WHERE $1::text IS NULL OR product_id = $1
       ORDER BY product_id, port, slo, scope, evaluated_at DESC, id DESC`,
      [productId ?? null],
    );
    return rows.map(toEvaluation);
  }

  /**
   * Rows sorted by (product, port, SLO, scope) in the database's collation: the order `latest` gives,
   * for rows merged from several sources (e.g. model drift's own table).
   */
  async inEvaluationOrder<T extends Pick<EvaluationRow, 'productId' | 'port' | 'slo' | 'scope'>>(rows: T[]): Promise<T[]> {
    if (rows.length < 2) return rows;
    const order = await this.ds.query<{ i: string }[]>(
      `SELECT k.i FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS k(product_id, port, slo, scope, i) ORDER BY product_id, port, slo, scope, i`,
      [rows.map((r) => r.productId), rows.map((r) => r.port), rows.map((r) => r.slo), rows.map((r) => r.scope)],
    );
    return order.map((r) => rows[Number(r.i) - 1]);
  }

  /** Drops evaluations and read counts older than `before` (kept: two windows). */
  async prune(before: Date): Promise<void> {
    await this.ds.query(`DELETE FROM tessera.slo_evaluations WHERE evaluated_at < $1`, [before]);
    await this.ds.query(`DELETE FROM tessera.table_reads WHERE minute < $1`, [before]);
    await this.ds.query(`DELETE FROM tessera.slo_schedule_claims WHERE tick_at < $1`, [before]);
  }

  async claimTick(tickAt: Date, claimant: string): Promise<boolean> {
    const rows = await this.ds.query<unknown[]>(`INSERT INTO tessera.slo_schedule_claims (tick_at, claimed_by) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING tick_at`, [tickAt, claimant]);
    return rows.length === 1;
  }
}

/** A row of tessera.slo_evaluations. */
export function toEvaluation(r: Record<string, unknown>): EvaluationRow {
  return {
    productId: r.product_id as string,
    port: r.port as string,
    slo: r.slo as string,
    scope: r.scope as string,
    evaluatedAt: r.evaluated_at as Date,
    status: r.status as EvaluationRow['status'],
    measured: r.measured as number | null,
    target: r.target as number,
    unit: r.unit as string,
    evidence: r.evidence as Record<string, unknown>,
  };
}
