import { randomBytes } from 'node:crypto';
import { domainRolePrefix } from '../../src/features/offline/domain-roles';
import { adminQuery, adminRows, serviceRole, serviceUrl } from './postgres-admin';

export interface TestDatabase {
  name: string;
  /** As the service connects: the run's non-superuser service role (global-setup). */
  url: string;
  drop(): Promise<void>;
}

/** A fresh database for one suite, cloned from the migrated template, owned by the service role. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env.TESSERA_TEST_TEMPLATE_DB;
  if (!template) throw new Error('TESSERA_TEST_TEMPLATE_DB unset: run tests through jest (global-setup)');
  const name = `tessera_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template} OWNER ${serviceRole()}`);
  return { name, url: serviceUrl(name), drop: () => dropTestDatabase(name) };
}

/** Drops the database, then the domain roles its applies created (cluster-wide, found by their per-database prefix). */
export async function dropTestDatabase(name: string): Promise<void> {
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  const roles = await adminRows<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)`, [domainRolePrefix(name)]);
  for (const { rolname } of roles) await adminQuery(`DROP ROLE IF EXISTS "${rolname.replace(/"/g, '""')}"`);
}
