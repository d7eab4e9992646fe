import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantDomainRole } from '../src/features/offline/domain-roles';

/**
 * Per-domain database roles (issue 11, ADR 0019): user-supplied SQL (quality rules) runs as a NOLOGIN
 * role that may read its own domain's schema and nothing else. Apply creates the role of each new
 * domain schema; this creates those of the schemas that already exist.
 */
export class DomainRoles1764340000000 implements MigrationInterface {
  name = 'DomainRoles1764340000000';

  async up(q: QueryRunner): Promise<void> {
    const schemas = (await q.query(`SELECT DISTINCT schema_name FROM tessera.offline_tables ORDER BY schema_name`)) as { schema_name: string }[];
    for (const { schema_name } of schemas) await grantDomainRole(q, schema_name);
  }

  async down(): Promise<void> {
    // Roles are cluster-wide and may hold grants in other databases' copies: dropping them is the
    // operator's call (docs/database-roles.md says how).
  }
}
