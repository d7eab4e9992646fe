import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change feed's per-kind version counters (issue 11, ADR 0018). A change bumps its kind's version
 * in the transaction that makes it and sends a NOTIFY; a replica that missed notifications (its
 * listening connection was down) compares these counters with the ones it last saw and invalidates
 * what moved.
 */
export class ChangeVersions1764339800000 implements MigrationInterface {
  name = 'ChangeVersions1764339800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tessera.change_versions (
        kind       text        PRIMARY KEY,
        version    bigint      NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS tessera.change_versions`);
  }
}
