import { existsSync } from 'node:fs';
import { chromium, Browser, Page } from 'playwright-core';
import { readContractDirectory } from '../../src/catalog/apply/read-contract-directory';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The GraphQL IDE and the API reference in a real headless Chromium (Debian's /usr/bin/chromium,
 * never a browser download; .ci/run installs it): the pages load with no request leaving the service,
 * the IDE runs a query with the key typed into its Headers tab, the reference page lists the routes.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('developer pages in a browser (GraphiQL at /graphql, API reference at /docs)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const foreign: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    t = await startTestApp({ TESSERA_REDIS_PREFIX: 't:browser:' });
    const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: readContractDirectory('contracts') } });
    expect(applied.statusCode).toBe(200);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A page that refuses, and records, every request to anywhere but the service. */
  async function open(path: string): Promise<Page> {
    const page = await browser.newPage();
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(base) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      foreign.push(url);
      return route.abort();
    });
    const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    return page;
  }

  it('GraphiQL loads from local assets and answers a query with the key typed into its Headers tab', async () => {
    const page = await open('/graphql');
    await page.getByText('Headers', { exact: true }).click();
    const headers = page.locator('.graphiql-editor-tool .graphiql-editor').last();
    await headers.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${t.adminKey}` }));
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await result.getByText('productCount').first().waitFor({ timeout: 15_000 });
    const text = await result.innerText();
    expect(text).toContain('"payments"');
    expect(text).toContain('"rides"');
    expect(text).not.toContain('UNAUTHENTICATED');
    await page.close();
    expect(foreign).toEqual([]);
  }, 60_000);

  it('without a key the IDE shows the refusal, not a CSRF error', async () => {
    const page = await open('/graphql');
    await page.getByText('Headers', { exact: true }).click();
    const headers = page.locator('.graphiql-editor-tool .graphiql-editor').last();
    await headers.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('{}');
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await result.getByText('UNAUTHENTICATED').first().waitFor({ timeout: 15_000 });
    expect(await result.innerText()).not.toMatch(/CSRF|preflight/i);
    await page.close();
    expect(foreign).toEqual([]);
  }, 60_000);

  it('the API reference renders the OpenAPI document from local assets', async () => {
    const page = await open('/docs');
    await page.getByText('/v1/data-products/{productId}', { exact: true }).first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(25);
    await page.close();
    expect(foreign).toEqual([]);
  }, 60_000);
});
