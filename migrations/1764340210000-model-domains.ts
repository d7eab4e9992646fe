import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The domain that owns each model (issue 11, ADR 0020): registering, staging and deploying need that
 * domain's role. One row per model name, not per version: versions are immutable, the owner can move.
 * Models registered before are given the single domain of their latest version's feature service's
 * source products; a model whose service spans several domains gets no row and stays admin-only until
 * a version declaring `domain` is registered.
 */
export class ModelDomains1764340210000 implements MigrationInterface {
  name = 'ModelDomains1764340210000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tessera.model_domains (
        name        text        PRIMARY KEY,
        domain      text        NOT NULL,
        changed_at  timestamptz NOT NULL DEFAULT now(),
        changed_by  text        NOT NULL
      )`);
    await q.query(`
      INSERT INTO tessera.model_domains (name, domain, changed_by)
      SELECT m.name, min(p.domain), 'migration:model-domains'
        FROM (SELECT DISTINCT ON (name) name, feature_service FROM tessera.model_versions ORDER BY name, registered_at DESC) m
        JOIN tessera.registry_objects s ON s.kind = 'FeatureService' AND s.version = '' AND s.name = m.feature_service
        CROSS JOIN LATERAL jsonb_array_elements_text(s.normalized->'features') AS f(ref)
        JOIN tessera.registry_objects v ON v.kind = 'FeatureView' AND v.version = '' AND v.name = split_part(f.ref, ':', 1)
        JOIN tessera.data_products p ON p.id = v.normalized #>> '{source,dataProduct}'
       GROUP BY m.name
      HAVING count(DISTINCT p.domain) = 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS tessera.model_domains`);
  }
}
