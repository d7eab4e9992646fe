import { Redis } from 'ioredis';
import { keySlot } from '../../src/features/online/cluster-slot';
import { OnlineRedisKeys } from '../../src/features/online/online-redis-keys';
import type { OnlineStore } from '../../src/features/online/online-store';
import { connectBounded, createRedisClient } from '../../src/features/online/redis-connection';
import { RedisOnlineStore } from '../../src/features/online/redis-online-store';
import { LocalRedisCluster, startLocalRedisCluster } from '../support/online-redis-cluster';
import { onlineStoreContract } from './online-store.contract';
import { col, testView } from './online-test-views';

let cluster: LocalRedisCluster;
beforeAll(async () => {
  cluster = await startLocalRedisCluster();
}, 60_000);
afterAll(() => cluster?.stop());

async function openStore(): Promise<RedisOnlineStore> {
  const client = createRedisClient({ clusterNodes: cluster.nodes });
  if (!(await connectBounded(client, 5000))) throw new Error('cluster not reachable');
  return new RedisOnlineStore(client, 'test:cluster:', 300);
}

describe('online store contract: Redis Cluster (3 masters)', () => {
  onlineStoreContract(
    () => openStore(),
    (s: OnlineStore) => s.close(),
  );
});

describe('Redis Cluster specifics', () => {
  it('computes the same slot as the cluster, and all views of an entity share it', async () => {
    const node = new Redis(cluster.nodes[0].port, '127.0.0.1');
    try {
      const keys = new OnlineRedisKeys('test:cluster:');
      for (const key of [keys.feature('driver_id=1001', 'a'), keys.feature('driver_id=1001', 'b'), keys.feature('a_key=1,b_key=x%2C', 'v'), '123456789', 'plain', '{}x', 'a{}{b}']) {
        expect(keySlot(key)).toBe(Number(await node.cluster('KEYSLOT', key)));
      }
      expect(keySlot(keys.feature('driver_id=1001', 'a'))).toBe(keySlot(keys.feature('driver_id=1001', 'b')));
    } finally {
      node.disconnect();
    }
  });

  it('spreads entities over every master and reads them back in one call', async () => {
    const store = await openStore();
    try {
      const stats = testView({ name: 'driver_stats' });
      const other = testView({ name: 'driver_other', features: [col('x', 'string')] });
      await store.write(
        stats,
        Array.from({ length: 300 }, (_, i) => ({ keys: [i], eventTs: new Date('2024-01-01T00:00:00Z'), createdTs: null, values: [i / 2, i] })),
      );
      await store.write(
        other,
        Array.from({ length: 300 }, (_, i) => ({ keys: [i], eventTs: new Date('2024-01-01T00:00:00Z'), createdTs: null, values: [`x${i}`] })),
      );
      for (const { port } of cluster.nodes) {
        const node = new Redis(port, '127.0.0.1');
        expect(await node.dbsize()).toBeGreaterThan(50); // ~200 of the 600 keys on each master
        node.disconnect();
      }
      const ids = Array.from({ length: 300 }, (_, i) => 299 - i);
      const [a, b] = await store.read([
        { view: stats, featureIndexes: [1], entityKeys: ids.map((i) => [i]) },
        { view: other, featureIndexes: [0], entityKeys: ids.map((i) => [i]) },
      ]);
      expect(a.map((e) => e?.values[0])).toEqual(ids);
      expect(b.map((e) => e?.values[0])).toEqual(ids.map((i) => `x${i}`));
    } finally {
      await store.deleteAll();
      await store.close();
    }
  });

  it('answers ONLINE_STORE_UNAVAILABLE promptly when no node is reachable', async () => {
    const client = createRedisClient({
      clusterNodes: [
        { host: '127.0.0.1', port: 1 },
        { host: '127.0.0.1', port: 2 },
      ],
    });
    expect(await connectBounded(client, 500)).toBe(false);
    const store = new RedisOnlineStore(client, 'test:cluster-down:');
    try {
      const stats = testView({ name: 'driver_stats' });
      const start = Date.now();
      await expect(store.read([{ view: stats, featureIndexes: [0], entityKeys: [[1]] }])).rejects.toMatchObject({
        code: 'ONLINE_STORE_UNAVAILABLE',
        message: 'online store (redis-cluster) unavailable: not connected',
      });
      await expect(store.write(stats, [{ keys: [1], eventTs: new Date(), createdTs: null, values: [1, 1] }])).rejects.toMatchObject({ code: 'ONLINE_STORE_UNAVAILABLE' });
      await expect(store.ping()).rejects.toMatchObject({ code: 'ONLINE_STORE_UNAVAILABLE' });
      expect(Date.now() - start).toBeLessThan(3000);
    } finally {
      await store.close();
    }
  });
});
