import fc from 'fast-check';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { leaseBlock, LocalLeaseStore, RedisLeaseStore, TokenLeaseLimiter, WINDOW_MS } from '../../src/common/http/token-lease-limiter';

/**
 * The limiter's promise (issue 16, ADR 0018): replicas sharing one Redis never admit more than the
 * limit per window together, and leave at most (block − 1) leased tokens each unused.
 */
describe('token-lease rate limiter on a real Redis', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  });
  afterAll(async () => {
    const keys = await redis.keys('t:lease:*');
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('leases one token per request up to 600/min, then a 600th of the limit, at most 500', () => {
    expect([1, 40, 600, 1199, 1200, 6000, 3_000_000].map(leaseBlock)).toEqual([1, 1, 1, 1, 2, 10, 500]);
  });

  it('replicas together admit exactly min(demand, limit) − at most their unused leases, never more than the limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(5, 40, 1_300, 7_000),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 8 }),
        async (replicaCount, limit, order, burst) => {
          const prefix = `t:lease:${randomBytes(6).toString('hex')}:`;
          const now = () => 10 * WINDOW_MS + 1_000; // one window throughout
          const replicas = Array.from({ length: replicaCount }, () => new TokenLeaseLimiter(new RedisLeaseStore(redis), prefix, now));
          let admitted = 0;
          // Requests in the given replica order, `burst` at a time concurrently on one replica.
          for (const r of order) {
            const verdicts = await Promise.all(Array.from({ length: burst }, () => Promise.resolve(replicas[r % replicaCount].check('p:svc', limit))));
            admitted += verdicts.filter((v) => v.admitted).length;
          }
          const demand = order.length * burst;
          expect(admitted).toBeLessThanOrEqual(limit);
          expect(admitted).toBeGreaterThanOrEqual(Math.min(demand, limit) - replicaCount * (leaseBlock(limit) - 1));
          if (leaseBlock(limit) === 1) expect(admitted).toBe(Math.min(demand, limit));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a held token is answered without a round trip; a new window starts a new count', async () => {
    let t = 20 * WINDOW_MS;
    let trips = 0;
    const store = new RedisLeaseStore(redis);
    const counting = { take: (k: string, n: number) => (trips++, store.take(k, n)) };
    const limiter = new TokenLeaseLimiter(counting, `t:lease:${randomBytes(6).toString('hex')}:`, () => t);
    const first = await limiter.check('p:a', 6_000); // leases 10
    expect(first).toMatchObject({ admitted: true });
    for (let i = 0; i < 9; i++) expect(limiter.check('p:a', 6_000)).toMatchObject({ admitted: true });
    expect(trips).toBe(1);
    t += WINDOW_MS;
    await limiter.check('p:a', 6_000);
    expect(trips).toBe(2);
  });

  it('without Redis the process counts alone, exactly', async () => {
    const limiter = new TokenLeaseLimiter(new LocalLeaseStore(), 'x:', () => 5 * WINDOW_MS);
    const verdicts = [];
    for (let i = 0; i < 8; i++) verdicts.push((await limiter.check('ip:1', 5)).admitted);
    expect(verdicts).toEqual([true, true, true, true, true, false, false, false]);
  });

  it('a failing store lets requests through unchecked, then is asked again after a second', async () => {
    let t = 30 * WINDOW_MS;
    let calls = 0;
    const broken = { take: () => (calls++, Promise.reject(new Error('down'))) };
    const limiter = new TokenLeaseLimiter(broken, 'x:', () => t);
    expect(await limiter.check('p:a', 5)).toEqual({ admitted: true, unchecked: true });
    expect(await limiter.check('p:a', 5)).toEqual({ admitted: true, unchecked: true });
    expect(calls).toBe(1);
    t += 1_001;
    await limiter.check('p:a', 5);
    expect(calls).toBe(2);
  });
});
