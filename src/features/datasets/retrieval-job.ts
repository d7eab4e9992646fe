import type { Principal } from '../../governance/auth/principal';
import type { HistoricalFeaturesBody } from '../retrieval/historical-features.input';
import type { StagedSpine } from '../retrieval/pit-entity-frame';
import type { EntityQuery } from './training-dataset.input';

export const RETRIEVAL_JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RetrievalJobStatus = (typeof RETRIEVAL_JOB_STATUSES)[number];
/** What was asked for: a training-dataset save, or a historical retrieval whose answer is kept as one. */
export type RetrievalJobKind = 'training-dataset' | 'historical-features';

/** The request as kept in the job row: everything a replica needs to run it again from the start. */
export interface RetrievalJobRequest {
  name: string;
  description: string | null;
  retrieval: HistoricalFeaturesBody;
  entitiesFrom?: EntityQuery;
  /**
   * An uploaded spine (Arrow, Parquet): kept in a table of its own (tessera_datasets._spine_<hex>)
   * from the submit's transaction until the job ends; `retrieval.entities` is then empty.
   */
  staged?: StagedSpine;
  /** The entity columns in the order sent (`retrieval.entities` is kept as jsonb, which reorders keys). */
  entityColumns?: string[];
}

/** One retrieval job (tessera.retrieval_jobs), as the API answers it. */
export interface RetrievalJob {
  id: string;
  kind: RetrievalJobKind;
  status: RetrievalJobStatus;
  /** Entity rows joined so far, of rowsTotal (known once the job has loaded its entity rows; the submitted count before). */
  rowsDone: number;
  rowsTotal: number;
  /** rowsDone / rowsTotal, 0..1 (1 when succeeded). */
  progress: number;
  /** The training dataset the result is saved as: its name, and its version once succeeded. */
  datasetName: string;
  datasetVersion: number | null;
  /** Where to download the result (Arrow with Accept: application/vnd.apache.arrow.stream), once succeeded. */
  resultUrl: string | null;
  /** Runs started (a job claimed again after its replica died counts again). */
  attempts: number;
  cancelRequested: boolean;
  error: string | null;
  createdBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** A job as claimed by a worker: with what it needs to run. */
export interface ClaimedRetrievalJob {
  job: RetrievalJob;
  request: RetrievalJobRequest;
  principal: Principal;
}

export function isFinished(status: RetrievalJobStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

/**
 * Why a worker stopped a job between steps: cancelled by a caller; `lost`, the claim went to another
 * replica (this one missed its lease); `shutdown`, this replica is stopping and gives the job back.
 */
export class RetrievalJobStopped extends Error {
  constructor(readonly reason: 'cancelled' | 'lost' | 'shutdown') {
    super(`retrieval job stopped: ${reason}`);
  }
}
