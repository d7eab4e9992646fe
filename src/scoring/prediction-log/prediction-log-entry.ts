/**
 * One scored row as the prediction path hands it to the prediction log. Shared contract between the
 * prediction path (producer) and the prediction log writer (consumer); extend, do not rename.
 */
export interface PredictionLogEntry {
  /** Request id shared by all rows of one predict call. */
  requestId: string;
  model: string;
  version: string;
  /** production | canary | shadow: how this version came to score the row. */
  role: 'production' | 'canary' | 'shadow';
  /** The row's entity key values, by join key. */
  entity: Record<string, unknown>;
  /** Feature values used (after imputation), by model input feature name. */
  features: Record<string, unknown>;
  /** Per feature: PRESENT | NOT_FOUND | NULL_VALUE | OUTSIDE_MAX_AGE | IMPUTED. */
  statuses: Record<string, string>;
  /** Model outputs for this row, by output name. */
  outputs: Record<string, unknown>;
  /** Row rejected instead of scored: the reason; outputs are then empty. */
  rejected?: string;
  /** End-to-end latency of the predict call in milliseconds (features + model). */
  latencyMs: number;
  at: Date;
}

/** Where the prediction path sends entries; implementations must not block the caller. */
export interface PredictionLogSink {
  record(entries: readonly PredictionLogEntry[]): void;
}

export const PREDICTION_LOG_SINK = Symbol('PREDICTION_LOG_SINK');
