import { Client } from 'pg';

/** The PostgreSQL server tests run against (as its admin): DATABASE_URL, else the embedded one global-setup started. */
export function adminUrl(): string {
  const url = process.env.TESSERA_TEST_ADMIN_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error('no test database: global-setup did not run');
  return url;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The run's non-superuser role the service under test connects as (global-setup creates it). */
export function serviceRole(): string {
  const role = process.env.TESSERA_TEST_SERVICE_ROLE;
  if (!role) throw new Error('TESSERA_TEST_SERVICE_ROLE unset: run tests through jest (global-setup)');
  return role;
}

/** URL of `database` as the service role (its password is its name: the test server only). */
export function serviceUrl(database: string): string {
  const u = new URL(withDatabase(adminUrl(), database));
  u.username = serviceRole();
  u.password = serviceRole();
  return u.toString();
}

export async function adminRows<T>(sql: string, values: unknown[] = [], database?: string): Promise<T[]> {
  const client = new Client({ connectionString: database ? withDatabase(adminUrl(), database) : adminUrl() });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function adminQuery(sql: string, database?: string): Promise<void> {
  await adminRows(sql, [], database);
}
