import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RuleResult } from './quality-evaluator';

export type QualityTrigger = 'ingest' | 'schedule' | 'api';
export type QualityOutcome = 'passed' | 'warned' | 'failed';

/** One evaluation of a port's rules, as stored. */
export interface QualityRun {
  id: string;
  productId: string;
  port: string;
  major: number;
  contractId: string;
  contractVersion: string;
  trigger: QualityTrigger;
  startedAt: Date;
  finishedAt: Date;
  /** failed: a blocking rule failed or could not be evaluated; warned: only non-blocking ones did. */
  outcome: QualityOutcome;
  /** Ingest runs: whether the batch was stored; null for scheduled and API runs. */
  ingestAccepted: boolean | null;
  passedCount: number;
  failedCount: number;
  errorCount: number;
  skippedCount: number;
  results: RuleResult[];
}

/** A run's outcome and counts, without its results. */
export interface StoredRunSummary {
  id: string;
  outcome: QualityOutcome;
  finishedAt: Date;
  passed: number;
  failed: number;
  errors: number;
}

export type NewQualityRun = Omit<QualityRun, 'passedCount' | 'failedCount' | 'errorCount' | 'skippedCount'>;

interface RunRow {
  id: string;
  product_id: string;
  port: string;
  major: number;
  contract_id: string;
  contract_version: string;
  trigger: QualityTrigger;
  started_at: Date;
  finished_at: Date;
  outcome: QualityOutcome;
  ingest_accepted: boolean | null;
  passed_count: number;
  failed_count: number;
  error_count: number;
  skipped_count: number;
}

interface ResultRow {
  run_id: string;
  rule_path: string;
  rule_id: string | null;
  element: string;
  kind: RuleResult['kind'];
  metric: string | null;
  query: string | null;
  description: string | null;
  dimension: string | null;
  severity: string | null;
  blocking: boolean;
  operator: RuleResult['operator'];
  threshold: unknown;
  unit: RuleResult['unit'];
  measured: number | null;
  status: RuleResult['status'];
  message: string;
}

/**
 * tessera.quality_runs and tessera.quality_results. Writes go through the application pool, never
 * through an ingest's transaction, so a rejected batch still leaves its run behind.
 * `latestStoredRun` is what the SLO evaluation reads, through QualityRunsQuery.
 */
@Injectable()
export class QualityResultsRepository {
  constructor(private readonly ds: DataSource) {}

