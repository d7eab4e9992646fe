import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Model deployments (ADR 0011): which versions of a model serve predictions (production, an optional
 * sticky canary with its share of traffic, shadows) and every change to that, with who made it.
 * Versions are referenced by foreign key so a deployment can never point at a version that is not
 * registered; shadows are an array (checked by the service) because there are few and they are read together.
 */
export class ModelDeployments1764339200000 implements MigrationInterface {
  name = 'ModelDeployments1764339200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tessera.model_deployments (
        name                text PRIMARY KEY,
        production_version  text NOT NULL,
        canary_version      text,
        canary_percent      numeric(5, 2) CHECK (canary_percent >= 0 AND canary_percent <= 100),
        shadow_versions     text[] NOT NULL DEFAULT '{}',
        previous_versions   text[] NOT NULL DEFAULT '{}',
        revision            integer NOT NULL DEFAULT 1,
        updated_at          timestamptz NOT NULL DEFAULT now(),
        updated_by          text NOT NULL,
        CHECK ((canary_version IS NULL) = (canary_percent IS NULL)),
        CHECK (canary_version IS DISTINCT FROM production_version),
        CHECK (NOT (production_version = ANY (shadow_versions))),
        FOREIGN KEY (name, production_version) REFERENCES tessera.model_versions(name, version),
        FOREIGN KEY (name, canary_version) REFERENCES tessera.model_versions(name, version)
      )`);
    await q.query(`
      CREATE TABLE tessera.model_deployment_changes (
        seq         bigserial PRIMARY KEY,
        name        text NOT NULL,
        action      text NOT NULL CHECK (action IN ('deploy', 'set_canary', 'clear_canary', 'add_shadow', 'remove_shadow', 'promote_canary', 'rollback')),
        before      jsonb,
        after       jsonb NOT NULL,
        changed_by  text NOT NULL,
        changed_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX model_deployment_changes_by_model ON tessera.model_deployment_changes (name, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS tessera.model_deployment_changes`);
    await q.query(`DROP TABLE IF EXISTS tessera.model_deployments`);
  }
}
