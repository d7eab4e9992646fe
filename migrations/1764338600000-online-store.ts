import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The PostgreSQL online store (used when no Redis is configured) and the materialization bookkeeping.
 * online_features holds one packed vector per (view, entity), like the Redis layout of ADR 0005;
 * `layout` identifies the feature list the vector was written with.
 */
export class OnlineStore1764338600000 implements MigrationInterface {
  name = 'OnlineStore1764338600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tessera.online_features (
        view        text        NOT NULL,
        entity_key  text        NOT NULL,
        event_ts    timestamptz NOT NULL,
        created_ts  timestamptz,
        layout      text        NOT NULL,
        "values"    jsonb       NOT NULL,
        expires_at  timestamptz,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (view, entity_key)
      )`);
    // For purging expired entries in bulk; most views have no ttl, hence partial.
    await q.query(`CREATE INDEX online_features_expires_at_idx ON tessera.online_features (expires_at) WHERE expires_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE tessera.materialization_jobs (
        id            uuid        PRIMARY KEY,
        views         text[]      NOT NULL,
        incremental   boolean     NOT NULL,
        trigger       text        NOT NULL CHECK (trigger IN ('api', 'schedule')),
        start_ts      timestamptz,
        end_ts        timestamptz NOT NULL,
        status        text        NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        rows_read     bigint      NOT NULL DEFAULT 0,
        rows_written  bigint      NOT NULL DEFAULT 0,
        progress      double precision NOT NULL DEFAULT 0,
        error         text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        started_at    timestamptz,
        finished_at   timestamptz
      )`);
    await q.query(`CREATE INDEX materialization_jobs_created_at_idx ON tessera.materialization_jobs (created_at DESC)`);
    await q.query(`
      CREATE TABLE tessera.materialization_watermarks (
        view        text        PRIMARY KEY,
        end_ts      timestamptz NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS tessera.materialization_watermarks`);
    await q.query(`DROP TABLE IF EXISTS tessera.materialization_jobs`);
    await q.query(`DROP TABLE IF EXISTS tessera.online_features`);
  }
}
