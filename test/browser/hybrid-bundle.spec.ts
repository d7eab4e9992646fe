import '../support/scoring-ort-realm';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import ts from 'typescript';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { goodModel } from '../fixtures/models/scoring-models';
import { modelDoc } from '../fixtures/models/scoring-mesh';
import { ADMIN_KEY, DAY, gqlAuth, predict, startPredictApp, upload, writeCustomers } from '../fixtures/models/scoring-predict';
import type { TestApp } from '../support/test-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ORT_DIST = resolve('node_modules/onnxruntime-web/dist');
const CLIENT_SRC = resolve('packages/client/src');
const SPEND = 'customer_daily:spend';
const ORDERS = 'customer_daily:orders';

/**
 * A standalone page (served by this test at /__hybrid/ on the service's origin, so no CORS and no
 * CDN): onnxruntime-web from node_modules (wasm backend, files served locally) and the client
 * package's browser-safe modules (bundle verification, feature assembly, scorer) transpiled on the
 * fly. The page fetches the bundle and the online features from the service, like an edge client.
 */
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>hybrid score</title></head><body>
<script type="module">
import * as ort from '/__hybrid/ort/ort.wasm.min.mjs';
import { verifyBundle } from '/__hybrid/client/bundle.js';
import { BundleScorer } from '/__hybrid/client/scorer.js';
ort.env.wasm.wasmPaths = '/__hybrid/ort/';
ort.env.wasm.numThreads = 1; // threads need a cross-origin-isolated page; one is plenty here
window.scoreHere = async (key, name, entities) => {
  const auth = { authorization: 'Bearer ' + key };
  const res = await fetch('/v1/models/' + encodeURIComponent(name) + '/bundle', { headers: auth });
  if (!res.ok) throw new Error('bundle: ' + res.status + ' ' + (await res.text()));
  const verified = await verifyBundle(await res.json());
  const scorer = await BundleScorer.create(ort, verified);
  const online = await fetch('/get-online-features', {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ features: verified.bundle.features.map((f) => f.ref), entities, full_feature_names: true }),
  }).then((r) => r.json());
  const out = await scorer.score(online, Object.keys(entities).length);
  await scorer.release();
  return { ...out, sha256: verified.bundle.sha256 };
};
document.body.dataset.ready = 'yes';
</script></body></html>`;

const CONTENT_TYPES: Record<string, string> = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm' };

/** The client module `name` (bundle, scorer, assemble) as a browser ES module. */
function clientModule(name: string): string | null {
  if (!/^[a-z-]+$/.test(name)) return null;
  const file = join(CLIENT_SRC, `${name}.ts`);
  if (!existsSync(file)) return null;
  const js = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  // Extensionless relative imports (fine for Node's CommonJS build) get the .js the browser needs.
  return js.replace(/from '(\.\/[a-z-]+)'/g, "from '$1.js'");
}

describe('hybrid serving: the same bundle scored in headless Chromium with onnxruntime-web', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const foreign: string[] = [];
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
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (!t) return;
    await t.app.get<OnlineStore>(ONLINE_STORE).deleteAll();
    await t.close();
  });

  async function openPage(): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (err) => foreign.push(`page error: ${err.message}`));
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== base) {
        foreign.push(url.href);
        return route.abort();
      }
      if (url.pathname === '/__hybrid/index.html') return route.fulfill({ status: 200, contentType: 'text/html', body: PAGE });
      if (url.pathname.startsWith('/__hybrid/ort/')) {
        const name = url.pathname.slice('/__hybrid/ort/'.length);
        const file = join(ORT_DIST, name);
        if (!/^[\w.-]+$/.test(name) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
        return route.fulfill({ status: 200, contentType: CONTENT_TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream', body: readFileSync(file) });
      }
      if (url.pathname.startsWith('/__hybrid/client/')) {
        const js = clientModule(url.pathname.slice('/__hybrid/client/'.length).replace(/\.js$/, ''));
        return js === null ? route.fulfill({ status: 404, body: 'not found' }) : route.fulfill({ status: 200, contentType: 'text/javascript', body: js });
      }
      return route.continue(); // the service itself: bundle and online features
    });
    await page.goto(`${base}/__hybrid/index.html`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="yes"]', { state: 'attached', timeout: 15_000 });
    return page;
  }

  it('equals the service /predict within 1e-6, rejections and imputations included, with no request leaving the machine', async () => {
    const page = await openPage();
    for (const [name, ids] of [
      ['customer_value', [1, 5, 2, 3, 6, 4]],
      ['customer_imputed', [2, 1, 3, 4, 6, 5]],
    ] as const) {
      const entities = { customer_id: [...ids] };
      type BrowserAnswer = { model: { name: string; version: string }; outputs: Record<string, (number | null)[]>; rows: { statuses: Record<string, string>; rejected?: string }[]; sha256: string };
      const here = await page.evaluate(([key, n, e]) => (globalThis as unknown as { scoreHere: (k: string, n: string, e: unknown) => Promise<unknown> }).scoreHere(key, n, e), [ADMIN_KEY, name, entities] as const);
      const mine = here as BrowserAnswer;
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
    await page.close();
    expect(foreign).toEqual([]);
  }, 60_000);
});
