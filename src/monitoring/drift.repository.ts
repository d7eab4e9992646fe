import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** One stored drift check of one feature (or output) of a model version. */
export interface DriftEvaluation {
  model: string;
  version: string;
  /** `view:feature`, or `output:<name>` for prediction drift. */
  scope: string;
  evaluatedAt: Date;
  status: 'met' | 'breached';
  psi: number | null;
  threshold: number;
  evidence: Record<string, unknown>;
}

interface Row {
  model: string;
  version: string;
  scope: string;
  evaluated_at: Date;
  status: DriftEvaluation['status'];
  psi: number | null;
  threshold: number;
  evidence: Record<string, unknown>;
}

function toEvaluation(r: Row): DriftEvaluation {
  return { model: r.model, version: r.version, scope: r.scope, evaluatedAt: r.evaluated_at, status: r.status, psi: r.psi, threshold: r.threshold, evidence: r.evidence };
}

/** tessera.model_drift_evaluations (migration 1764340400000): the history of drift checks. */
@Injectable()
export class DriftRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(rows: DriftEvaluation[]): Promise<void> {
    if (rows.length === 0) return;
    await this.ds.query(
      `INSERT INTO tessera.model_drift_evaluations (model, version, scope, evaluated_at, status, psi, threshold, evidence)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::float8[], $7::float8[], $8::jsonb[])`,
      [
        rows.map((r) => r.model),
        rows.map((r) => r.version),
        rows.map((r) => r.scope),
        rows.map((r) => r.evaluatedAt),
        rows.map((r) => r.status),
        rows.map((r) => r.psi),
        rows.map((r) => r.threshold),
        rows.map((r) => JSON.stringify(r.evidence)),
      ],
    );
  }

  /** The latest check of each model version and scope, optionally of one model. */
  async latest(model?: string): Promise<DriftEvaluation[]> {
    const rows = await this.ds.query<Row[]>(
      `SELECT DISTINCT ON (model, version, scope) * FROM tessera.model_drift_evaluations
       WHERE $1::text IS NULL OR model = $1
       ORDER BY model, version, scope, evaluated_at DESC, id DESC`,
      [model ?? null],
    );
    return rows.map(toEvaluation);
  }

  /** Checks of one scope since `since`, oldest first, plus the last one before it (where the window starts). */
  async history(key: { model: string; version: string; scope: string }, since: Date): Promise<DriftEvaluation[]> {
    const rows = await this.ds.query<Row[]>(
      `(SELECT * FROM tessera.model_drift_evaluations WHERE model = $1 AND version = $2 AND scope = $3 AND evaluated_at < $4 ORDER BY evaluated_at DESC LIMIT 1)
       UNION ALL
       (SELECT * FROM tessera.model_drift_evaluations WHERE model = $1 AND version = $2 AND scope = $3 AND evaluated_at >= $4)
       ORDER BY evaluated_at`,
      [key.model, key.version, key.scope, since],
    );
    return rows.map(toEvaluation);
  }

  /** Drops checks older than `before`. */
  async prune(before: Date): Promise<void> {
    await this.ds.query(`DELETE FROM tessera.model_drift_evaluations WHERE evaluated_at < $1`, [before]);
  }
}
