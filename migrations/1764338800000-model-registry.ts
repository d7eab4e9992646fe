import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The model registry (ADR 0007): ONNX bytes stored once per sha256, immutable model versions that
 * point at them, and the audit trail of stage changes. Only a version's stage may ever change; a
 * trigger enforces it so no code path (or hand-written SQL) can rewrite a registered model.
 */
export class ModelRegistry1764338800000 implements MigrationInterface {
  name = 'ModelRegistry1764338800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tessera.model_blobs (
        sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        size        bigint NOT NULL CHECK (size > 0),
        storage     text NOT NULL CHECK (storage IN ('postgres', 'directory')),
        bytes       bytea,
        created_at  timestamptz NOT NULL DEFAULT now(),
        CHECK ((storage = 'postgres') = (bytes IS NOT NULL))
      )`);
    // ONNX weights are float arrays that pglz cannot shrink: store them out of line, uncompressed.
    await q.query(`ALTER TABLE tessera.model_blobs ALTER COLUMN bytes SET STORAGE EXTERNAL`);
    await q.query(`
      CREATE TABLE tessera.model_versions (
        name              text NOT NULL,
        version           text NOT NULL,
        sha256            text NOT NULL REFERENCES tessera.model_blobs(sha256),
        metadata_hash     text NOT NULL,
        feature_service   text NOT NULL,
        features          jsonb NOT NULL,
        inputs            jsonb NOT NULL,
        outputs           jsonb NOT NULL,
        request_inputs    jsonb NOT NULL DEFAULT '[]',
        on_missing        text NOT NULL CHECK (on_missing IN ('reject', 'impute')),
        defaults          jsonb NOT NULL DEFAULT '{}',
        model_card        jsonb NOT NULL DEFAULT '{}',
        owner             text,
        description       text,
        tags              text[] NOT NULL DEFAULT '{}',
        spec              jsonb NOT NULL,
        source_file       text,
        search            text NOT NULL,
        stage             text NOT NULL DEFAULT 'staging' CHECK (stage IN ('staging', 'production', 'archived')),
        registered_at     timestamptz NOT NULL DEFAULT now(),
        registered_by     text NOT NULL,
        stage_changed_at  timestamptz NOT NULL DEFAULT now(),
        stage_changed_by  text NOT NULL,
        PRIMARY KEY (name, version)
      )`);
    // "The production version" of a model is unambiguous.
    await q.query(`CREATE UNIQUE INDEX model_versions_one_production ON tessera.model_versions (name) WHERE stage = 'production'`);
    await q.query(`CREATE INDEX model_versions_sha256 ON tessera.model_versions (sha256)`);
    await q.query(`CREATE INDEX model_versions_feature_service ON tessera.model_versions (feature_service)`);
    await q.query(`
      CREATE TABLE tessera.model_stage_changes (
        seq         bigserial PRIMARY KEY,
        name        text NOT NULL,
        version     text NOT NULL,
        from_stage  text,
        to_stage    text NOT NULL,
        changed_by  text NOT NULL,
        changed_at  timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (name, version) REFERENCES tessera.model_versions(name, version) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX model_stage_changes_by_version ON tessera.model_stage_changes (name, version, seq)`);
    await q.query(`
      CREATE FUNCTION tessera.model_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (to_jsonb(NEW) - ARRAY['stage', 'stage_changed_at', 'stage_changed_by'])
           IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['stage', 'stage_changed_at', 'stage_changed_by']) THEN
          RAISE EXCEPTION 'model version %@% is immutable: only its stage may change', OLD.name, OLD.version;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER model_versions_immutable BEFORE UPDATE ON tessera.model_versions FOR EACH ROW EXECUTE FUNCTION tessera.model_versions_immutable()`);
    await q.query(`
      CREATE FUNCTION tessera.model_blobs_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'model blob % is content-addressed and immutable', OLD.sha256;
      END $$`);
    await q.query(`CREATE TRIGGER model_blobs_immutable BEFORE UPDATE ON tessera.model_blobs FOR EACH ROW EXECUTE FUNCTION tessera.model_blobs_immutable()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS tessera.model_stage_changes`);
    await q.query(`DROP TABLE IF EXISTS tessera.model_versions`);
    await q.query(`DROP TABLE IF EXISTS tessera.model_blobs`);
    await q.query(`DROP FUNCTION IF EXISTS tessera.model_versions_immutable()`);
    await q.query(`DROP FUNCTION IF EXISTS tessera.model_blobs_immutable()`);
  }
}
