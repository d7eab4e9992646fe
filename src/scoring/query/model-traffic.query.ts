import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** One logged prediction as model monitoring reads it. */
export interface LoggedPrediction {
  features: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** Per feature: its online status when scored (PRESENT, NOT_FOUND, OUTSIDE_MAX_AGE...). */
  statuses: Record<string, string>;
  /** Why the row was refused; null when it was scored. */
  rejected: string | null;
}

/**
 * Scoring's read interface for model monitoring: which versions answer traffic, and what they were
 * asked and answered, so no other module reads tessera.model_deployments or tessera.prediction_log
 * itself (ADR 0021).
 */
@Injectable()
export class ModelTrafficQuery {
  constructor(private readonly ds: DataSource) {}

  /** Versions that answer traffic: every deployment's production and canary (shadows too: they are logged). */
  async liveVersions(): Promise<{ model: string; version: string }[]> {
    return await this.ds.query<{ model: string; version: string }[]>(
      `SELECT DISTINCT name AS model, v AS version FROM tessera.model_deployments,
              unnest(array_remove(ARRAY[production_version, canary_version], NULL) || shadow_versions) AS v
       ORDER BY 1, 2`,
    );
  }

  /** The newest logged rows of a model version in [since, until), at most `limit`. */
  async loggedPredictions(model: string, version: string, since: Date, until: Date, limit: number): Promise<LoggedPrediction[]> {
    return await this.ds.query<LoggedPrediction[]>(
      `SELECT features, outputs, statuses, rejected FROM tessera.prediction_log
       WHERE model = $1 AND version = $2 AND at >= $3 AND at < $4 ORDER BY at DESC LIMIT $5`,
      [model, version, since, until, limit],
    );
  }
}