  async record(run: NewQualityRun): Promise<QualityRun> {
    const count = (s: RuleResult['status']) => run.results.filter((r) => r.status === s).length;
    const counts = { passedCount: count('passed'), failedCount: count('failed'), errorCount: count('error'), skippedCount: count('skipped') };
    return this.ds.transaction(async (m) => {
      const [row] = await m.query<{ id: string }[]>(
        `INSERT INTO tessera.quality_runs (id, product_id, port, major, contract_id, contract_version, trigger, started_at, finished_at, outcome, ingest_accepted, passed_count, failed_count, error_count, skipped_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
        [
          run.id,
          run.productId,
          run.port,
          run.major,
          run.contractId,
          run.contractVersion,
          run.trigger,
          run.startedAt,
          run.finishedAt,
          run.outcome,
          run.ingestAccepted,
          counts.passedCount,
          counts.failedCount,
          counts.errorCount,
          counts.skippedCount,
        ],
      );
      if (run.results.length > 0) {
        const r = run.results;
        // One INSERT for all results: unnest of parallel arrays.
        await m.query(
          `INSERT INTO tessera.quality_results (run_id, ordinal, rule_path, rule_id, element, kind, metric, query, description, dimension, severity, blocking, operator, threshold, unit, measured, status, message)
           SELECT $1, t.* FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::boolean[], $13::text[], $14::jsonb[], $15::text[], $16::float8[], $17::text[], $18::text[]) AS t`,
          [
            row.id,
            r.map((_, i) => i),
            r.map((x) => x.path),
            r.map((x) => x.id),
            r.map((x) => x.element),
            r.map((x) => x.kind),
            r.map((x) => x.metric),
            r.map((x) => x.query),
            r.map((x) => x.description),
            r.map((x) => x.dimension),
            r.map((x) => x.severity),
            r.map((x) => x.blocking),
            r.map((x) => x.operator),
            r.map((x) => (x.threshold === null || x.threshold === undefined ? null : JSON.stringify(x.threshold))),
            r.map((x) => x.unit),
            r.map((x) => x.measured),
            r.map((x) => x.status),
            r.map((x) => x.message),
          ],
        );
      }
      return { ...run, ...counts, id: row.id };
    });
  }

  /** Newest first. */
  async runs(productId: string, port: string, first: number): Promise<QualityRun[]> {
    const rows = await this.ds.query<RunRow[]>(`SELECT * FROM tessera.quality_runs WHERE product_id = $1 AND port = $2 ORDER BY started_at DESC, id LIMIT $3`, [productId, port, first]);
    return this.withResults(rows);
  }

  /** The port's most recent run (any trigger), with its results; null when its rules never ran. */
  async latestRun(productId: string, port: string): Promise<QualityRun | null> {
    return (await this.runs(productId, port, 1))[0] ?? null;
  }

  /**
   * Counts of the latest run that describes the stored data: scheduled and API runs, and ingest runs
   * whose batch was accepted (a rejected batch never reached the table).
   */
  async latestStoredRun(productId: string, port: string): Promise<StoredRunSummary | null> {
    const rows = await this.ds.query<{ id: string; outcome: QualityOutcome; finished_at: Date; passed_count: number; failed_count: number; error_count: number }[]>(
      `SELECT id, outcome, finished_at, passed_count, failed_count, error_count FROM tessera.quality_runs
       WHERE product_id = $1 AND port = $2 AND ingest_accepted IS DISTINCT FROM false
       ORDER BY started_at DESC LIMIT 1`,
      [productId, port],
    );
    const r = rows[0];
    return r ? { id: r.id, outcome: r.outcome, finishedAt: r.finished_at, passed: r.passed_count, failed: r.failed_count, errors: r.error_count } : null;
  }

  async run(id: string): Promise<QualityRun | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    return (await this.withResults(await this.ds.query<RunRow[]>(`SELECT * FROM tessera.quality_runs WHERE id = $1`, [id])))[0] ?? null;
  }

  /** True for the replica that claims a port's scheduled tick first. */
  async claimScheduledTick(target: string, tickAt: Date, claimant: string): Promise<boolean> {
    const rows = await this.ds.query<unknown[]>(`INSERT INTO tessera.quality_schedule_claims (target, tick_at, claimed_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING target`, [target, tickAt, claimant]);
    return rows.length === 1;
  }

  async pruneScheduleClaims(olderThanMs: number): Promise<void> {
    await this.ds.query(`DELETE FROM tessera.quality_schedule_claims WHERE tick_at < now() - make_interval(secs => $1::double precision / 1000)`, [olderThanMs]);
  }

  private async withResults(rows: RunRow[]): Promise<QualityRun[]> {
    if (rows.length === 0) return [];
    const results = await this.ds.query<ResultRow[]>(`SELECT * FROM tessera.quality_results WHERE run_id = ANY($1::uuid[]) ORDER BY run_id, ordinal`, [rows.map((r) => r.id)]);
    return rows.map((r) => ({
      id: r.id,
      productId: r.product_id,
      port: r.port,
      major: r.major,
      contractId: r.contract_id,
      contractVersion: r.contract_version,
      trigger: r.trigger,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      outcome: r.outcome,
      ingestAccepted: r.ingest_accepted,
      passedCount: r.passed_count,
      failedCount: r.failed_count,
      errorCount: r.error_count,
      skippedCount: r.skipped_count,
      results: results
        .filter((x) => x.run_id === r.id)
        .map((x) => ({
          path: x.rule_path,
          element: x.element,
          id: x.rule_id,
          description: x.description,
          dimension: x.dimension,
          severity: x.severity,
          blocking: x.blocking,
          operator: x.operator,
          threshold: x.threshold,
          unit: x.unit,
          kind: x.kind,
          metric: x.metric,
          query: x.query,
          measured: x.measured,
          status: x.status,
          message: x.message,
        })),
    }));
  }
}
