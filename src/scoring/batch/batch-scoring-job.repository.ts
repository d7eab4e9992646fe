import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { BatchJobTrigger, BatchScoringJob, ClaimedJob, EntityColumns } from './batch-scoring-job';

interface JobRow {
  id: string;
  model: string;
  version: string;
  as_of: Date;
  entities: EntityColumns | null;
  trigger: BatchJobTrigger;
  status: BatchScoringJob['status'];
  total: string | null;
  done: string;
  scored: string;
  rejected: string;
  inserted: string;
  online_written: string | null;
  cursor: unknown[] | null;
  attempts: number;
  error: string | null;
  requested_by: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toJob(r: JobRow): ClaimedJob {
  const total = r.total === null ? null : Number(r.total);
  const done = Number(r.done);
  const first = r.entities ? Object.values(r.entities)[0] : undefined;
  return {
    id: r.id,
    model: r.model,
    version: r.version,
    asOf: r.as_of,
    entityCount: first ? first.length : null,
    trigger: r.trigger,
    status: r.status,
    total,
    done,
    scored: Number(r.scored),
    rejected: Number(r.rejected),
    inserted: Number(r.inserted),
    onlineWritten: r.online_written === null ? null : Number(r.online_written),
    progress: r.status === 'succeeded' ? 1 : total ? Math.min(1, done / total) : 0,
    attempts: r.attempts,
    error: r.error,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    entities: r.entities,
    cursor: r.cursor,
  };
}

/** What the public answer leaves out (the entity list can be large; the cursor is internal). */
export function publicJob(j: ClaimedJob): BatchScoringJob {
  const { entities: _e, cursor: _c, ...job } = j;
  return job;
}

export interface JobCounts {
  total: number;
  done: number;
  scored: number;
  rejected: number;
  inserted: number;
  cursor: unknown[] | null;
}

/** tessera.batch_scoring_jobs (migration 1764350500000): creation, the lease, progress, listing. */
@Injectable()
export class BatchScoringJobRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * A new queued job, or the queued/running one for the same version, as-of and population (then
   * `created` is false): asking twice does not score twice. A scheduled tick creates at most one job.
   */
  async create(job: {
    model: string;
    version: string;
    asOf: Date;
    entities: EntityColumns | null;
    populationKey: string;
    trigger: BatchJobTrigger;
    requestedBy: string;
  }): Promise<{ job: ClaimedJob; created: boolean }> {
    const rows = await this.ds.query<JobRow[]>(
      `INSERT INTO tessera.batch_scoring_jobs (id, model, version, as_of, entities, population_key, trigger, status, requested_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8) ON CONFLICT DO NOTHING RETURNING *`,
      [randomUUID(), job.model, job.version, job.asOf, job.entities === null ? null : JSON.stringify(job.entities), job.populationKey, job.trigger, job.requestedBy],
    );
    if (rows[0]) return { job: toJob(rows[0]), created: true };
    const [existing] = await this.ds.query<JobRow[]>(
      `SELECT * FROM tessera.batch_scoring_jobs
       WHERE model = $1 AND version = $2 AND as_of = $3 AND (population_key = $4 AND status IN ('queued', 'running') OR ($5 = 'schedule' AND trigger = 'schedule'))
       ORDER BY created_at DESC LIMIT 1`,
      [job.model, job.version, job.asOf, job.populationKey, job.trigger],
    );
    if (!existing) return this.create(job); // it finished between the two statements: ask again
    return { job: toJob(existing), created: false };
  }

  /**
   * Claims the oldest job that is queued, or running under a lease that ran out (its process died),
   * for `owner` until now + leaseMs. SKIP LOCKED: replicas claiming at once get different jobs.
   */
  async claim(owner: string, leaseMs: number, maxAttempts: number): Promise<ClaimedJob | null> {
    await this.ds.query(
      `UPDATE tessera.batch_scoring_jobs SET status = 'failed', finished_at = now(), lease_owner = NULL,
         error = 'abandoned ' || attempts || ' times (the process running it stopped each time); request it again'
       WHERE status = 'running' AND lease_until < now() AND attempts >= $1`,
      [maxAttempts],
    );
    const [rows] = await this.ds.query<[JobRow[], number]>(
      `UPDATE tessera.batch_scoring_jobs SET status = 'running', lease_owner = $1, lease_until = now() + make_interval(secs => $2::double precision / 1000),
         attempts = attempts + 1, started_at = COALESCE(started_at, now())
       WHERE id = (SELECT id FROM tessera.batch_scoring_jobs
                   WHERE status = 'queued' OR (status = 'running' AND lease_until < now())
                   ORDER BY created_at, id FOR UPDATE SKIP LOCKED LIMIT 1)
       RETURNING *`,
      [owner, leaseMs],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  /** Records a chunk and renews the lease; false when the lease is no longer ours (another worker took over). */
  async progress(id: string, owner: string, leaseMs: number, c: JobCounts): Promise<boolean> {
    const [rows] = await this.ds.query<[unknown[], number]>(
      `UPDATE tessera.batch_scoring_jobs SET total = $3, done = $4, scored = $5, rejected = $6, inserted = $7, cursor = $8,
         lease_until = now() + make_interval(secs => $9::double precision / 1000)
       WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING id`,
      [id, owner, c.total, c.done, c.scored, c.rejected, c.inserted, c.cursor === null ? null : JSON.stringify(c.cursor), leaseMs],
    );
    return rows.length === 1;
  }

  /** Keeps the lease while one chunk takes long. */
  async renew(id: string, owner: string, leaseMs: number): Promise<void> {
    await this.ds.query(`UPDATE tessera.batch_scoring_jobs SET lease_until = now() + make_interval(secs => $3::double precision / 1000) WHERE id = $1 AND lease_owner = $2 AND status = 'running'`, [
      id,
      owner,
      leaseMs,
    ]);
  }

  /** Hands a running job back (shutdown): its lease ends now, so any worker continues it after the cursor. */
  async release(id: string, owner: string): Promise<void> {
    await this.ds.query(`UPDATE tessera.batch_scoring_jobs SET lease_until = now() WHERE id = $1 AND lease_owner = $2 AND status = 'running'`, [id, owner]);
  }

  async finish(id: string, owner: string, outcome: { status: 'succeeded' | 'failed'; error?: string; onlineWritten?: number | null }): Promise<ClaimedJob | null> {
    const [rows] = await this.ds.query<[JobRow[], number]>(
      `UPDATE tessera.batch_scoring_jobs SET status = $3, error = $4, online_written = $5, finished_at = now(), lease_owner = NULL, lease_until = NULL
       WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING *`,
      [id, owner, outcome.status, outcome.error ?? null, outcome.onlineWritten ?? null],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  async get(id: string): Promise<ClaimedJob | null> {
    if (!UUID.test(id)) return null;
    const rows = await this.ds.query<JobRow[]>(`SELECT * FROM tessera.batch_scoring_jobs WHERE id = $1`, [id]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  /** Newest first, optionally of one model. */
  async list(filter: { model?: string; first: number }): Promise<ClaimedJob[]> {
    const rows = await this.ds.query<JobRow[]>(`SELECT * FROM tessera.batch_scoring_jobs WHERE $1::text IS NULL OR model = $1 ORDER BY created_at DESC, id LIMIT $2`, [filter.model ?? null, filter.first]);
    return rows.map(toJob);
  }
}
