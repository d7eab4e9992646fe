import AxeBuilder from '@axe-core/playwright';
import { existsSync } from 'node:fs';
import { chromium, Browser } from 'playwright-core';
import { type LocalOidcProvider, startLocalOidcProvider } from '../support/local-oidc-provider';
import { ensurePortalBuilt } from '../support/portal-build';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Portal sign-in through the organisation's identity provider in a real headless Chromium (issue 12):
 * the sign-in page offers it, the browser goes to a real local OpenID provider and comes back signed
 * in on the page it started from; a refused sign-in comes back with the reason on the sign-in page.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('portal: sign in with the organisation’s identity provider (Chromium)', () => {
  let t: TestApp;
  let idp: LocalOidcProvider;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    ensurePortalBuilt();
    idp = await startLocalOidcProvider({ sub: 'olga', name: 'Olga Owner', email: 'olga@example.com', tessera_roles: ['domain_owner:rides'] });
    t = await startTestApp({ TESSERA_REDIS_PREFIX: 't:portal-oidc:', TESSERA_OIDC_ISSUER: idp.issuer, TESSERA_OIDC_CLIENT_ID: 'tessera-portal' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await idp?.close();
  });

  it('goes to the provider and back, signed in as the person of the ID token, on the page it started from', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(`${base}/search`);
    const button = page.getByRole('link', { name: 'Sign in with your organisation' });
    await button.waitFor();
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await button.click();
    await page.getByTestId('viewer').waitFor();
    expect(await page.getByTestId('viewer').innerText()).toBe('Olga Owner');
    expect(new URL(page.url()).pathname).toBe('/search');
    expect((await ctx.cookies()).find((c) => c.name === 'tessera_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect((await ctx.cookies()).find((c) => c.name === 'tessera_oidc')).toBeUndefined();
    await ctx.close();
  });

  it('shows why a refused sign-in failed, on the sign-in page', async () => {
    idp.next.foreignKey = true;
    try {
      const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await ctx.newPage();
      await page.goto(`${base}/`);
      await page.getByRole('link', { name: 'Sign in with your organisation' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.innerText()).toMatch(/ID token: token signature does not verify/);
      expect((await ctx.cookies()).find((c) => c.name === 'tessera_session')).toBeUndefined();
      await ctx.close();
    } finally {
      idp.next.foreignKey = false;
    }
  });
});
