import { createHash } from 'node:crypto';
import { toIdentifier, quoteIdent } from './offline-naming';

/** What the grants need of a connection: TypeORM's EntityManager/QueryRunner and pg's client all fit. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Roles are cluster-wide while schemas are per database: several Tessera databases on one server (test
 * suites, staging next to production) would share a role named after the schema alone. Every role of a
 * database carries this prefix, derived from the database name, so they never collide and can be
 * found (and dropped) by it.
 */
export function domainRolePrefix(database: string): string {
  return `tsr_${createHash('sha256').update(database).digest('hex').slice(0, 10)}_`;
}

/** The NOLOGIN role user SQL of a domain's schema runs as: `tsr_<10 hex of the database name>_<schema>`, ≤ 63 bytes. */
export function domainRoleName(database: string, schema: string): string {
  return toIdentifier(`${domainRolePrefix(database)}${schema}`);
}

/**
 * Creates the domain schema's role if missing and grants it exactly: USAGE on the schema, SELECT on its
 * tables now and on those the connected role creates there later. Membership for the connected role
 * lets it `SET ROLE` to it (since PostgreSQL 16 a CREATEROLE creator only gets ADMIN OPTION).
 * Idempotent; runs in the caller's transaction (apply, or a migration).
 */
export async function grantDomainRole(runner: SqlRunner, schema: string): Promise<string> {
  const [{ db }] = (await runner.query('SELECT current_database() AS db')) as { db: string }[];
  const role = domainRoleName(db, schema);
  const r = quoteIdent(role);
  const s = quoteIdent(schema);
  const exists = (await runner.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])) as unknown[];
  if (exists.length === 0) await runner.query(`CREATE ROLE ${r} NOLOGIN NOINHERIT`);
  // Repeating it is a harmless NOTICE; on PostgreSQL 16+ the creator's automatic grant lacks SET, so never skip it.
  await runner.query(`GRANT ${r} TO CURRENT_USER`);
  await runner.query(`GRANT USAGE ON SCHEMA ${s} TO ${r}`);
  await runner.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${s} TO ${r}`);
  await runner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT ON TABLES TO ${r}`);
  return role;
}

/** Domain schemas whose role this database's name does not have (yet): none, unless the database was renamed or cloned. */
export async function schemasWithoutRole(runner: SqlRunner): Promise<string[]> {
  const [{ db }] = (await runner.query('SELECT current_database() AS db')) as { db: string }[];
  const rows = (await runner.query(`SELECT DISTINCT schema_name FROM tessera.offline_tables ORDER BY schema_name`)) as { schema_name: string }[];
  const roles = new Set(((await runner.query(`SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)`, [domainRolePrefix(db)])) as { rolname: string }[]).map((r) => r.rolname));
  return rows.map((r) => r.schema_name).filter((s) => !roles.has(domainRoleName(db, s)));
}
