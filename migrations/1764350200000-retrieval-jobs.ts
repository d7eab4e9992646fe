import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retrieval jobs (issue 18, ADR 0028): a training-dataset save (or an asynchronous historical
 * retrieval) run in the background by whichever replica claims it. The request is kept as JSON so any
 * replica can run it; a job whose claimant stops heartbeating is claimed again by another.
 */
export class RetrievalJobs1764350200000 implements MigrationInterface {
  name = 'RetrievalJobs1764350200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tessera.retrieval_jobs (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('training-dataset', 'historical-features')),
        status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        request jsonb NOT NULL,
        principal jsonb NOT NULL,
        dataset_name text NOT NULL,
        dataset_version integer,
        rows_total bigint NOT NULL DEFAULT 0,
        rows_done bigint NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        cancel_requested boolean NOT NULL DEFAULT false,
        claimed_by text,
        heartbeat_at timestamptz,
        error text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX retrieval_jobs_unfinished_idx ON tessera.retrieval_jobs (created_at) WHERE status IN ('queued', 'running')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS tessera.retrieval_jobs`);
  }
}
