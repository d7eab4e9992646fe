/**
 * Portal pages, time to interactive on localhost with the example mesh (issue 12: "each page
 * interactive in under 1 s"). The service runs as its own process (`src/main.ts`, the built portal
 * from web/dist) on a fresh database with `contracts/` applied at start; Debian's Chromium (never a
 * download) signs in with the admin key, then opens every page by its deep link, as a full
 * navigation, REPEAT times.
 *
 * "Interactive" is measured in the page, from navigation start (performance.now()): the first moment
 * after which, for QUIET_MS, no fetch is in flight, no Mantine loader or skeleton is shown, the page
 * has a heading in <main>, and the page's own content marker (a table row, a graph node …) is there.
 * The first visit of each page loads its lazy chunks cold; the later ones hit the HTTP cache, as a
 * user moving around the portal would. Reported: the cold visit and the median / max of the others.
 *
 * Run: `npx ts-node --transpile-only bench/portal-pages.bench.ts` (BENCH_PORTAL_REPEAT, default 5).
 * Builds the portal first when web/dist is older than web/src.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { chromium, type Page } from 'playwright-core';
import { ensurePortalBuilt } from '../test/support/portal-build';
import { startServiceProcess, stopProcess } from '../test/support/local-processes';
import { ADMIN_URL, median, REDIS_URL, table } from './bench-support';

const DB = 'tessera_bench_portal';
const REPEAT = Number(process.env.BENCH_PORTAL_REPEAT ?? 5);
const QUIET_MS = 150;
const ADMIN_KEY = `bench-portal-${randomBytes(12).toString('hex')}`;
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Each page of issue 12 by its deep link, and what shows that its content (not only its frame) is there. */
const PAGES: { name: string; path: string; content: string }[] = [
  { name: 'home', path: '/', content: 'main table tbody tr, main a[href^="/products/"]' },
  { name: 'search', path: '/search?q=completion%20rate', content: 'main a[href^="/products/"]' },
  { name: 'data product (canvas)', path: '/products/rides-trips', content: 'main h2, main h3' },
  { name: 'lineage', path: '/lineage/rides-trips', content: '.react-flow__node' },
  { name: 'features', path: '/features', content: 'main table tbody tr' },
  { name: 'feature view', path: '/features/driver_hourly_stats', content: 'main table tbody tr, main dl, main h2' },
  { name: 'model', path: '/models/driver_risk', content: 'main table tbody tr, main h2' },
  { name: 'governance', path: '/governance', content: 'main table tbody tr, main [role="tab"]' },
  { name: 'design (existing product)', path: '/design/rides-trips', content: 'main input' },
];

/** Counts fetches in flight and records, in page time, when the page last became ready and stayed so. */
const READY_PROBE = `(() => {
  let inflight = 0, done = 0;
  const f = window.fetch.bind(window);
  window.fetch = (...a) => { inflight++; return f(...a).finally(() => { inflight--; done++; }); };
  const ready = () => inflight === 0 && done > 0 && !document.querySelector('.mantine-Loader-root, .mantine-Skeleton-root') && document.querySelector('main h1, main h2') && document.querySelector(window.__contentSelector || 'main');
  window.__readyAt = null;
  const tick = () => {
    if (ready()) { if (window.__readyAt === null) window.__readyAt = performance.now(); }
    else window.__readyAt = null;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

async function freshDatabase(): Promise<string> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DB}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB}`;
  return url.toString();
}

async function visit(page: Page, base: string, p: (typeof PAGES)[number]): Promise<number> {
  await page.addInitScript(`window.__contentSelector = ${JSON.stringify(p.content)};`);
  await page.goto(`${base}${p.path}`, { waitUntil: 'commit' });
  // Ready, then quiet for QUIET_MS (page time) so a second query starting late resets it.
  await page.waitForFunction(`window.__readyAt !== null && performance.now() - window.__readyAt >= ${QUIET_MS}`, undefined, { timeout: 30_000, polling: 'raf' });
  return page.evaluate<number>('window.__readyAt');
}

async function main(): Promise<void> {
  ensurePortalBuilt();
  const databaseUrl = await freshDatabase();
  const service = await startServiceProcess({
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    TESSERA_REDIS_PREFIX: `bench:portal:${randomBytes(3).toString('hex')}:`,
    TESSERA_ADMIN_KEY: ADMIN_KEY,
    TESSERA_APPLY_ON_START: 'contracts',
    LOG_LEVEL: 'warn',
  });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: FLAGS, headless: true });
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const signIn = await ctx.newPage();
    await signIn.goto(`${service.baseUrl}/`);
    await signIn.getByLabel('API key').fill(ADMIN_KEY);
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await signIn.getByRole('heading', { name: 'Domains' }).waitFor();
    await signIn.close();
    const times = new Map<string, number[]>(PAGES.map((p) => [p.name, []]));
    for (let r = 0; r < REPEAT; r++) {
      for (const p of PAGES) {
        const page = await ctx.newPage();
        await page.addInitScript(READY_PROBE);
        times.get(p.name)!.push(await visit(page, service.baseUrl, p));
        await page.close();
      }
    }
    const load = (await import('node:os')).loadavg()[0].toFixed(1);
    console.log(`portal pages, time to interactive from navigation start (ms), ${REPEAT} full navigations each, 1280×800, load average ${load}`);
    console.log(
      table(
        ['page', 'first visit (cold chunks)', 'later visits: median', 'later visits: max'],
        PAGES.map((p) => {
          const [first, ...rest] = times.get(p.name)!;
          return [p.name, first.toFixed(0), rest.length ? median(rest).toFixed(0) : '—', rest.length ? Math.max(...rest).toFixed(0) : '—'];
        }),
      ),
    );
  } finally {
    await browser.close();
    await stopProcess(service.proc);
  }
}

void main().catch((e: Error) => {
  console.error(e);
  process.exit(1);
});
