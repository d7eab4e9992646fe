import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Paused stream sources (ADR 0026, issue 13): a pause is shared by every replica, survives restarts,
 * and is announced by the change feed's `streams` kind (ADR 0018). A row per paused source.
 */
export class StreamSourcePauses1764350100000 implements MigrationInterface {
  name = 'StreamSourcePauses1764350100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE tessera.stream_source_pauses (
      source text PRIMARY KEY,
      paused_at timestamptz NOT NULL DEFAULT now(),
      paused_by text NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tessera.stream_source_pauses`);
  }
}
