/** Which versions of one model serve traffic, and how (ADR 0011). */
export interface DeploymentState {
  name: string;
  /** Answers every row that is not routed to the canary. */
  production: string;
  /** Answers `percent` % of entities, chosen by a stable hash of their join-key values. */
  canary: { version: string; percent: number } | null;
  /** Score the same rows off the answer path; their results only reach the prediction log. */
  shadows: string[];
  /** Former production versions, most recent last: what `rollback` returns to. */
  previous: string[];
  revision: number;
  updatedAt: Date;
  updatedBy: string;
}

export type DeploymentAction = 'deploy' | 'set_canary' | 'clear_canary' | 'add_shadow' | 'remove_shadow' | 'promote_canary' | 'rollback';

/** The part of a deployment a change can alter, as recorded in the history (before/after). */
export type DeploymentSnapshot = Pick<DeploymentState, 'production' | 'canary' | 'shadows' | 'previous'>;

export interface DeploymentChange {
  seq: number;
  name: string;
  action: DeploymentAction;
  /** null for the first deployment of a model. */
  before: DeploymentSnapshot | null;
  after: DeploymentSnapshot;
  changedBy: string;
  changedAt: Date;
}

/**
 * How predict routes a model right now. `source: 'stage'` when the model has no deployment and the
 * production-stage version answers alone (no canary, no shadows).
 */
export interface PredictRoute {
  name: string;
  production: string;
  canary: { version: string; percent: number } | null;
  shadows: string[];
  source: 'deployment' | 'stage';
}

export function snapshot(s: DeploymentState): DeploymentSnapshot {
  return { production: s.production, canary: s.canary, shadows: s.shadows, previous: s.previous };
}
