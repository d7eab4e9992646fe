import { type LocalRedis, startLocalRedis, timed, until } from '../support/local-processes';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The rate limiter counts in the online store's Redis (shared by all replicas). When that Redis is
 * gone, requests that do not need it go on being served (the limiter lets them through: skipOnError)
 * instead of all failing; once it is back, limiting resumes.
 */
describe('rate limit: counters in Redis, and a Redis outage', () => {
  let redis: LocalRedis;
  let t: TestApp;
  const LIMIT = 5;

  beforeAll(async () => {
    redis = await startLocalRedis();
    t = await startTestApp({ REDIS_URL: redis.url, TESSERA_ONLINE_STORE: 'redis', TESSERA_REDIS_PREFIX: 't:rl-outage:', TESSERA_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await redis?.stop(); // a server of its own, without persistence: its keys go with it
  });

  const models = async () => (await t.app.inject({ method: 'GET', url: '/v1/models' })).statusCode;

  it('limits while Redis is up, lets requests through while it is down, limits again once it is back', async () => {
    const up: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) up.push(await models());
    expect(up).toEqual([...Array<number>(LIMIT).fill(200), 429, 429]);

    await redis.kill();
    const down: number[] = [];
    for (let i = 0; i < 3 * LIMIT; i++) down.push(await models());
    expect(down.every((s) => s === 200)).toBe(true);

    await redis.start(); // empty: the counters start again
    await until('the limiter to count in Redis again', async () => (await models()) === 429, 20_000, 50);
  });

  it("a frozen Redis (connections open, nothing answered) delays a request by the limiter's short timeout only", async () => {
    redis.freeze();
    try {
      for (let i = 0; i < 3; i++) {
        const { value, ms } = await timed(models);
        expect(value).toBe(200);
        expect(ms).toBeLessThan(1500); // the online store's own command timeout is 2 s
      }
    } finally {
      redis.thaw();
    }
  });
});
