import { adminQuery } from './postgres-admin';

export default async function globalTeardown(): Promise<void> {
  const template = process.env.TESSERA_TEST_TEMPLATE_DB;
  if (template) await adminQuery(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => undefined);
  // Fails (and is left for a later cleanup) only while a suite's database it owns still exists.
  const role = process.env.TESSERA_TEST_SERVICE_ROLE;
  if (role) await adminQuery(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
  const server = (globalThis as Record<string, unknown>).__tesseraEmbeddedPg as { stop(): Promise<void> } | undefined;
  await server?.stop();
}
