import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalog: domains with their glossary, data products with ports, data contracts with their version
 * history, use cases, and the tessera/v1 registry documents (entities, feature views, services, models).
 * Platform tables live in the `tessera` schema so domain schemas (offline feature tables) never collide.
 */
export class CatalogInit1764338400000 implements MigrationInterface {
  name = 'CatalogInit1764338400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS tessera`);
    await q.query(`
      CREATE TABLE tessera.domains (
        name          text PRIMARY KEY,
        description   text,
        team          jsonb,
        spec          jsonb,
        content_hash  text,
        source_file   text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE tessera.glossary_terms (
        domain      text NOT NULL REFERENCES tessera.domains(name) ON DELETE CASCADE,
        term        text NOT NULL,
        definition  text NOT NULL,
        synonyms    text[] NOT NULL DEFAULT '{}',
        products    text[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (domain, term)
      )`);
    await q.query(`
      CREATE TABLE tessera.data_contracts (
        id            text PRIMARY KEY,
        version       text NOT NULL,
        status        text NOT NULL,
        name          text,
        domain        text,
        spec          jsonb NOT NULL,
        normalized    jsonb NOT NULL,
        content_hash  text NOT NULL,
        source_file   text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE tessera.contract_versions (
        seq           bigserial PRIMARY KEY,
        contract_id   text NOT NULL REFERENCES tessera.data_contracts(id) ON DELETE CASCADE,
        version       text NOT NULL,
        normalized    jsonb NOT NULL,
        content_hash  text NOT NULL,
        impact        text NOT NULL,
        changes       jsonb NOT NULL DEFAULT '[]',
        source_file   text,
        applied_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX contract_versions_by_contract ON tessera.contract_versions (contract_id, seq DESC)`);
    await q.query(`
      CREATE TABLE tessera.data_products (
        id            text PRIMARY KEY,
        name          text NOT NULL,
        domain        text NOT NULL REFERENCES tessera.domains(name),
        status        text NOT NULL CHECK (status IN ('proposed','draft','active','deprecated','retired')),
        version       text,
        type          text CHECK (type IN ('sourceAligned','aggregate','consumerAligned')),
        purpose       text,
        limitations   text,
        usage         text,
        tags          text[] NOT NULL DEFAULT '{}',
        team          jsonb,
        support       jsonb NOT NULL DEFAULT '[]',
        spec          jsonb NOT NULL,
        content_hash  text NOT NULL,
        source_file   text,
        search        tsvector NOT NULL DEFAULT ''::tsvector,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX data_products_search ON tessera.data_products USING gin (search)`);
    await q.query(`CREATE INDEX data_products_tags ON tessera.data_products USING gin (tags)`);
    await q.query(`CREATE INDEX data_products_domain ON tessera.data_products (domain, status)`);
    await q.query(`
      CREATE TABLE tessera.input_ports (
        product_id   text NOT NULL REFERENCES tessera.data_products(id) ON DELETE CASCADE,
        position     int NOT NULL,
        name         text NOT NULL,
        version      text NOT NULL,
        contract_id  text NOT NULL,
        PRIMARY KEY (product_id, name, version)
      )`);
    await q.query(`CREATE INDEX input_ports_contract ON tessera.input_ports (contract_id)`);
    await q.query(`
      CREATE TABLE tessera.output_ports (
        product_id    text NOT NULL REFERENCES tessera.data_products(id) ON DELETE CASCADE,
        position      int NOT NULL,
        name          text NOT NULL,
        version       text NOT NULL,
        type          text,
        contract_id   text,
        contains_pii  boolean NOT NULL DEFAULT false,
        auto_approve  boolean NOT NULL DEFAULT false,
        description   text,
        PRIMARY KEY (product_id, name, version)
      )`);
    await q.query(`CREATE INDEX output_ports_contract ON tessera.output_ports (contract_id)`);
    await q.query(`
      CREATE TABLE tessera.use_cases (
        name          text PRIMARY KEY,
        description   text,
        purpose       text,
        consumer      jsonb NOT NULL,
        data_products jsonb NOT NULL,
        spec          jsonb NOT NULL,
        content_hash  text NOT NULL,
        source_file   text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE tessera.registry_objects (
        kind          text NOT NULL CHECK (kind IN ('Entity','FeatureView','FeatureService','Model')),
        name          text NOT NULL,
        version       text NOT NULL DEFAULT '',
        spec          jsonb NOT NULL,
        normalized    jsonb NOT NULL,
        content_hash  text NOT NULL,
        source_file   text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, name, version)
      )`);
    await q.query(`
      CREATE TABLE tessera.apply_runs (
        id          bigserial PRIMARY KEY,
        applied_at  timestamptz NOT NULL DEFAULT now(),
        summary     jsonb NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['apply_runs', 'registry_objects', 'use_cases', 'output_ports', 'input_ports', 'data_products', 'contract_versions', 'data_contracts', 'glossary_terms', 'domains']) {
      await q.query(`DROP TABLE IF EXISTS tessera.${t}`);
    }
  }
}
