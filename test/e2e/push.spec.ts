import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { randomBytes } from 'node:crypto';
import { featureFiles } from '../fixtures/feature-mesh';
import { startTestApp, TestApp } from '../support/test-app';

describe('POST /push (Feast-compatible)', () => {
  let t: TestApp;
  const ts = new Date(Date.now() - 60_000).toISOString();
  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', TESSERA_ONLINE_STORE: 'auto', TESSERA_REDIS_PREFIX: `test:${randomBytes(4).toString('hex')}:` });
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: featureFiles() } });
    expect(res.statusCode).toBe(200);
  });
  afterAll(async () => {
    await t?.app.get<OnlineStore>(ONLINE_STORE).deleteAll(); // the shared Redis keeps nothing of this suite
    await t?.close();
  });

  const push = (body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/push', payload: body });
  const df = { customer_id: [1, 2], event_timestamp: [ts, ts], created: [ts, ts], spend: [12.5, 40], orders: [1, 3] };
  const online = async () =>
    (await t.app.inject({ method: 'POST', url: '/get-online-features', payload: { features: ['customer_daily:spend', 'customer_daily:orders'], entities: { customer_id: [1, 2, 3] } } })).json();

  it('writes to both stores, then serves the pushed values online', async () => {
    const res = await push({ push_source_name: 'customer_daily', df, to: 'online_and_offline' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ rows: 2, offline: { inserted: 2, duplicates: 0 }, online: { written: 2 } });
    const body = await online();
    expect(body.results[1]).toMatchObject({ values: [12.5, 40, null], statuses: ['PRESENT', 'PRESENT', 'NOT_FOUND'] });
    expect(body.results[2].values).toEqual([1, 3, null]);
    const [table] = await t.dataSource.query(`SELECT schema_name, table_name FROM tessera.offline_tables WHERE product_id = 'shop-customer-stats'`);
    const rows = await t.dataSource.query(`SELECT customer_id, spend FROM "${table.schema_name}"."${table.table_name}" ORDER BY customer_id`);
    expect(rows).toEqual([
      { customer_id: '1', spend: 12.5 },
      { customer_id: '2', spend: 40 },
    ]);
  });

  it('is idempotent offline and newer-only online', async () => {
    const res = await push({ push_source_name: 'customer_daily', df, to: 'online_and_offline' });
    expect(res.json()).toEqual({ rows: 2, offline: { inserted: 0, duplicates: 2 }, online: { written: 0 } });
    const older = new Date(Date.now() - 3_600_000).toISOString();
    const stale = await push({ push_source_name: 'customer_daily', df: { customer_id: [1], event_timestamp: [older], spend: [1], orders: [1] }, to: 'online' });
    expect(stale.json().online).toEqual({ written: 0 });
    expect((await online()).results[1].values[0]).toBe(12.5);
  });

  it('refuses rows the contract refuses, storing nothing anywhere', async () => {
    const res = await push({ push_source_name: 'customer_daily', df: { customer_id: [4], event_timestamp: ['not a time'], spend: [5], orders: [1] }, to: 'online_and_offline' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('INGEST_REJECTED');
    expect((await online()).results[0].values).toEqual([1, 2, 3]);
    expect((await online()).results[1].statuses[2]).toBe('NOT_FOUND');
  });

  it('names missing columns, ragged columns and unknown views', async () => {
    expect((await push({ push_source_name: 'customer_daily', df: { customer_id: [1] } })).json().error.message).toMatch(/missing column\(s\) event_timestamp, spend, orders/);
    expect((await push({ push_source_name: 'customer_daily', df: { customer_id: [1, 2], event_timestamp: [ts] } })).json().error.message).toMatch(/df\.event_timestamp: has 1 values/);
    const unknown = await push({ push_source_name: 'nope', df: {} });
    expect(unknown.statusCode).toBe(404);
    expect((await push({ df: {} })).json().error.details).toEqual([expect.objectContaining({ field: 'push_source_name' })]);
  });
});
