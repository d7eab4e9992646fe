import { Client } from 'pg';

/** The PostgreSQL server tests run against: DATABASE_URL, else the embedded one global-setup started. */
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

export async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
