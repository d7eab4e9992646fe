import { randomBytes } from 'node:crypto';
import { adminQuery, adminUrl, withDatabase } from './postgres-admin';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database for one suite, cloned from the migrated template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env.TESSERA_TEST_TEMPLATE_DB;
  if (!template) throw new Error('TESSERA_TEST_TEMPLATE_DB unset: run tests through jest (global-setup)');
  const name = `tessera_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  return { name, url: withDatabase(adminUrl(), name), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
