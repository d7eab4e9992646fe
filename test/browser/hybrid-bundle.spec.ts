import '../support/scoring-ort-realm';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS, openHybridPage } from '../../scripts/hybrid-page';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { goodModel } from '../fixtures/models/scoring-models';
import { modelDoc } from '../fixtures/models/scoring-mesh';
import { ADMIN_KEY, DAY, gqlAuth, predict, startPredictApp, upload, writeCustomers } from '../fixtures/models/scoring-predict';
import type { TestApp } from '../support/test-app';

const SPEND = 'customer_daily:spend';
const ORDERS = 'customer_daily:orders';

/** The page (scripts/hybrid-page.ts) loads onnxruntime-web and the client's browser-safe modules from this machine only. */
describe('hybrid serving: the same bundle scored in headless Chromium with onnxruntime-web', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const plain = goodModel(2);
  const imputing = goodModel(2, { seed: 3 });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    t = await startPredictApp('hybrid-bundle');
    await writeCustomers(t, [
      { id: 1, ageMs: 60_000, spend: 2.5, orders: 4 },
      { id: 2, ageMs: 2 * DAY, spend: 9, orders: 9 },
      { id: 3, ageMs: 60_000, spend: null, orders: 2 },
      { id: 5, ageMs: 120_000, spend: 0.75, orders: 1 },
      { id: 6, ageMs: 30_000, spend: 123.456, orders: 17 },
    ]);
    await upload(t, modelDoc(), plain);
    await upload(t, modelDoc({ name: 'customer_imputed', onMissing: 'impute', defaults: { [SPEND]: 1.25, [ORDERS]: 3 } }), imputing);
    expect((await gqlAuth(t, `mutation { setModelStage(name: "customer_value", version: "1.0.0", stage: production) { stage } }`)).errors).toBeUndefined();
    expect((await gqlAuth(t, `mutation { deployModel(name: "customer_imputed", version: "1.0.0") { production } }`)).errors).toBeUndefined();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (!t) return;
    await t.app.get<OnlineStore>(ONLINE_STORE).deleteAll();
    await t.close();
  });

  it('equals the service /predict within 1e-6, rejections and imputations included, with no request leaving the machine', async () => {
    const hybrid = await openHybridPage(browser, base);
    for (const [name, ids] of [
      ['customer_value', [1, 5, 2, 3, 6, 4]],
      ['customer_imputed', [2, 1, 3, 4, 6, 5]],
    ] as const) {
      const entities = { customer_id: [...ids] };
      const mine = await hybrid.score(ADMIN_KEY, name, entities);
      const server = await predict(t, name, { entities });
      expect(server.status).toBe(200);
      expect(mine.model).toEqual(server.body.model);
      expect(mine.rows.map((r) => r.statuses)).toEqual(server.body.rows.map((r) => r.statuses));
      expect(mine.rows.map((r) => r.rejected)).toEqual(server.body.rows.map((r) => r.rejected));
      const expected = server.body.outputs.probability as (number | null)[];
      const got = mine.outputs.probability;
      expect(got.map((v) => v === null)).toEqual(expected.map((v) => v === null));
      expect(expected.filter((v) => v !== null).length).toBeGreaterThan(2);
      for (let i = 0; i < expected.length; i++) if (expected[i] !== null) expect(Math.abs((got[i] as number) - (expected[i] as number))).toBeLessThanOrEqual(1e-6);
    }
    await hybrid.page.close();
    expect(hybrid.foreign).toEqual([]);
  }, 60_000);
});
