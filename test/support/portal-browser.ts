import AxeBuilder from '@axe-core/playwright';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import type { TestApp } from './test-app';

/**
 * What the portal's browser suites share: Debian's Chromium (never a download), contexts that may
 * reach only the service, axe-core in light and dark, signing in with a key, and keys for people.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = process.env.PORTAL_SCREENSHOTS === '1';

export interface PortalBrowser {
  browser: Browser;
  base: string;
  /** Requests to anything but the service (must stay empty). */
  foreign: string[];
  /** Uncaught errors of any page (must stay empty). */
  pageErrors: string[];
  context(viewport?: { width: number; height: number }): Promise<BrowserContext>;
}

/** Listens on a free port and launches Chromium. */
export async function openPortalBrowser(t: TestApp): Promise<PortalBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  const foreign: string[] = [];
  const pageErrors: string[] = [];
  return {
    browser,
    base,
    foreign,
    pageErrors,
    async context(viewport = { width: 1280, height: 800 }) {
      const ctx = await browser.newContext({ viewport });
      ctx.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)));
      await ctx.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(base) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
        foreign.push(url);
        return route.abort();
      });
      return ctx;
    },
  };
}

/**
 * Mantine follows the emulated scheme through its html attribute, then components re-colour with CSS
 * transitions (a SegmentedControl's label took longer than the 50 ms once waited here, and axe saw a
 * half-faded contrast): wait for the attribute, then for the transitions to end.
 */
export async function settledColorScheme(page: Page, scheme: 'light' | 'dark'): Promise<void> {
  await page.waitForFunction(`document.documentElement.getAttribute('data-mantine-color-scheme') === '${scheme}'`, undefined, { timeout: 2000 }).catch(() => undefined);
  await page.evaluate('Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined)))');
  await page.waitForTimeout(50);
}

/** axe-core, light then dark: no serious or critical violation. PORTAL_SCREENSHOTS=1 also writes docs/portal/<name>.png. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
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

/** Signs in on the sign-in page with `key` and waits for Home. */
export async function signIn(page: Page, base: string, key: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Domains' }).waitFor();
}

/** An API key for a person holding `roles` (created with the admin key). */
export async function personKey(t: TestApp, name: string, displayName: string, roles: { role: string; domain?: string }[]): Promise<string> {
  const created = await t.gql<{ createApiKey: { key: string } }>(`mutation($p: PrincipalInput!, $r: [RoleGrantInput!]) { createApiKey(principal: $p, roles: $r, name: "portal") { key } }`, {
    p: { id: `person:${name}`, kind: 'person', displayName },
    r: roles,
  });
  expect(created.errors).toBeUndefined();
  return created.data!.createApiKey.key;
}

/** Fills the design page's canvas with a small product of `domain` (one port, two columns); `omit` leaves fields empty. */
export async function fillCanvas(page: Page, p: { id: string; name: string; tags?: string[]; omit?: ('support' | 'sla' | 'team')[] }): Promise<void> {
  const omit = new Set(p.omit ?? []);
  await page.getByLabel('Product id').fill(p.id);
  await page.getByLabel('Product name').fill(p.name);
  await page.getByRole('combobox', { name: 'Status' }).click();
  await page.getByRole('option', { name: 'active', exact: true }).click();
  await page.getByLabel('Purpose').fill('Shifts each driver worked per day, for staffing analyses.');
  for (const tag of p.tags ?? []) {
    const tags = page.locator('input').and(page.getByLabel('Tags', { exact: true }));
    await tags.fill(tag);
    await tags.press('Enter');
  }
  if (!omit.has('team')) {
    await page.getByLabel('Team').fill('rides-data');
    await page.getByLabel('Owner (username)').fill('ana.souza');
  }
  if (!omit.has('support')) {
    await page.getByLabel('Support channel').fill('#rides-data');
    await page.getByLabel('Support URL').fill('https://example.slack.com/archives/C04RIDESDATA');
  }
  await page.getByLabel('Port 1 name').fill('daily');
  await page.getByLabel('Port 1 table').fill(`${p.id.replace(/-/g, '_')}_daily_v1`);
  if (!omit.has('sla')) {
    await page.getByLabel('Port 1 latency (h)').fill('24');
    await page.getByLabel('Port 1 availability (%)').fill('99');
  }
  await page.getByLabel('Port 1 column 1 name').fill('driver_id');
  await page.getByRole('button', { name: 'Add column' }).click();
  await page.getByLabel('Port 1 column 2 name').fill('shift_count');
}
