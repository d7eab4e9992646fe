import { ensurePortalBuilt } from '../support/portal-build';
import { readContractDirectory } from '../../src/catalog/apply/read-contract-directory';
import { expectAccessible, fillCanvas, openPortalBrowser, personKey, PortalBrowser, signIn } from '../support/portal-browser';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Journey (d) of issue 12 in headless Chromium against the built portal: a domain team designs a
 * product on the canvas, dry-runs it, sees each problem at its field (a column's type, the
 * policies' support channel and service levels), fixes them and applies; the product is then in the
 * catalog. A consumer may dry-run but is not offered Apply.
 */
describe('portal journey (d): design a product on the canvas, fix dry-run errors at their fields, apply', () => {
  let t: TestApp;
  let pb: PortalBrowser;
  let team: string;

  beforeAll(async () => {
    ensurePortalBuilt();
    // The shipped default policies start active (the bootstrap of a new mesh): the canvas is judged by them.
    t = await startTestApp({ TESSERA_REDIS_PREFIX: 't:portal-design:', TESSERA_APPLY_ON_START: 'contracts' });
    const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: readContractDirectory('contracts') } });
    expect(applied.json()).toMatchObject({ applied: true });
    team = await personKey(t, 'li', 'Li (rides engineer)', [{ role: 'domain_member', domain: 'rides' }]);
    pb = await openPortalBrowser(t);
  }, 120_000);
  afterAll(async () => {
    await pb?.browser.close();
    await t?.close();
  });
  afterEach(() => {
    expect(pb.foreign).toEqual([]);
    expect(pb.pageErrors).toEqual([]);
  });

  it('shows dry-run errors at their fields, applies once they are fixed', async () => {
    const ctx = await pb.context();
    const page = await ctx.newPage();
    await signIn(page, pb.base, team);
    await page.getByRole('link', { name: 'Design', exact: true }).click();
    await page.getByRole('heading', { name: 'Design a new data product' }).waitFor();
    expect(await page.getByLabel('Domain').inputValue()).toBe('rides');
    await fillCanvas(page, { id: 'rides-driver-shifts', name: 'Rides driver shifts', tags: ['rides'], omit: ['support', 'sla'] });
    await page.getByRole('button', { name: 'Dry run' }).click();
    const summary = page.getByRole('status');
    await summary.getByText(/problem\(s\): each is shown at its field/).waitFor();
    // The policies' findings, each under the field that fixes it.
    const support = page.locator('.mantine-InputWrapper-root', { has: page.getByLabel('Support channel') });
    await support.getByText('no support channel is declared').waitFor();
    const latency = page.locator('.mantine-InputWrapper-root', { has: page.getByLabel('Port 1 latency (h)') });
    await latency.getByText(/lacks latency or frequency, or availability/).waitFor();
    expect(await page.getByRole('list', { name: 'Other problems' }).count()).toBe(0);
    await expectAccessible(page, 'design');

    await page.getByLabel('Support channel').fill('#rides-data');
    await page.getByLabel('Support URL').fill('https://example.slack.com/archives/C04RIDESDATA');
    await page.getByLabel('Port 1 latency (h)').fill('24');
    await page.getByLabel('Port 1 availability (%)').fill('99');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await summary.getByText('Dry run passed').waitFor();
    expect(await page.getByText('no support channel is declared').count()).toBe(0);
    await page.getByRole('button', { name: 'Apply' }).click();
    await summary.getByText('Applied').waitFor();
    await summary.getByRole('link', { name: 'Open the product' }).click();
    await page.getByRole('heading', { name: 'Rides driver shifts' }).waitFor();
    const stored = await t.gql<{ dataProduct: { domain: string; outputPorts: { name: string; contractId: string }[] } }>(`{ dataProduct(id: "rides-driver-shifts") { domain outputPorts { name contractId } } }`);
    expect(stored.data!.dataProduct).toEqual({ domain: 'rides', outputPorts: [{ name: 'daily', contractId: 'rides-driver-shifts-daily-v1' }] });
    await ctx.close();
  }, 120_000);

  it('offers a consumer the dry run and the download, not Apply; at 390×844', async () => {
    const ctx = await pb.context({ width: 390, height: 844 });
    const page = await ctx.newPage();
    await signIn(page, pb.base, await personKey(t, 'dave', 'Dave (analyst)', [{ role: 'consumer' }]));
    await page.goto(`${pb.base}/design/rides-driver-stats`);
    await page.getByRole('heading', { name: 'Design rides-driver-stats' }).waitFor();
    expect(await page.getByLabel('Port 1 name').inputValue()).toBe('hourly');
    expect(await page.getByRole('button', { name: 'Apply' }).count()).toBe(0);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download YAML' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('rides-driver-stats.yaml');
    await expectAccessible(page, 'design-narrow');
    await ctx.close();
  }, 60_000);
  it('applies an edit of an existing product and keeps what the canvas does not show (quality rules, extra SLA properties, custom properties)', async () => {
    type Contract = { schema: { quality: unknown[] }[]; slaProperties: { property: string; value: unknown }[] };
    type Stored = { dataProduct: { spec: Record<string, unknown>; outputPorts: { contract: { spec: Contract } }[] } };
    const read = async () => (await t.gql<Stored>(`{ dataProduct(id: "rides-driver-stats") { spec outputPorts { contract { spec } } } }`)).data!.dataProduct;
    const before = await read();
    const contract = before.outputPorts[0].contract.spec;
    expect(contract.schema[0].quality.length).toBeGreaterThan(0);
    expect(contract.slaProperties.map((x) => x.property)).toEqual(['latency', 'frequency', 'availability', 'retention']);

    const ctx = await pb.context();
    const page = await ctx.newPage();
    await signIn(page, pb.base, team);
    await page.goto(`${pb.base}/design/rides-driver-stats`);
    await page.getByRole('heading', { name: 'Design rides-driver-stats' }).waitFor();
    await page.getByLabel('Purpose').fill('Hourly driver statistics, edited on the canvas.');
    expect(await page.getByLabel('Port 1 latency (h)').inputValue()).toBe('1');
    await page.getByLabel('Port 1 latency (h)').fill('2');
    await page.getByRole('button', { name: 'Apply' }).click();
    const summary = page.getByRole('status');
    await summary.getByText('Applied').waitFor();
    await ctx.close();

    const after = await read();
    // Exactly the two edits: the product's purpose, the latency's value; the rest as stored.
    expect(after.spec).toEqual({ ...before.spec, description: { ...(before.spec.description as object), purpose: 'Hourly driver statistics, edited on the canvas.' } });
    const want = structuredClone(contract);
    want.slaProperties[0].value = 2;
    expect(after.outputPorts[0].contract.spec).toEqual(want);
    expect(after.outputPorts[0].contract.spec.schema[0].quality).toEqual(contract.schema[0].quality);
  }, 120_000);
});
