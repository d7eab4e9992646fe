export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export type JobTrigger = 'api' | 'schedule';

/** One materialization run, as recorded in tessera.materialization_jobs. */
export interface MaterializationJob {
  id: string;
  featureViews: string[];
  /** Incremental jobs start each view at its own watermark; startTs is then null. */
  incremental: boolean;
  trigger: JobTrigger;
  startTs: Date | null;
  endTs: Date;
  status: JobStatus;
  rowsRead: number;
  rowsWritten: number;
  /** Fraction of the job's views done, 0..1. */
  progress: number;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}
