import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { JobStatus, JobTrigger, MaterializationJob } from './materialization-job';

interface JobRow {
  id: string;
  views: string[];
  incremental: boolean;
  trigger: JobTrigger;
  start_ts: Date | null;
  end_ts: Date;
  status: JobStatus;
  rows_read: string;
  rows_written: string;
  progress: number;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toJob(r: JobRow): MaterializationJob {
  return {
    id: r.id,
    featureViews: r.views,
    incremental: r.incremental,
    trigger: r.trigger,
    startTs: r.start_ts,
    endTs: r.end_ts,
    status: r.status,
    rowsRead: Number(r.rows_read),
    rowsWritten: Number(r.rows_written),
    progress: r.progress,
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

/** tessera.materialization_jobs and tessera.materialization_watermarks (migration 1764338600000). */
@Injectable()
export class MaterializationJobRepository {
  constructor(private readonly ds: DataSource) {}

  async create(job: { views: string[]; incremental: boolean; trigger: JobTrigger; startTs: Date | null; endTs: Date }): Promise<MaterializationJob> {
    const [row] = await this.ds.query<JobRow[]>(
      `INSERT INTO tessera.materialization_jobs (id, views, incremental, trigger, start_ts, end_ts, status)
       VALUES ($1, $2, $3, $4, $5, $6, 'queued') RETURNING *`,
      [randomUUID(), job.views, job.incremental, job.trigger, job.startTs, job.endTs],
    );
    return toJob(row);
  }

  async start(id: string): Promise<void> {
    await this.ds.query(`UPDATE tessera.materialization_jobs SET status = 'running', started_at = now(), heartbeat_at = now() WHERE id = $1`, [id]);
  }

  async progress(id: string, p: { rowsRead: number; rowsWritten: number; progress: number }): Promise<void> {
    await this.ds.query(`UPDATE tessera.materialization_jobs SET rows_read = $2, rows_written = $3, progress = $4, heartbeat_at = now() WHERE id = $1`, [id, p.rowsRead, p.rowsWritten, p.progress]);
  }

  async finish(id: string, status: 'succeeded' | 'failed', error: string | null = null): Promise<MaterializationJob> {
    const [rows] = await this.ds.query<[JobRow[], number]>(
      `UPDATE tessera.materialization_jobs SET status = $2, error = $3, finished_at = now(), progress = CASE WHEN $2 = 'succeeded' THEN 1 ELSE progress END
       WHERE id = $1 RETURNING *`,
      [id, status, error],
    );
    return toJob(rows[0]);
  }

  /** Proof of life for a running job; a job without one for longer than the reaper's limit is abandoned. */
  async heartbeat(id: string): Promise<void> {
    await this.ds.query(`UPDATE tessera.materialization_jobs SET heartbeat_at = now() WHERE id = $1 AND status = 'running'`, [id]);
  }

  /**
   * Marks failed every queued or running job with no sign of life for `staleMs` (its process died:
   * crash, kill -9, lost node). Safe to run from every replica: the UPDATE is the claim.
   */
  async reapStale(staleMs: number): Promise<MaterializationJob[]> {
    const [rows] = await this.ds.query<[JobRow[], number]>(
      `UPDATE tessera.materialization_jobs
       SET status = 'failed', finished_at = now(),
           error = 'abandoned: no heartbeat since ' || to_char(COALESCE(heartbeat_at, started_at, created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' (the process running it stopped); rerun it'
       WHERE status IN ('queued', 'running') AND COALESCE(heartbeat_at, started_at, created_at) < now() - make_interval(secs => $1::double precision / 1000)
       RETURNING *`,
      [staleMs],
    );
    return rows.map(toJob);
  }

  /**
   * Claims one cron tick of a view's schedule for this replica. Every replica computes the same tick
   * time, so exactly one INSERT wins; the others skip the tick. Claims older than a day are dropped.
   */
  async claimScheduledTick(view: string, tickAt: Date, claimant: string): Promise<boolean> {
    const rows = await this.ds.query<unknown[]>(
      `INSERT INTO tessera.materialization_schedule_claims (view, tick_at, claimed_by) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING view`,
      [view, tickAt, claimant],
    );
    return rows.length === 1;
  }

  async pruneScheduleClaims(olderThanMs: number): Promise<void> {
    await this.ds.query(`DELETE FROM tessera.materialization_schedule_claims WHERE tick_at < now() - make_interval(secs => $1::double precision / 1000)`, [olderThanMs]);
  }

  async get(id: string): Promise<MaterializationJob | null> {
    if (!UUID.test(id)) return null;
    const rows = await this.ds.query<JobRow[]>(`SELECT * FROM tessera.materialization_jobs WHERE id = $1`, [id]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  /** Newest first. */
  async list(first: number): Promise<MaterializationJob[]> {
    const rows = await this.ds.query<JobRow[]>(`SELECT * FROM tessera.materialization_jobs ORDER BY created_at DESC, id LIMIT $1`, [first]);
    return rows.map(toJob);
  }

  async watermarks(views: string[]): Promise<Map<string, Date>> {
    const rows = await this.ds.query<{ view: string; end_ts: Date }[]>(`SELECT view, end_ts FROM tessera.materialization_watermarks WHERE view = ANY($1)`, [views]);
    return new Map(rows.map((r) => [r.view, r.end_ts]));
  }

  /** When each view's watermark last moved (views never materialized are absent). */
  async watermarkUpdates(views: readonly string[]): Promise<Map<string, Date>> {
    if (views.length === 0) return new Map();
    const rows = await this.ds.query<{ view: string; updated_at: Date }[]>(`SELECT view, updated_at FROM tessera.materialization_watermarks WHERE view = ANY($1)`, [views]);
    return new Map(rows.map((r) => [r.view, r.updated_at]));
  }

  /** Only ever moves forward: a job over an older interval must not rewind incremental runs. */
  async advanceWatermark(view: string, end: Date): Promise<void> {
    await this.ds.query(
      `INSERT INTO tessera.materialization_watermarks (view, end_ts) VALUES ($1, $2)
       ON CONFLICT (view) DO UPDATE SET end_ts = GREATEST(tessera.materialization_watermarks.end_ts, EXCLUDED.end_ts), updated_at = now()`,
      [view, end],
    );
  }
}
