export type BatchJobStatus = 'queued' | 'running' | 'succeeded' | 'failed';
export type BatchJobTrigger = 'api' | 'schedule';

/** Entity rows to score as columns (join key name to values); null = every entity of the feature service as of T. */
export type EntityColumns = Record<string, unknown[]>;

/** One batch scoring job (ADR 0035) as clients see it. */
export interface BatchScoringJob {
  id: string;
  model: string;
  version: string;
  asOf: Date;
  /** Entities given with the request (null: the feature service's population as of asOf). */
  entityCount: number | null;
  trigger: BatchJobTrigger;
  status: BatchJobStatus;
  /** Entities to score; null until the job has started. */
  total: number | null;
  /** Entities handled so far (scored or rejected). */
  done: number;
  scored: number;
  /** Rows the model's onMissing rule refused (features missing as of T): not written. */
  rejected: number;
  /** Rows new to the predictions port (the rest were there already: same version and as-of). */
  inserted: number;
  /** Rows written to the online store by the refresh of the online view (null: none configured or not yet). */
  onlineWritten: number | null;
  /** done / total, 0..1 (0 before the total is known). */
  progress: number;
  /** Times a worker claimed it: more than 1 means it was resumed after its process died. */
  attempts: number;
  error: string | null;
  requestedBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** A job as the worker needs it: the request and where it stopped. */
export interface ClaimedJob extends BatchScoringJob {
  entities: EntityColumns | null;
  cursor: unknown[] | null;
}
