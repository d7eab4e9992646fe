import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Batch scoring jobs (ADR 0035): one row per job, claimed by a worker under a lease that it renews
 * with every chunk it writes; a job whose lease ran out (its process died) is claimed again and
 * continues after `cursor`. At most one queued or running job per model version, as-of time and
 * population, and one job per scheduled tick.
 */
export class BatchScoringJobs1764350500000 implements MigrationInterface {
  name = 'BatchScoringJobs1764350500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tessera.batch_scoring_jobs (
        id              uuid        PRIMARY KEY,
        model           text        NOT NULL,
        version         text        NOT NULL,
        as_of           timestamptz NOT NULL,
        entities        jsonb,
        population_key  text        NOT NULL,
        trigger         text        NOT NULL CHECK (trigger IN ('api', 'schedule')),
        status          text        NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        total           bigint,
        done            bigint      NOT NULL DEFAULT 0,
        scored          bigint      NOT NULL DEFAULT 0,
        rejected        bigint      NOT NULL DEFAULT 0,
        inserted        bigint      NOT NULL DEFAULT 0,
        online_written  bigint,
        cursor          jsonb,
        attempts        integer     NOT NULL DEFAULT 0,
        lease_owner     text,
        lease_until     timestamptz,
        error           text,
        requested_by    text        NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        started_at      timestamptz,
        finished_at     timestamptz
      )`);
    await q.query(`COMMENT ON COLUMN tessera.batch_scoring_jobs.cursor IS 'last entity key tuple written (population jobs); explicit lists resume at done'`);
    await q.query(`CREATE UNIQUE INDEX batch_scoring_jobs_active ON tessera.batch_scoring_jobs (model, version, as_of, population_key) WHERE status IN ('queued', 'running')`);
    await q.query(`CREATE UNIQUE INDEX batch_scoring_jobs_tick ON tessera.batch_scoring_jobs (model, version, as_of) WHERE trigger = 'schedule'`);
    await q.query(`CREATE INDEX batch_scoring_jobs_claimable ON tessera.batch_scoring_jobs (created_at) WHERE status IN ('queued', 'running')`);
    await q.query(`CREATE INDEX batch_scoring_jobs_by_model ON tessera.batch_scoring_jobs (model, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tessera.batch_scoring_jobs`);
  }
}
