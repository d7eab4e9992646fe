import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Training datasets (ADR 0008): a point-in-time retrieval saved as an immutable, numbered version of a
 * name. The rows live in their own table in the `tessera_datasets` schema (`"<name>@<version>"`, so SQL
 * users can read them too); this table holds what a model version needs to trust them: the feature
 * references, the feature view versions (content hashes) and the source contracts the rows came from.
 * Nothing may rewrite a version once saved; a trigger enforces it.
 */
export class TrainingDatasets1764338900000 implements MigrationInterface {
  name = 'TrainingDatasets1764338900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS tessera_datasets`);
    await q.query(`
      CREATE TABLE tessera.training_datasets (
        name               text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_-]{0,49}$'),
        version            int NOT NULL CHECK (version >= 1),
        description        text,
        table_name         text NOT NULL UNIQUE,
        row_count          bigint NOT NULL CHECK (row_count >= 0),
        columns            jsonb NOT NULL,
        feature_refs       text[] NOT NULL,
        feature_service    text,
        full_feature_names boolean NOT NULL,
        feature_views      jsonb NOT NULL,
        source_contracts   jsonb NOT NULL,
        created_at         timestamptz NOT NULL DEFAULT now(),
        created_by         text NOT NULL,
        PRIMARY KEY (name, version)
      )`);
    await q.query(`CREATE INDEX training_datasets_created ON tessera.training_datasets (created_at DESC)`);
    await q.query(`
      CREATE FUNCTION tessera.training_datasets_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'training dataset %@% is immutable', OLD.name, OLD.version USING ERRCODE = 'check_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER training_datasets_no_update BEFORE UPDATE ON tessera.training_datasets
      FOR EACH ROW EXECUTE FUNCTION tessera.training_datasets_immutable()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS tessera.training_datasets`);
    await q.query(`DROP FUNCTION IF EXISTS tessera.training_datasets_immutable()`);
    await q.query(`DROP SCHEMA IF EXISTS tessera_datasets CASCADE`);
  }
}
