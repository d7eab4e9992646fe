import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OpenLineage run events wait here until the lineage endpoint has taken them (ADR 0034): written
 * when a run starts or ends, deleted once delivered, retried with backoff in id order meanwhile.
 */
export class OpenLineageOutbox1764350700000 implements MigrationInterface {
  name = 'OpenLineageOutbox1764350700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tessera.openlineage_outbox (
        id bigserial PRIMARY KEY,
        run_id uuid NOT NULL,
        event_type text NOT NULL,
        event jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tessera.openlineage_outbox`);
  }
}
