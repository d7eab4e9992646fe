import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { startTestApp, TestApp } from '../support/test-app';

/** Limits sized per role and per principal, counted in the shared Redis store (issue 16). */
describe('rate limits per role and per principal', () => {
  const prefix = `t:rl-roles:${randomBytes(4).toString('hex')}:`;
  let t: TestApp;
  let redis: Redis;
  beforeAll(async () => {
    t = await startTestApp({
      TESSERA_REDIS_PREFIX: prefix,
      TESSERA_ONLINE_STORE: 'redis',
      TESSERA_RATE_LIMIT_PER_MINUTE: '5',
      TESSERA_RATE_LIMIT_ROLES: 'model_service=12',
      TESSERA_RATE_LIMIT_PRINCIPALS: 'service:unlimited=0',
    });
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await t.close();
  });

  const keyFor = async (id: string, role: string): Promise<string> => {
    const res = await t.gql<{ createApiKey: { key: string } }>(`mutation { createApiKey(principal: { id: "${id}", kind: service }, roles: [{ role: ${role} }]) { key } }`);
    return res.data!.createApiKey.key;
  };
  /** Status codes of `n` requests in a row. */
  const statuses = async (key: string, n: number): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await t.as(key).inject({ method: 'GET', url: '/v1/models' })).statusCode);
    return out;
  };

  it('gives a model service its role budget, a consumer the default, each counted apart', async () => {
    const scorer = await keyFor('service:scorer', 'model_service');
    const reader = await keyFor('service:reader', 'consumer');
    expect(await statuses(reader, 7)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(await statuses(scorer, 14)).toEqual([...Array<number>(12).fill(200), 429, 429]);
    const refused = await t.as(scorer).inject({ method: 'GET', url: '/v1/models' });
    expect(refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED', details: { limit: 12 } } });
    // Counted in Redis under the service's prefix: every replica sharing that Redis sees the same counter.
    const counters = await redis.keys(`${prefix}rl:*`);
    expect(counters.some((k) => k.includes('p:service:scorer'))).toBe(true);
    expect(counters.some((k) => k.includes('p:service:reader'))).toBe(true);
  });

  it('never counts a principal whose own limit is 0 (unlimited)', async () => {
    const unlimited = await keyFor('service:unlimited', 'consumer');
    expect(await statuses(unlimited, 30)).toEqual(Array<number>(30).fill(200));
    expect((await redis.keys(`${prefix}rl:*`)).some((k) => k.includes('service:unlimited'))).toBe(false);
  });
});
