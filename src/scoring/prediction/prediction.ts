import type { RowFeatureStatus } from './feature-assembly';

/** One entity row of a prediction answer. */
export interface PredictionRow {
  /** The version that scored (or rejected) this row, and why that version. */
  version: string;
  role: 'production' | 'canary';
  /** Feature values fed to the model by `view:feature` (after imputation; null when missing). */
  features: Record<string, number | null>;
  statuses: Record<string, RowFeatureStatus>;
  /** Set when the row was not scored: which features, and why (its outputs are null). */
  rejected?: string;
}

/** The answer of `POST /v1/models/{name}/predict` (DESIGN.md, External API surface). */
export interface PredictionResult {
  /** Shared with the prediction log entries of this call. */
  requestId: string;
  /**
   * The version that answered. When a multi-row request is split by the canary, this is the
   * production version and each row's `version` says which answered it.
   */
  model: { name: string; version: string };
  /** Per output name, one value per row in request order; null for rejected rows. */
  outputs: Record<string, unknown[]>;
  rows: PredictionRow[];
}
