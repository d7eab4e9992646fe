import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * StreamSource documents (ADR 0026) are registry objects like feature views: the kind check admits
 * them; and a stream batch is a port load like an upload, recorded as `via = 'stream'`.
 */
export class StreamSources1764340500000 implements MigrationInterface {
  name = 'StreamSources1764340500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tessera.registry_objects DROP CONSTRAINT registry_objects_kind_check`);
    await q.query(`ALTER TABLE tessera.registry_objects ADD CONSTRAINT registry_objects_kind_check CHECK (kind IN ('Entity','FeatureView','FeatureService','Model','StreamSource'))`);
    await q.query(`ALTER TABLE tessera.port_loads DROP CONSTRAINT port_loads_via_check`);
    await q.query(`ALTER TABLE tessera.port_loads ADD CONSTRAINT port_loads_via_check CHECK (via IN ('ingest', 'push', 'stream'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM tessera.port_loads WHERE via = 'stream'`);
    await q.query(`ALTER TABLE tessera.port_loads DROP CONSTRAINT port_loads_via_check`);
    await q.query(`ALTER TABLE tessera.port_loads ADD CONSTRAINT port_loads_via_check CHECK (via IN ('ingest', 'push'))`);
    await q.query(`DELETE FROM tessera.registry_objects WHERE kind = 'StreamSource'`);
    await q.query(`ALTER TABLE tessera.registry_objects DROP CONSTRAINT registry_objects_kind_check`);
    await q.query(`ALTER TABLE tessera.registry_objects ADD CONSTRAINT registry_objects_kind_check CHECK (kind IN ('Entity','FeatureView','FeatureService','Model'))`);
  }
}
