import { adminQuery } from './postgres-admin';

export default async function globalTeardown(): Promise<void> {
  const template = process.env.TESSERA_TEST_TEMPLATE_DB;
  if (template) await adminQuery(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => undefined);
  const server = (globalThis as Record<string, unknown>).__tesseraEmbeddedPg as { stop(): Promise<void> } | undefined;
  await server?.stop();
}
