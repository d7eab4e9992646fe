import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { OnlineStore } from '../../src/features/online/online-store';
import { connectBounded, createRedisClient } from '../../src/features/online/redis-connection';
import { RedisOnlineStore } from '../../src/features/online/redis-online-store';
import { onlineStoreContract } from './online-store.contract';
import { col, testView } from './online-test-views';

const URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test:${randomBytes(6).toString('hex')}:`;

async function openStore(p = prefix): Promise<RedisOnlineStore> {
  const client = createRedisClient({ url: URL });
  if (!(await connectBounded(client))) throw new Error(`no Redis at ${URL}`);
  return new RedisOnlineStore(client, p, 300); // small batches: the contract's big write spans several pipelines
}

describe('online store contract: Redis standalone', () => {
  onlineStoreContract(
    () => openStore(),
    (s: OnlineStore) => s.close(),
  );
});

describe('Redis online store specifics', () => {
  let store: RedisOnlineStore;
  let raw: Redis;
  beforeAll(async () => {
    store = await openStore();
    raw = new Redis(URL);
  });
  afterAll(async () => {
    await store.deleteAll();
    await store.close();
    raw.disconnect();
  });

  const stats = testView({ name: 'driver_stats' });
  const customer = testView({ name: 'customer_stats', joinKeys: [col('customer_id', 'string')], features: [col('spend', 'number')] });

  it('stores one packed vector per (entity, view) under the documented key', async () => {
    await store.write(stats, [{ keys: [1001], eventTs: new Date('2024-01-01T00:00:00Z'), createdTs: new Date('2024-01-01T00:00:01Z'), values: [0.5, 3] }]);
    expect(await raw.get(`${prefix}o:{driver_id=1001}:driver_stats`)).toMatch(/^1704067200000\|1704067201000\|[A-Za-z0-9_-]{10}\|\[0\.5,3\]$/);
  });

  it('sets the key expiry at event ts + ttl', async () => {
    const ttl = testView({ name: 'ttl_stats', ttlSeconds: 3600 });
    const eventTs = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    await store.write(ttl, [{ keys: [5], eventTs, createdTs: null, values: [1, 1] }]);
    expect(await raw.pexpiretime(`${prefix}o:{driver_id=5}:ttl_stats`)).toBe(eventTs.getTime() + 3_600_000);
  });

  it('reads any number of views with exactly one MGET', async () => {
    await store.write(stats, [{ keys: [1], eventTs: new Date('2024-01-01T00:00:00Z'), createdTs: null, values: [0.1, 1] }]);
    await store.write(customer, [{ keys: ['c'], eventTs: new Date('2024-01-01T00:00:00Z'), createdTs: null, values: [2] }]);
    const monitor = await raw.monitor();
    const seen: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args.some((a) => a.startsWith(prefix))) seen.push(args);
    });
    await new Promise((r) => setTimeout(r, 50));
    const [a, b] = await store.read([
      { view: stats, featureIndexes: [0], entityKeys: [[1], [2], [3]] },
      { view: customer, featureIndexes: [0], entityKeys: [['c'], ['d']] },
    ]);
    await new Promise((r) => setTimeout(r, 100));
    monitor.disconnect();
    expect(a.map((e) => e?.values[0] ?? null)).toEqual([0.1, null, null]);
    expect(b.map((e) => e?.values[0] ?? null)).toEqual([2, null]);
    expect(seen.map((args) => args[0].toLowerCase())).toEqual(['mget']);
    expect(seen[0]).toHaveLength(6);
  });

  it('deletes only the keys of its own prefix', async () => {
    const other = await openStore(`${prefix}other-`);
    try {
      await other.write(stats, [{ keys: [1], eventTs: new Date('2024-01-01T00:00:00Z'), createdTs: null, values: [0.1, 1] }]);
      await raw.set(`test:unrelated:${prefix}`, 'x');
      await store.write(stats, [{ keys: [77], eventTs: new Date('2024-01-01T00:00:00Z'), createdTs: null, values: [0.9, 9] }]);
      await other.deleteAll();
      expect(await raw.get(`test:unrelated:${prefix}`)).toBe('x');
      const [[mine]] = await store.read([{ view: stats, featureIndexes: [1], entityKeys: [[77]] }]);
      expect(mine?.values).toEqual([9]);
    } finally {
      await raw.del(`test:unrelated:${prefix}`);
      await other.close();
    }
  });
});
