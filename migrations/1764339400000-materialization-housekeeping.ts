import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Materialization housekeeping:
 * - jobs carry a heartbeat, so a job left `running` by a crashed process can be told apart from a slow
 *   one and reaped (marked failed) by any replica;
 * - scheduled runs are claimed per (view, cron tick): every replica runs the same crons, and only the
 *   one whose INSERT wins runs the tick.
 */
export class MaterializationHousekeeping1764339400000 implements MigrationInterface {
  name = 'MaterializationHousekeeping1764339400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tessera.materialization_jobs ADD COLUMN heartbeat_at timestamptz`);
    await q.query(`CREATE INDEX materialization_jobs_unfinished_idx ON tessera.materialization_jobs (heartbeat_at) WHERE status IN ('queued', 'running')`);
    await q.query(`
      CREATE TABLE tessera.materialization_schedule_claims (
        view        text        NOT NULL,
        tick_at     timestamptz NOT NULL,
        claimed_by  text        NOT NULL,
        claimed_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (view, tick_at)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS tessera.materialization_schedule_claims`);
    await q.query(`DROP INDEX IF EXISTS tessera.materialization_jobs_unfinished_idx`);
    await q.query(`ALTER TABLE tessera.materialization_jobs DROP COLUMN IF EXISTS heartbeat_at`);
  }
}
