import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The governance_lead role (issue 11, ADR 0009): mesh-wide, may withdraw policies. Widens the CHECK
 * of role_grants; governance_lead takes no domain, like admin.
 */
export class GovernanceLeadRole1764340220000 implements MigrationInterface {
  name = 'GovernanceLeadRole1764340220000';

  async up(q: QueryRunner): Promise<void> {
    const checks = (await q.query(`SELECT conname FROM pg_constraint WHERE conrelid = 'tessera.role_grants'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%''model_service''%'`)) as {
      conname: string;
    }[];
    for (const c of checks) await q.query(`ALTER TABLE tessera.role_grants DROP CONSTRAINT ${quoteIdent(c.conname)}`);
    await q.query(
      `ALTER TABLE tessera.role_grants ADD CONSTRAINT role_grants_role_check
         CHECK (role IN ('admin', 'governance_lead', 'governance_member', 'domain_owner', 'domain_member', 'consumer', 'model_service'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM tessera.role_grants WHERE role = 'governance_lead'`);
    await q.query(`ALTER TABLE tessera.role_grants DROP CONSTRAINT role_grants_role_check`);
    await q.query(`ALTER TABLE tessera.role_grants ADD CONSTRAINT role_grants_role_check CHECK (role IN ('admin', 'governance_member', 'domain_owner', 'domain_member', 'consumer', 'model_service'))`);
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
