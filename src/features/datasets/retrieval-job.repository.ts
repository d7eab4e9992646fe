import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import type { ClientBase } from 'pg';
import { quoteIdent } from '../offline/offline-naming';
import type { StagedSpine } from '../retrieval/pit-entity-frame';
import { DATASET_SCHEMA } from './training-dataset';
import { DataSource } from 'typeorm';
import type { Principal } from '../../governance/auth/principal';
import { RetrievalJobStopped } from './retrieval-job';
import type { ClaimedRetrievalJob, RetrievalJob, RetrievalJobKind, RetrievalJobRequest, RetrievalJobStatus } from './retrieval-job';

interface JobRow {
  id: string;
  kind: RetrievalJobKind;
  status: RetrievalJobStatus;
  request?: RetrievalJobRequest;
  principal?: Principal;
  dataset_name: string;
  dataset_version: number | null;
  rows_total: string;
  rows_done: string;
  attempts: number;
  cancel_requested: boolean;
  error: string | null;
  created_by: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

interface NewJob {
  kind: RetrievalJobKind;
  request: RetrievalJobRequest;
  principal: Principal;
  rowsTotal: number;
}

function insertParams(job: NewJob): unknown[] {
  const request: RetrievalJobRequest = { ...job.request, entityColumns: Object.keys(job.request.retrieval.entities) };
  return [randomUUID(), job.kind, JSON.stringify(request), JSON.stringify(job.principal), job.request.name, job.rowsTotal, job.principal.id];
}

/**
 * The kept request with its entity columns in the order they were sent: jsonb orders object keys by
 * length, so a job would otherwise save its dataset's entity columns in another order than the request.
 */
function inColumnOrder(request: RetrievalJobRequest): RetrievalJobRequest {
  const order = request.entityColumns;
  const entities = request.retrieval.entities;
  if (!order) return request;
  const ordered: Record<string, unknown[]> = Object.create(null) as Record<string, unknown[]>;
  for (const name of order) if (name in entities) ordered[name] = entities[name];
  for (const name of Object.keys(entities)) if (!(name in ordered)) ordered[name] = entities[name];
  return { ...request, retrieval: { ...request.retrieval, entities: ordered } };
}

/** A finished job's request without its entity rows: the spine is only kept while the job may still run (the rest stays for the record). */
const DROP_SPINE = `jsonb_set(request, '{retrieval,entities}', '{}'::jsonb)`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Every column but the (possibly large) request: what status reads need. */
const SUMMARY = `id, kind, status, dataset_name, dataset_version, rows_total, rows_done, attempts, cancel_requested, error, created_by, created_at, started_at, finished_at`;

const INSERT_JOB = `INSERT INTO tessera.retrieval_jobs (id, kind, status, request, principal, dataset_name, rows_total, created_by)
  VALUES ($1, $2, 'queued', $3, $4, $5, $6, $7) RETURNING ${SUMMARY}`;

function toJob(r: JobRow): RetrievalJob {
  const total = Number(r.rows_total);
  const done = Number(r.rows_done);
  const version = r.status === 'succeeded' ? r.dataset_version : null;
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    rowsDone: done,
    rowsTotal: total,
    progress: r.status === 'succeeded' ? 1 : total > 0 ? Math.min(1, done / total) : 0,
    datasetName: r.dataset_name,
    datasetVersion: version,
    resultUrl: version === null ? null : `/v1/training-datasets/${r.dataset_name}/versions/${version}/rows`,
    attempts: r.attempts,
    cancelRequested: r.cancel_requested,
    error: r.error,
    createdBy: r.created_by,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

/**
 * tessera.retrieval_jobs (migration 1764350200000). A job is claimed with FOR UPDATE SKIP LOCKED and
 * kept by heartbeats; one whose heartbeat is older than the lease is claimed again by any replica (its
 * claimant died: the job's transaction died with its connection, so nothing of it was kept).
 */
@Injectable()
export class RetrievalJobRepository {
  constructor(private readonly ds: DataSource) {}

  async create(job: NewJob): Promise<RetrievalJob> {
    const [row] = await this.ds.query<JobRow[]>(INSERT_JOB, insertParams(job));
    return toJob(row);
  }

  /**
   * A job over an uploaded spine, inside the client's open transaction where the spine was staged
   * (a temp table): the rows are kept in a table of their own for whichever replica claims the job,
   * and commit with it (or not at all). The table is dropped when the job ends (dropEndedSpines).
   */
  async createWithSpine(client: ClientBase, job: NewJob, spine: StagedSpine): Promise<RetrievalJob> {
    const kept: StagedSpine = { ...spine, schema: DATASET_SCHEMA, table: `_spine_${randomBytes(12).toString('hex')}` };
    const target = `${quoteIdent(DATASET_SCHEMA)}.${quoteIdent(kept.table)}`;
    await client.query(`CREATE TABLE ${target} AS SELECT * FROM pg_temp.${quoteIdent(spine.table)}`);
    await client.query(`ALTER TABLE ${target} ADD PRIMARY KEY (_row)`);
    const { rows } = await client.query<JobRow>(INSERT_JOB, insertParams({ ...job, request: { ...job.request, staged: kept } }));
    return toJob(rows[0]);
  }

  /**
   * Drops the kept spines of ended jobs (succeeded ones drop theirs in their save's transaction; this
   * catches failed, cancelled and abandoned ones), and removes them from the jobs' kept requests.
   */
  async dropEndedSpines(): Promise<void> {
    const ended = await this.ds.query<{ id: string; schema: string; table: string }[]>(
      `SELECT id, request->'staged'->>'schema' AS schema, request->'staged'->>'table' AS table FROM tessera.retrieval_jobs
        WHERE status IN ('succeeded', 'failed', 'cancelled') AND request ? 'staged'`,
    );
    for (const r of ended) {
      await this.ds.query(`DROP TABLE IF EXISTS ${quoteIdent(r.schema)}.${quoteIdent(r.table)}`);
      await this.ds.query(`UPDATE tessera.retrieval_jobs SET request = request - 'staged' WHERE id = $1`, [r.id]);
    }
  }

  async get(id: string): Promise<RetrievalJob | null> {
    if (!UUID.test(id)) return null;
    const rows = await this.ds.query<JobRow[]>(`SELECT ${SUMMARY} FROM tessera.retrieval_jobs WHERE id = $1`, [id]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  /**
   * Claims the oldest job that is queued, or running without a heartbeat for `leaseMs` (its replica
   * died), for `claimant`; null when there is none. Jobs out of attempts are failed instead.
   */
  async claim(claimant: string, leaseMs: number, maxAttempts: number): Promise<ClaimedRetrievalJob | null> {
    const [, failed] = await this.ds.query<[unknown[], number]>(
      `UPDATE tessera.retrieval_jobs SET status = 'failed', finished_at = now(), request = ${DROP_SPINE}, error = 'abandoned ' || attempts || ' times by the replica running it (no heartbeat); not retried again'
       WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1::double precision / 1000) AND attempts >= $2`,
      [leaseMs, maxAttempts],
    );
    const [, cancelled] = await this.ds.query<[unknown[], number]>(
      `UPDATE tessera.retrieval_jobs SET status = 'cancelled', finished_at = now(), request = ${DROP_SPINE}
       WHERE status = 'running' AND cancel_requested AND heartbeat_at < now() - make_interval(secs => $1::double precision / 1000)`,
      [leaseMs],
    );
    if (failed > 0 || cancelled > 0) await this.dropEndedSpines();
    const [rows] = await this.ds.query<[JobRow[], number]>(
      `UPDATE tessera.retrieval_jobs j
          SET status = 'running', claimed_by = $1, heartbeat_at = now(), attempts = j.attempts + 1, rows_done = 0, started_at = coalesce(j.started_at, now())
        WHERE j.id = (
          SELECT id FROM tessera.retrieval_jobs
           WHERE (status = 'queued' OR (status = 'running' AND heartbeat_at < now() - make_interval(secs => $2::double precision / 1000)))
             AND NOT cancel_requested
           ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING j.*`,
      [claimant, leaseMs],
    );
    const r = rows[0];
    return r ? { job: toJob(r), request: inColumnOrder(r.request!), principal: r.principal! } : null;
  }

  /**
   * Rows joined so far, as a heartbeat of `claimant`'s claim. Answers whether the job is still this
   * claimant's to run (false: cancelled, or claimed by another replica after a lapsed lease).
   */
  async progress(id: string, claimant: string, done: number, total: number): Promise<{ mine: boolean; cancelRequested: boolean }> {
    // TypeORM answers an UPDATE ... RETURNING as [rows, affected].
    const [rows] = await this.ds.query<[{ cancel_requested: boolean }[], number]>(
      `UPDATE tessera.retrieval_jobs SET rows_done = $3, rows_total = $4, heartbeat_at = now()
        WHERE id = $1 AND claimed_by = $2 AND status = 'running' RETURNING cancel_requested`,
      [id, claimant, done, total],
    );
    return { mine: rows.length === 1, cancelRequested: rows[0]?.cancel_requested ?? false };
  }

  async heartbeat(id: string, claimant: string): Promise<void> {
    await this.ds.query(`UPDATE tessera.retrieval_jobs SET heartbeat_at = now() WHERE id = $1 AND claimed_by = $2 AND status = 'running'`, [id, claimant]);
  }

  /**
   * Marks the job succeeded on the save's own connection, inside its transaction: the dataset version
   * and the job's success commit together. Throws when the job is no longer this claimant's (cancelled
   * meanwhile, or claimed by another replica after a lapsed lease), which rolls the save back.
   */
  async succeedOn(client: ClientBase, id: string, claimant: string, version: number, rows: number): Promise<void> {
    const res = await client.query(
      `UPDATE tessera.retrieval_jobs SET status = 'succeeded', dataset_version = $3, rows_done = $4, rows_total = $4, finished_at = now(), request = ${DROP_SPINE}
        WHERE id = $1 AND claimed_by = $2 AND status = 'running' AND NOT cancel_requested`,
      [id, claimant, version, rows],
    );
    if (res.rowCount !== 1) throw new RetrievalJobStopped('lost');
    // Its kept spine goes with the success (the save has read it in this transaction).
    const kept = await client.query<{ schema: string | null; table: string | null }>(
      `SELECT request->'staged'->>'schema' AS schema, request->'staged'->>'table' AS table FROM tessera.retrieval_jobs WHERE id = $1`,
      [id],
    );
    const spine = kept.rows[0];
    if (spine?.table) {
      await client.query(`DROP TABLE IF EXISTS ${quoteIdent(spine.schema!)}.${quoteIdent(spine.table)}`);
      await client.query(`UPDATE tessera.retrieval_jobs SET request = request - 'staged' WHERE id = $1`, [id]);
    }
  }

  /** Ends a running job of `claimant` as failed or cancelled. */
  async end(id: string, claimant: string, status: 'failed' | 'cancelled', error: string | null): Promise<void> {
    await this.ds.query(`UPDATE tessera.retrieval_jobs SET status = $3, error = $4, finished_at = now(), request = ${DROP_SPINE} WHERE id = $1 AND claimed_by = $2 AND status = 'running'`, [
      id,
      claimant,
      status,
      error,
    ]);
    await this.dropEndedSpines();
  }

  /** Gives a job back to the queue (this replica is shutting down): another replica starts it again. */
  async release(id: string, claimant: string): Promise<void> {
    await this.ds.query(`UPDATE tessera.retrieval_jobs SET status = 'queued', claimed_by = NULL, rows_done = 0 WHERE id = $1 AND claimed_by = $2 AND status = 'running'`, [id, claimant]);
  }

  /**
   * Asks a job to stop: a queued one is cancelled at once; a running one is flagged, and its worker
   * stops at its next step (and its transaction rolls back). Finished jobs are left as they are.
   */
  async cancel(id: string): Promise<RetrievalJob | null> {
    if (!UUID.test(id)) return null;
    await this.ds.query(
      `UPDATE tessera.retrieval_jobs
          SET cancel_requested = true,
              status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
              finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END,
              request = CASE WHEN status = 'queued' THEN ${DROP_SPINE} ELSE request END
        WHERE id = $1 AND status IN ('queued', 'running')`,
      [id],
    );
    await this.dropEndedSpines();
    return this.get(id);
  }
}
