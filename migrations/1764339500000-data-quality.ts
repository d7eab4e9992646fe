import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data quality (issue 6, ADR 0013): every evaluation of a port's ODCS quality rules (on ingest, on
 * the schedule, on request) with one result per rule, and the claims that let one replica run each
 * scheduled tick of a port.
 */
export class DataQuality1764339500000 implements MigrationInterface {
  name = 'DataQuality1764339500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tessera.quality_runs (
        id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        product_id        text        NOT NULL,
        port              text        NOT NULL,
        major             int         NOT NULL,
        contract_id       text        NOT NULL,
        contract_version  text        NOT NULL,
        trigger           text        NOT NULL CHECK (trigger IN ('ingest', 'schedule', 'api')),
        started_at        timestamptz NOT NULL,
        finished_at       timestamptz NOT NULL,
        outcome           text        NOT NULL CHECK (outcome IN ('passed', 'warned', 'failed')),
        -- ingest runs: whether the batch was stored (false: rejected by a blocking rule); null otherwise
        ingest_accepted   boolean,
        passed_count      int         NOT NULL,
        failed_count      int         NOT NULL,
        error_count       int         NOT NULL,
        skipped_count     int         NOT NULL
      )`);
    await q.query(`CREATE INDEX quality_runs_by_port ON tessera.quality_runs (product_id, port, started_at DESC)`);
    await q.query(`
      CREATE TABLE tessera.quality_results (
        run_id       uuid             NOT NULL REFERENCES tessera.quality_runs (id) ON DELETE CASCADE,
        ordinal      int              NOT NULL,
        rule_path    text             NOT NULL,
        rule_id      text,
        element      text             NOT NULL,
        kind         text             NOT NULL CHECK (kind IN ('library', 'sql', 'skipped', 'invalid')),
        metric       text,
        query        text,
        description  text,
        dimension    text,
        severity     text,
        blocking     boolean          NOT NULL,
        operator     text,
        threshold    jsonb,
        unit         text             NOT NULL,
        measured     double precision,
        status       text             NOT NULL CHECK (status IN ('passed', 'failed', 'error', 'skipped')),
        message      text             NOT NULL,
        PRIMARY KEY (run_id, ordinal)
      )`);
    await q.query(`
      CREATE TABLE tessera.quality_schedule_claims (
        target      text        NOT NULL,
        tick_at     timestamptz NOT NULL,
        claimed_by  text        NOT NULL,
        claimed_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (target, tick_at)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS tessera.quality_schedule_claims`);
    await q.query(`DROP TABLE IF EXISTS tessera.quality_results`);
    await q.query(`DROP TABLE IF EXISTS tessera.quality_runs`);
  }
}
