import AxeBuilder from '@axe-core/playwright';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import { readContractDirectory } from '../../src/catalog/apply/read-contract-directory';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { ensurePortalBuilt } from '../support/portal-build';
import { settledColorScheme } from '../support/portal-browser';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Journey (a) of issue 12 in a real headless Chromium (Debian's, never a download), against the
 * built portal served by the service on real PostgreSQL and Redis: an ML engineer signs in with a
 * key, searches "completion rate", opens the product, follows lineage to the feature view and the
 * model, reads an online vector, signs out. axe-core checks every page, light and dark.
 * PORTAL_SCREENSHOTS=1 also writes docs/portal/*.png.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = process.env.PORTAL_SCREENSHOTS === '1';

describe('portal journey (a): search, product, lineage, feature view, model, online vector', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let engineerKey: string;
  const foreign: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    ensurePortalBuilt();
    t = await startTestApp({ REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', TESSERA_ONLINE_STORE: 'auto', TESSERA_REDIS_PREFIX: 't:portal-journey:' });
    const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: readContractDirectory('contracts') } });
    expect(applied.statusCode).toBe(200);
    const ts = new Date(Date.now() - 60_000).toISOString();
    const pushed = await t.app.inject({
      method: 'POST',
      url: '/push',
      payload: { push_source_name: 'driver_hourly_stats', to: 'online', df: { driver_id: [1001], event_timestamp: [ts], created: [ts], conv_rate: [0.875], acc_rate: [0.5], avg_daily_trips: [12] } },
    });
    expect(pushed.statusCode).toBe(200);
    const created = await t.gql<{ createApiKey: { key: string } }>(`mutation($p: PrincipalInput!, $r: [RoleGrantInput!]) { createApiKey(principal: $p, roles: $r, name: "portal") { key } }`, {
      p: { id: 'person:mia', kind: 'person', displayName: 'Mia (ML engineer)' },
      // An ML engineer of the rides domain: its own products' online values need no access agreement.
      r: [{ role: 'domain_member', domain: 'rides' }],
    });
    expect(created.errors).toBeUndefined();
    engineerKey = created.data!.createApiKey.key;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.app.get<OnlineStore>(ONLINE_STORE).deleteAll(); // the shared Redis keeps nothing of this suite
    await t?.close();
  });

  /** A context whose pages may reach only the service. */
  async function context(viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport });
    ctx.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)));
    await ctx.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(base) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      foreign.push(url);
      return route.abort();
    });
    return ctx;
  }

  /** axe-core, light then dark: no serious or critical violation. */
  async function accessible(page: Page, name: string): Promise<void> {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await settledColorScheme(page, scheme);
      const { violations } = await new AxeBuilder({ page }).analyze();
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${name} (${scheme}): ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(bad).toEqual([]);
      if (SCREENSHOTS && scheme === 'light') {
        mkdirSync('docs/portal', { recursive: true });
        await page.screenshot({ path: `docs/portal/${name}.png` });
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  async function signIn(page: Page): Promise<void> {
    await page.goto(`${base}/`);
    await page.getByLabel('API key').fill(engineerKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Domains' }).waitFor();
  }

  it('signs in, searches, opens the product, follows lineage to the feature view and the model, reads an online vector, signs out', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Sign in to Tessera' }).waitFor();
    await accessible(page, 'sign-in');
    await signIn(page);
    expect(await page.getByTestId('viewer').innerText()).toBe('Mia (ML engineer)');
    // The key is in no script-readable storage: only the httpOnly cookie holds the session.
    expect(await page.evaluate<string>('JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie')).not.toContain(engineerKey.slice(0, 12));
    expect((await ctx.cookies()).find((c) => c.name === 'tessera_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await page.getByText('payments', { exact: true }).first().waitFor();
    await accessible(page, 'home');

    await page.getByRole('link', { name: 'Search', exact: true }).click();
    await page.getByLabel('Search data products').fill('completion rate');
    const results = page.getByRole('list', { name: 'Results' });
    // Why it matched: the search words are a glossary synonym naming the product.
    await results.getByText(/“completion rate” is a synonym of Conversion rate/).waitFor();
    expect(await results.getByRole('listitem').count()).toBe(1);
    await accessible(page, 'search');

    // The matched field of a contract column, then the tags facet (with counts) narrowing the results.
    await page.getByLabel('Search data products').fill('driver');
    const tags = page.getByRole('group', { name: 'Tags' });
    const pii = tags.getByRole('checkbox', { name: /^pii \(\d+\)$/ });
    const piiLabel = tags.getByText(/^pii \(\d+\)$/);
    await piiLabel.waitFor();
    const piiCount = Number(/\((\d+)\)/.exec(await piiLabel.innerText())![1]);
    expect(piiCount).toBeGreaterThan(0);
    await results
      .getByTestId('matched')
      .filter({ hasText: /contract field “driver_id”/ })
      .first()
      .waitFor();
    await piiLabel.click();
    // The chip state follows the URL (updated in a transition): wait for the narrowed results first.
    await page.getByText(`${piiCount} results`, { exact: true }).waitFor();
    expect(await pii.isChecked()).toBe(true);
    expect(await results.getByRole('listitem').count()).toBe(piiCount);
    expect(page.url()).toContain('tag=pii');
    await accessible(page, 'search-facets');
    await piiLabel.click();
    await page.getByLabel('Search data products').fill('completion rate');
    await results.getByText(/“completion rate” is a synonym of Conversion rate/).waitFor();

    await results.getByRole('link', { name: 'Rides driver statistics' }).click();
    await page.getByRole('heading', { name: 'Data Product Canvas' }).waitFor();
    expect(page.url()).toBe(`${base}/products/rides-driver-stats`);
    await page.getByRole('region', { name: 'Output ports' }).getByText('hourly').waitFor();
    await accessible(page, 'product');

    await page.getByRole('link', { name: 'Lineage' }).click();
    const nodes = page.getByRole('list', { name: 'Lineage nodes' });
    await nodes.getByRole('link', { name: 'feature view driver_hourly_stats' }).waitFor();
    await page.locator('.react-flow__node').first().waitFor();
    expect(await page.locator('.react-flow__node').count()).toBeGreaterThanOrEqual(3);
    await accessible(page, 'lineage');
    await nodes.getByRole('link', { name: 'model driver_risk' }).waitFor();

    await nodes.getByRole('link', { name: 'feature view driver_hourly_stats' }).click();
    await page.getByRole('heading', { name: 'Feature view driver_hourly_stats' }).waitFor();
    await page.getByLabel(/driver_id/).fill('1001');
    await page.getByRole('button', { name: 'Read online' }).click();
    const vector = page.getByRole('table', { name: 'Online vector' });
    await vector.or(page.getByRole('alert')).waitFor();
    expect(await page.getByRole('alert').allInnerTexts()).toEqual([]);
    const text = await vector.innerText();
    expect(text).toMatch(/conv_rate\s+0\.875\s+PRESENT/);
    expect(text).toMatch(/avg_daily_trips\s+12\s+PRESENT/);
    await accessible(page, 'feature-view');

    await page.getByRole('link', { name: /model driver_risk 1\.0\.0/ }).click();
    await page.getByRole('heading', { name: 'Model driver_risk' }).waitFor();
    await page.getByRole('table', { name: 'Versions' }).getByText('1.0.0').waitFor();
    await accessible(page, 'model');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Tessera' }).waitFor();
    const after = await ctx.request.post(`${base}/graphql`, { headers: { 'x-tessera-csrf': '1' }, data: { query: '{ viewer { permissions } }' } });
    expect(after.status()).toBe(401);
    await ctx.close();
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('refuses a request with the session cookie but without the CSRF header', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await signIn(page);
    const withHeader = await ctx.request.post(`${base}/graphql`, { headers: { 'x-tessera-csrf': '1' }, data: { query: '{ viewer { principal { id } } }' } });
    expect(withHeader.status()).toBe(200);
    const without = await ctx.request.post(`${base}/graphql`, { data: { query: '{ viewer { principal { id } } }' } });
    expect(without.status()).toBe(403);
    await ctx.close();
  }, 60_000);

  it('works at 390×844 with the navigation behind the menu button, and deep links open their page', async () => {
    const ctx = await context({ width: 390, height: 844 });
    const page = await ctx.newPage();
    await signIn(page);
    await page.goto(`${base}/products/rides-driver-stats`);
    await page.getByRole('heading', { name: 'Data Product Canvas' }).waitFor();
    await accessible(page, 'product-narrow');
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    await page.getByRole('link', { name: 'Search', exact: true }).click();
    await page.getByLabel('Search data products').waitFor();
    // The type-ahead palette, by keyboard alone: Ctrl+K over any page, type, ArrowDown, Enter.
    await page.keyboard.press('Control+K');
    const palette = page.getByRole('textbox', { name: 'Search the catalog' });
    await palette.fill('completion rate');
    await page.getByRole('button', { name: /Rides driver statistics/ }).waitFor();
    // The selection is reset to the first entry whenever the results change: the product, not "Search for …".
    const selected = page.locator('[data-action][data-selected]');
    await selected.filter({ hasText: 'Rides driver statistics' }).waitFor({ timeout: 5000 });
    expect(await selected.count()).toBe(1);
    // One ArrowDown moves exactly one entry (to "Search for …"), one ArrowUp back to the first.
    await palette.press('ArrowDown');
    await selected.filter({ hasText: 'Search for' }).waitFor({ timeout: 5000 });
    await palette.press('ArrowUp');
    await selected.filter({ hasText: 'Rides driver statistics' }).waitFor({ timeout: 5000 });
    await palette.press('Enter');
    await page.getByRole('heading', { name: 'Data Product Canvas' }).waitFor();
    expect(page.url()).toBe(`${base}/products/rides-driver-stats`);
    await ctx.close();
  }, 60_000);
});
