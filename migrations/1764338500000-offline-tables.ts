import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where each `table` output port's rows live: one PostgreSQL table per product port major version,
 * in its domain's schema. The columns mirror the port's ODCS contract.
 */
export class OfflineTables1764338500000 implements MigrationInterface {
  name = 'OfflineTables1764338500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tessera.offline_tables (
        product_id        text NOT NULL,
        port              text NOT NULL,
        major             int  NOT NULL,
        port_version      text NOT NULL,
        domain            text NOT NULL,
        contract_id       text NOT NULL,
        contract_version  text NOT NULL,
        schema_name       text NOT NULL,
        table_name        text NOT NULL,
        columns           jsonb NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (product_id, port, major),
        UNIQUE (schema_name, table_name)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS tessera.offline_tables`);
  }
}
