import 'reflect-metadata';
import { ConfigError, TesseraConfig } from './config/tessera-config';
import { openDatabase } from './database';

/**
 * `node dist/src/migrate.js`: runs the pending migrations against DATABASE_URL and exits — the one-shot
 * step a deployment runs before it rolls the service out (the compose `migrate` service, the Kubernetes
 * migration Job). The service would run them at start too (under the same advisory lock), but then a
 * failing migration shows up as replicas crash-looping mid-rollout instead of one failed step before it.
 */
async function migrate(): Promise<void> {
  const config = TesseraConfig.fromEnv();
  if (!config.databaseUrl) throw new ConfigError(['DATABASE_URL: required to run migrations (the embedded server migrates at start)']);
  const started = Date.now();
  const dataSource = await openDatabase(config.databaseUrl);
  const [{ n }] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM public.tessera_migrations`);
  await dataSource.destroy();
  console.log(JSON.stringify({ level: 'info', msg: `migrations up to date: ${n} applied (${Date.now() - started} ms)` }));
}

migrate().catch((err: unknown) => {
  console.error(`migrate failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
