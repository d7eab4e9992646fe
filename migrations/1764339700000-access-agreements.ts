import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access agreements (issue 5, ADR 0016), shaped like the Bitol OAAS draft: a consumer asks for access
 * to one output port for a purpose until an end date; the port's owner decides. Rows are never
 * deleted: a revoked or expired agreement stays as the record of who could read what, when.
 */
export class AccessAgreements1764339700000 implements MigrationInterface {
  name = 'AccessAgreements1764339700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tessera.access_agreements (
        id             uuid        PRIMARY KEY,
        consumer_kind  text        NOT NULL CHECK (consumer_kind IN ('principal', 'team', 'dataProduct', 'model')),
        consumer_id    text        NOT NULL,
        product_id     text        NOT NULL,
        port           text        NOT NULL,
        purpose        text        NOT NULL,
        pii_access     boolean     NOT NULL DEFAULT false,
        start_date     timestamptz NOT NULL,
        end_date       timestamptz NOT NULL,
        status         text        NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'revoked')),
        requested_by   text        NOT NULL,
        requested_at   timestamptz NOT NULL DEFAULT now(),
        decided_by     text,
        decided_at     timestamptz,
        reason         text,
        CHECK (end_date > start_date)
      )`);
    await q.query(`CREATE INDEX access_agreements_by_consumer ON tessera.access_agreements (consumer_id, status)`);
    await q.query(`CREATE INDEX access_agreements_by_port ON tessera.access_agreements (product_id, port)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS tessera.access_agreements`);
  }
}
