import { type LocalRedis, startLocalRedis, timed, until } from '../support/local-processes';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The rate limiter counts in the online store's Redis (shared by all replicas), leasing tokens in
 * blocks. When that Redis is gone, callers it has not refused yet go on being served (the limiter lets
 * them through unchecked) instead of all failing; a caller already over its limit in this window stays
 * refused until the window ends (that much the replica knows); once Redis is back, counting resumes.
 */
describe('rate limit: counters in Redis, and a Redis outage', () => {
  let redis: LocalRedis;
  let t: TestApp;
  const LIMIT = 5;

  beforeAll(async () => {
    redis = await startLocalRedis();
    t = await startTestApp({ REDIS_URL: redis.url, TESSERA_ONLINE_STORE: 'redis', TESSERA_REDIS_PREFIX: 't:rl-outage:', TESSERA_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    // Keys of callers not counted yet, made before the admin key spends its budget.
    for (const id of ['service:during-outage', 'service:after-outage', 'service:frozen']) {
      const res = await t.gql<{ createApiKey: { key: string } }>(`mutation { createApiKey(principal: { id: "${id}", kind: service }, roles: [{ role: consumer }]) { key } }`);
      keys.push(res.data!.createApiKey.key);
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await redis?.stop(); // a server of its own, without persistence: its keys go with it
  });

  const keys: string[] = [];
  const models = async (key?: string) => (await (key ? t.as(key).inject({ method: 'GET', url: '/v1/models' }) : t.app.inject({ method: 'GET', url: '/v1/models' }))).statusCode;

  it('limits while Redis is up, lets requests through while it is down, limits again once it is back', async () => {
    const up: number[] = [];
    for (let i = 0; i < LIMIT + 2 - keys.length; i++) up.push(await models());
    // The admin key spent part of its budget making the three keys.
    expect(up).toEqual([...Array<number>(LIMIT - keys.length).fill(200), 429, 429]);

    await redis.kill();
    const down: number[] = [];
    for (let i = 0; i < 3 * LIMIT; i++) down.push(await models(keys[0]));
    expect(down).toEqual(Array<number>(3 * LIMIT).fill(200));

    await redis.start(); // empty: the counters start again
    await until('the limiter to count in Redis again', async () => (await models(keys[1])) === 429, 20_000, 50);
  });

  it("a frozen Redis (connections open, nothing answered) delays a request by the limiter's short timeout only", async () => {
    redis.freeze();
    try {
      for (let i = 0; i < 3; i++) {
        const { value, ms } = await timed(() => models(keys[2]));
        expect(value).toBe(200);
        expect(ms).toBeLessThan(1500); // the online store's own command timeout is 2 s
      }
    } finally {
      redis.thaw();
    }
  });
});
