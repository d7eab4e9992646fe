import { Pool } from 'pg';
import { openDatabase } from '../../src/database';
import { PostgresOnlineStore } from '../../src/features/online/postgres-online-store';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { onlineStoreContract } from './online-store.contract';
import { col, testView } from './online-test-views';

/** A fresh migrated database per describe block, and a pool on it. */
async function openDb(): Promise<{ db: TestDatabase; pool: Pool }> {
  const db = await createTestDatabase();
  const ds = await openDatabase(db.url); // the template is migrated already; this proves it is current
  await ds.destroy();
  return { db, pool: new Pool({ connectionString: db.url, max: 4 }) };
}

describe('online store contract: PostgreSQL table', () => {
  let db: TestDatabase;
  let pool: Pool;
  onlineStoreContract(
    async () => {
      ({ db, pool } = await openDb());
      return new PostgresOnlineStore(pool, 400); // small batches: the contract's big write spans several statements
    },
    async () => {
      await pool.end();
      await db.drop();
    },
  );
});

describe('PostgreSQL online store specifics', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresOnlineStore;
  beforeAll(async () => {
    ({ db, pool } = await openDb());
    store = new PostgresOnlineStore(pool);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('reads any number of views with one statement', async () => {
    const stats = testView({ name: 'driver_stats' });
    const customer = testView({ name: 'customer_stats', joinKeys: [col('customer_id', 'string')], features: [col('spend', 'number')] });
    await store.write(stats, [{ keys: [1], eventTs: new Date('2024-01-01T00:00:00Z'), createdTs: null, values: [0.1, 1] }]);
    await store.write(customer, [{ keys: ['c'], eventTs: new Date('2024-01-01T00:00:00Z'), createdTs: null, values: [2] }]);
    let statements = 0;
    const counting = new PostgresOnlineStore({ query: ((...args: Parameters<Pool['query']>) => (statements++, pool.query(...args))) as Pool['query'] });
    const [a, b] = await counting.read([
      { view: stats, featureIndexes: [0], entityKeys: [[1], [2]] },
      { view: customer, featureIndexes: [0], entityKeys: [['c']] },
    ]);
    expect([a.map((e) => e?.values[0] ?? null), b.map((e) => e?.values[0] ?? null)]).toEqual([[0.1, null], [2]]);
    expect(statements).toBe(1);
  });

  it('keeps rows in tessera.online_features with their expiry', async () => {
    const ttl = testView({ name: 'ttl_stats', ttlSeconds: 3600 });
    const eventTs = new Date(Date.now() - 60_000);
    await store.write(ttl, [{ keys: [5], eventTs, createdTs: null, values: [1, 1] }]);
    const { rows } = await pool.query(`SELECT entity_key, event_ts, expires_at, "values" FROM tessera.online_features WHERE view = 'ttl_stats'`);
    expect(rows).toEqual([{ entity_key: 'driver_id=5', event_ts: eventTs, expires_at: new Date(eventTs.getTime() + 3_600_000), values: [1, 1] }]);
  });

  it('answers ONLINE_STORE_UNAVAILABLE when the database does not', async () => {
    const dead = new Pool({ connectionString: 'postgres://root@127.0.0.1:1/none', connectionTimeoutMillis: 500 });
    const broken = new PostgresOnlineStore(dead);
    await expect(broken.ping()).rejects.toMatchObject({ code: 'ONLINE_STORE_UNAVAILABLE', surface: { http: 503 } });
    await dead.end();
  });
});
