import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';

/** Debian's Chromium (never a browser download) and the flags every headless run here uses. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * A standalone page for hybrid serving (ADR 0032), served at /__hybrid/ on the service's own origin
 * by request interception (so no CORS, and the service is unchanged): onnxruntime-web from
 * node_modules (wasm backend, files served locally, never a CDN) and the client package's
 * browser-safe modules (bundle verification, feature assembly, scorer) transpiled on the fly. The
 * page fetches the bundle and the online features from the service, as an edge client would.
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

/** TypeScript, loaded on first use: only a page that asks for a client module needs it. */
let typescript: Promise<typeof import('typescript')> | undefined;

/** The client module `name` (bundle, scorer, assemble) as a browser ES module, or null. */
async function clientModule(root: string, name: string): Promise<string | null> {
  if (!/^[a-z-]+$/.test(name)) return null;
  const file = join(root, 'packages/client/src', `${name}.ts`);
  if (!existsSync(file)) return null;
  const ts = await (typescript ??= import('typescript').then((m) => m.default));
  const js = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  // Extensionless relative imports (fine for Node's CommonJS build) get the .js a browser needs.
  return js.replace(/from '(\.\/[a-z-]+)'/g, "from '$1.js'");
}

/** What the page's scoreHere answers: the client's LocalPrediction and the verified sha256. */
export interface BrowserScore {
  model: { name: string; version: string };
  outputs: Record<string, (number | null)[]>;
  rows: { features: Record<string, number | null>; statuses: Record<string, string>; rejected?: string }[];
  sha256: string;
}

export interface HybridPage {
  page: Page;
  /** Requests that tried to leave the service's origin (refused), and page errors. */
  foreign: string[];
  score(key: string, model: string, entities: Record<string, unknown[]>): Promise<BrowserScore>;
}

export async function openHybridPage(browser: Browser, base: string, root = process.cwd()): Promise<HybridPage> {
  const ortDist = resolve(root, 'node_modules/onnxruntime-web/dist');
  const foreign: string[] = [];
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
      const file = join(ortDist, name);
      if (!/^[\w.-]+$/.test(name) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({ status: 200, contentType: CONTENT_TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream', body: readFileSync(file) });
    }
    if (url.pathname.startsWith('/__hybrid/client/')) {
      const js = await clientModule(root, url.pathname.slice('/__hybrid/client/'.length).replace(/\.js$/, ''));
      return js === null ? route.fulfill({ status: 404, body: 'not found' }) : route.fulfill({ status: 200, contentType: 'text/javascript', body: js });
    }
    return route.continue(); // the service itself: the bundle and the online features
  });
  await page.goto(`${base}/__hybrid/index.html`, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="yes"]', { state: 'attached', timeout: 15_000 });
  return {
    page,
    foreign,
    score: (key, model, entities) =>
      page.evaluate(([k, n, e]) => (globalThis as unknown as { scoreHere: (k: string, n: string, e: unknown) => Promise<BrowserScore> }).scoreHere(k, n, e), [key, model, entities] as const),
  };
}
