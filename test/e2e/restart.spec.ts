import { Client } from 'pg';
import { openDatabase } from '../../src/database';
import { adminQuery, adminUrl, withDatabase } from '../support/postgres-admin';

/**
 * Migrations must find their own history again on every start, whatever the login role is called:
 * PostgreSQL's default search_path starts with "$user", so a role named like our `tessera` schema
 * once made the second start re-run the first migration.
 */
describe('start-up on an existing database', () => {
  const db = `tessera_restart_${process.pid}`;
  const role = 'tessera';
  let url: string;
  beforeAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await adminQuery(`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} LOGIN PASSWORD 'tessera'; END IF; END $$`);
    await adminQuery(`CREATE DATABASE ${db} OWNER ${role}`);
    const u = new URL(withDatabase(adminUrl(), db));
    u.username = role;
    u.password = 'tessera';
    url = u.toString();
  });
  afterAll(() => adminQuery(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));

  it('runs every migration once and none again on the next start, for a role named like a schema', async () => {
    const first = await openDatabase(url);
    const applied = await first.query('SELECT name FROM public.tessera_migrations ORDER BY id');
    await first.destroy();
    const second = await openDatabase(url);
    await second.destroy();
    const client = new Client({ connectionString: url });
    await client.connect();
    const after = await client.query('SELECT name FROM public.tessera_migrations ORDER BY id');
    const stray = await client.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'tessera_migrations' AND table_schema <> 'public'`);
    await client.end();
    expect(applied.length).toBeGreaterThanOrEqual(2);
    expect(after.rows).toEqual(applied);
    expect(stray.rows[0].n).toBe(0);
  });
});
