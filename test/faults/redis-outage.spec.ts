import '../support/scoring-ort-realm';
import { goodModel } from '../fixtures/models/scoring-models';
import { modelDoc } from '../fixtures/models/scoring-mesh';
import { AUTH, gqlAuth, predict, startPredictApp, upload, writeCustomers } from '../fixtures/models/scoring-predict';
import { LocalRedis, startLocalRedis, timed, until } from '../support/local-processes';
import type { TestApp } from '../support/test-app';

/**
 * Redis dies for real (SIGKILL of a redis-server this suite started on its own port) under a running
 * service, then comes back empty on the same port. Online reads and predictions must answer a clear
 * 503 quickly while it is gone, and serve again without any restart once it is back.
 */
const SPEND = 'customer_daily:spend';
// Generous next to the configured bounds (connect 1 s, command 2 s, no offline queue): a loaded CI box.
const BOUND_MS = 4000;

describe('fault: Redis stopped and started again under a running service', () => {
  let redis: LocalRedis;
  let t: TestApp;
  const lookup = () => t.app.inject({ method: 'POST', url: '/get-online-features', headers: AUTH, payload: { features: [SPEND], entities: { customer_id: [1] } } });

  beforeAll(async () => {
    redis = await startLocalRedis();
    t = await startPredictApp('redis-outage', { REDIS_URL: redis.url });
    await writeCustomers(t, [{ id: 1, ageMs: 60_000, spend: 2.5, orders: 4 }]);
    await upload(t, modelDoc(), goodModel(2));
    expect((await gqlAuth(t, `mutation { setModelStage(name: "customer_value", version: "1.0.0", stage: production) { stage } }`)).errors).toBeUndefined();
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('serves before the outage', async () => {
    const res = await lookup();
    expect(res.statusCode).toBe(200);
    expect(res.json().results[1]).toMatchObject({ values: [2.5], statuses: ['PRESENT'] });
    expect((await predict(t, 'customer_value', { entities: { customer_id: [1] } })).status).toBe(200);
  });

  it('while Redis is down: online reads, predictions and readiness answer 503 with a code, within a bounded time, also under concurrency', async () => {
    await redis.kill();

    const read = await timed(lookup);
    expect(read.value.statusCode).toBe(503);
    expect(read.value.json().error.code).toBe('ONLINE_STORE_UNAVAILABLE');
    expect(read.ms).toBeLessThan(BOUND_MS);

    const scored = await timed(() => predict(t, 'customer_value', { entities: { customer_id: [1] } }));
    expect(scored.value.status).toBe(503);
    expect(scored.value.body.error?.code).toBe('ONLINE_STORE_UNAVAILABLE');
    expect(scored.ms).toBeLessThan(BOUND_MS);

    const gql = await gqlAuth(t, `{ onlineFeatures(features: ["${SPEND}"], entities: {customer_id: [1]}) { metadata { featureNames } } }`);
    expect(gql.errors?.[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', tesseraCode: 'ONLINE_STORE_UNAVAILABLE' });

    const ready = await timed(() => t.app.inject({ method: 'GET', url: '/ready' }));
    expect(ready.value.statusCode).toBe(503);
    expect(ready.value.json().checks).toMatchObject({ database: 'ok', onlineStore: expect.stringMatching(/^unavailable/) });
    expect(ready.ms).toBeLessThan(BOUND_MS);

    // Fifty requests at once: every one settles with the same 503 inside the bound, none hangs.
    const burst = await timed(() => Promise.all(Array.from({ length: 50 }, () => lookup())));
    expect(burst.value.map((r) => r.statusCode)).toEqual(Array(50).fill(503));
    expect(burst.ms).toBeLessThan(BOUND_MS);
    // The rest of the service does not depend on Redis.
    const catalog = await gqlAuth<{ features: { name: string }[] }>(t, `{ features(search: "spend") { name } }`);
    expect(catalog.errors).toBeUndefined();
    expect(catalog.data?.features.map((f) => f.name)).toContain('spend');
  });

  it('after Redis is back (empty): serves again by itself, without a restart, and takes writes again', async () => {
    await redis.start();
    const start = Date.now();
    // The client reconnects in the background (back-off capped at 2 s): the first 200 comes without any action of ours.
    await until('online reads to succeed again', async () => (await lookup()).statusCode === 200, 15_000, 100);
    const healedMs = Date.now() - start;
    expect(healedMs).toBeLessThan(10_000);
    expect((await t.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    // Redis kept nothing (no persistence): the vector is gone, reported as such rather than as an error.
    expect((await lookup()).json().results[1]).toMatchObject({ values: [null], statuses: ['NOT_FOUND'] });

    await writeCustomers(t, [{ id: 1, ageMs: 60_000, spend: 3.5, orders: 4 }]);
    expect((await lookup()).json().results[1]).toMatchObject({ values: [3.5], statuses: ['PRESENT'] });
    const scored = await predict(t, 'customer_value', { entities: { customer_id: [1] } });
    expect(scored.status).toBe(200);
    expect(scored.body.rows[0].statuses).toEqual({ [SPEND]: 'PRESENT', 'customer_daily:orders': 'PRESENT' });
  });

  it('a frozen Redis (connections open, nothing answered): 503 within the command timeout, and serving again once it answers', async () => {
    redis.freeze();
    try {
      const read = await timed(lookup);
      expect(read.value.statusCode).toBe(503);
      expect(read.value.json().error.code).toBe('ONLINE_STORE_UNAVAILABLE');
      expect(read.ms).toBeLessThan(BOUND_MS);
    } finally {
      redis.thaw();
    }
    await until('online reads to succeed again', async () => (await lookup()).statusCode === 200, 15_000, 100);
    expect((await lookup()).json().results[1]).toMatchObject({ values: [3.5], statuses: ['PRESENT'] });
  });
});
