import '../support/scoring-ort-realm';
import type { Page } from 'playwright-core';
import { goodModel } from '../fixtures/models/scoring-models';
import { uploadModel } from '../fixtures/models/scoring-upload';
import { ensurePortalBuilt } from '../support/portal-build';
import { expectAccessible, openPortalBrowser, personKey, PortalBrowser, signIn } from '../support/portal-browser';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The lineage page of issue 12 at 200+ nodes, in headless Chromium against the built portal: a
 * generated mesh over four domains (a hub product fed by three source products, each reading a
 * contract nobody publishes, and a downstream tree 6 × 5 × 5 under the hub; a feature view over each
 * second-level product and a model per first-level branch reading two of them). At depth 3 the page
 * shows 229 nodes, so elkjs lays it out in the Web Worker (WORKER_THRESHOLD = 200).
 */
const DOMAINS = ['orders', 'stock', 'billing', 'marketing'];
const BRANCHES = 6; // first level under the hub
const FAN = 5; // children of each first- and second-level product
const SOURCES = 3; // upstream of the hub, each reading an external contract

interface Product {
  id: string;
  name: string;
  domain: string;
  inputs: string[];
  /** Feature-shaped contract (driver_id, event_timestamp, score) for the views over it. */
  features?: boolean;
}

function mesh(): { products: Product[]; views: { name: string; product: string }[]; models: { name: string; domain: string; views: string[] }[] } {
  const domain = (i: number) => DOMAINS[i % DOMAINS.length];
  const products: Product[] = [];
  for (let s = 0; s < SOURCES; s++) products.push({ id: `src-${s}`, name: `Source ${s}`, domain: DOMAINS[0], inputs: [`ext-${s}-v1`] });
  products.push({ id: 'hub', name: 'Hub', domain: DOMAINS[0], inputs: Array.from({ length: SOURCES }, (_, s) => `src-${s}-v1`) });
  const views: { name: string; product: string }[] = [];
  const models: { name: string; domain: string; views: string[] }[] = [];
  for (let i = 0; i < BRANCHES; i++) {
    // Long names (one over four lines, some with a word wider than a box): labels must stay inside their boxes.
    products.push({
      id: `l1-${i}`,
      name: i === 0 ? 'Branch 0, whose name is long enough to wrap over four lines of a node box: the layout gives it the height it needs' : `Branch ${i}`,
      domain: domain(i),
      inputs: ['hub-v1'],
    });
    for (let j = 0; j < FAN; j++) {
      products.push({ id: `l2-${i}-${j}`, name: `Aggregate ${i}.${j}`, domain: domain(i + j), inputs: [`l1-${i}-v1`], features: true });
      views.push({ name: `fv_${i}_${j}`, product: `l2-${i}-${j}` });
      for (let k = 0; k < FAN; k++)
        products.push({
          id: `l3-${i}-${j}-${k}`,
          name: k === 0 && j === 0 ? `Consumer ${i}.${j}.${k} consumer_aligned_daily_snapshot_of_branch_${i}_and_aggregate_${j}` : `Consumer ${i}.${j}.${k}`,
          domain: domain(i + j + k),
          inputs: [`l2-${i}-${j}-v1`],
        });
    }
    models.push({ name: `model-${i}`, domain: domain(i), views: [`fv_${i}_0`, `fv_${i}_1`] });
  }
  return { products, views, models };
}

/** Nodes the page shows at `depth` (direction both) from the hub: products, external contracts, feature views, models. */
function expectedNodes(depth: number): number {
  const products = 1 + (depth >= 1 ? SOURCES + BRANCHES : 0) + (depth >= 2 ? BRANCHES * FAN : 0) + (depth >= 3 ? BRANCHES * FAN * FAN : 0);
  const externals = depth >= 2 ? SOURCES : 0;
  const views = depth >= 2 ? BRANCHES * FAN : 0;
  const models = depth >= 2 ? BRANCHES : 0;
  return products + externals + views + models;
}

function files(m: ReturnType<typeof mesh>): { path: string; content: string }[] {
  const out: { path: string; content: string }[] = [];
  for (const p of m.products) {
    out.push({
      path: `contracts/${p.domain}/${p.id}.odps.yaml`,
      content: [
        'apiVersion: v1.0.0',
        'kind: DataProduct',
        `id: ${p.id}`,
        `name: ${JSON.stringify(p.name)}`,
        `domain: ${p.domain}`,
        'status: active',
        'description:',
        `  purpose: Generated product ${p.id} of the large lineage test.`,
        'inputPorts:',
        ...p.inputs.flatMap((c, i) => [`  - name: in-${i}`, '    version: 1.0.0', `    contractId: ${c}`]),
        'outputPorts:',
        '  - name: main',
        '    version: 1.0.0',
        '    type: table',
        `    contractId: ${p.id}-v1`,
      ].join('\n'),
    });
    const columns = p.features ? ['driver_id: integer', 'event_timestamp: timestamp', 'score: number'] : ['key: string', 'value: number'];
    out.push({
      path: `contracts/${p.domain}/${p.id}/main.odcs.yaml`,
      content: [
        'apiVersion: v3.1.0',
        'kind: DataContract',
        `id: ${p.id}-v1`,
        'version: 1.0.0',
        'status: active',
        'schema:',
        '  - name: main',
        '    properties:',
        ...columns.map((c) => `      - { name: ${c.split(': ')[0]}, logicalType: ${c.split(': ')[1]}, classification: internal }`),
      ].join('\n'),
    });
  }
  const registry = [
    'apiVersion: tessera/v1\nkind: Entity\nname: driver\njoinKeys: [{ name: driver_id, type: integer }]',
    ...m.views.map(
      (v) =>
        `apiVersion: tessera/v1\nkind: FeatureView\nname: ${v.name}\nentities: [driver]\nsource: { dataProduct: ${v.product}, outputPort: main }\ntimestampField: event_timestamp\nttl: 1d\nonline: true\nfeatures: [score]`,
    ),
    ...m.models.map((s) => `apiVersion: tessera/v1\nkind: FeatureService\nname: ${s.name.replace('-', '_')}_v1\nfeatures: [${s.views.map((v) => `${v}:score`).join(', ')}]`),
  ];
  out.push({ path: `contracts/${DOMAINS[0]}/features.yaml`, content: registry.join('\n---\n') });
  return out;
}

interface Box {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
  visible: boolean;
  transform: string;
  clipped: boolean;
}

// In-page code is passed as strings: the test project's TypeScript has no DOM types (like settledColorScheme).
const BOXES = `[...document.querySelectorAll('.react-flow__node')].map((el) => {
  const r = el.getBoundingClientRect();
  return {
    id: el.dataset.id ?? '',
    x: r.x,
    y: r.y,
    w: r.width,
    h: r.height,
    visible: getComputedStyle(el).visibility !== 'hidden',
    transform: el.style.transform,
    // The label's text runs outside its box (it would spill over a neighbour or be cut off). Handles
    // stick out of the box by design, so the text itself is measured, not the element's scroll size.
    clipped: [...el.childNodes]
      .filter((c) => c.nodeType === Node.TEXT_NODE)
      .some((c) => {
        const range = document.createRange();
        range.selectNodeContents(c);
        const t = range.getBoundingClientRect();
        return t.left < r.left - 1 || t.right > r.right + 1 || t.top < r.top - 1 || t.bottom > r.bottom + 1;
      }),
  };
})`;
const boxes = (page: Page): Promise<Box[]> => page.evaluate<Box[]>(BOXES);

/** Waits until node `id` sits at the centre of the graph region (within 3 px), where "find a node" brings it. */
async function centred(page: Page, id: string): Promise<void> {
  await page.waitForFunction(
    `(() => {
      const n = document.querySelector('.react-flow__node[data-id="${id}"]')?.getBoundingClientRect();
      const r = document.querySelector('[aria-label="Lineage graph"]')?.getBoundingClientRect();
      return !!n && !!r && Math.hypot(n.x + n.width / 2 - (r.x + r.width / 2), n.y + n.height / 2 - (r.y + r.height / 2)) <= 3;
    })()`,
    undefined,
    { timeout: 10_000 },
  );
}

describe('portal: the lineage page with 200+ nodes (elkjs in a Web Worker)', () => {
  let t: TestApp;
  let pb: PortalBrowser;
  let viewer: string;
  const m = mesh();

  beforeAll(async () => {
    ensurePortalBuilt();
    t = await startTestApp({ TESSERA_REDIS_PREFIX: 't:portal-lineage-large:', TESSERA_ONLINE_STORE: 'postgres' });
    const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: files(m) } });
    expect(applied.json()).toMatchObject({ applied: true });
    for (const model of m.models) {
      const up = await uploadModel(
        t,
        { apiVersion: 'tessera/v1', kind: 'Model', name: model.name, version: '1.0.0', domain: model.domain, owner: `${model.domain}-ml`, featureService: `${model.name.replace('-', '_')}_v1` },
        goodModel(2),
      );
      expect(up.status).toBe(201);
    }
    viewer = await personKey(t, 'lea', 'Lea (analyst)', [{ role: 'domain_member', domain: DOMAINS[1] }]);
    pb = await openPortalBrowser(t);
  }, 240_000);
  afterAll(async () => {
    await pb?.browser.close();
    await t?.close();
  });
  afterEach(() => {
    expect(pb.foreign).toEqual([]);
    expect(pb.pageErrors).toEqual([]);
  });

  it('lays out 229 nodes in the worker without overlaps; find, collapse, depth and click-through work; axe light and dark', async () => {
    const ctx = await pb.context();
    const page = await ctx.newPage();
    await signIn(page, pb.base, viewer);
    await page.goto(`${pb.base}/lineage/hub`);
    const region = page.getByRole('region', { name: 'Lineage graph' });
    const status = page.getByRole('status').filter({ hasText: /nodes, \d+ edges/ });
    const total = expectedNodes(3);
    expect(total).toBeGreaterThanOrEqual(200);

    await page.locator(`[data-layout="worker"][data-layout-nodes="${total}"]`).waitFor({ timeout: 60_000 });
    await page
      .locator('.react-flow__node')
      .nth(total - 1)
      .waitFor();
    // Measured, never asserted: docs/portal.md records it.
    console.log(`lineage layout of ${total} nodes in the worker: ${await region.getAttribute('data-layout-ms')} ms`);
    expect(await status.innerText()).toMatch(new RegExp(`^${total} nodes, \\d+ edges \\(laid out in a worker\\)`));

    // Every node rendered, measured (visible) and placed; no two boxes overlap; no label spills out.
    await page.waitForFunction(`[...document.querySelectorAll('.react-flow__node')].every((e) => getComputedStyle(e).visibility !== 'hidden')`);
    const laid = await boxes(page);
    expect(laid).toHaveLength(total);
    expect(new Set(laid.map((b) => b.id)).size).toBe(total);
    expect(laid.filter((b) => !b.visible || !/^translate\(/.test(b.transform) || b.w === 0 || b.h === 0).map((b) => b.id)).toEqual([]);
    expect(laid.filter((b) => b.clipped).map((b) => b.id)).toEqual([]);
    const overlaps: string[] = [];
    for (let a = 0; a < laid.length; a++)
      for (let b = a + 1; b < laid.length; b++) {
        const p = laid[a];
        const q = laid[b];
        if (p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h) overlaps.push(`${p.id} × ${q.id}`);
      }
    expect(overlaps).toEqual([]);
    // The graph's own nodes: products, the three external contracts, 30 views, 6 models.
    const ids = new Set(laid.map((b) => b.id));
    for (const id of ['hub', 'src-2', 'l3-5-4-4', 'contract:ext-1-v1', 'fv:fv_3_2', 'model:model-4']) expect(ids).toContain(id);

    // Readable from the start: the view opens on the root at full size (a node box is its 190 px), with a minimap to move around.
    await centred(page, 'hub');
    expect(Math.round((await page.locator('.react-flow__node[data-id="hub"]').boundingBox())!.width)).toBe(190);
    await region.getByRole('img', { name: 'Lineage overview' }).waitFor();
    if (process.env.LINEAGE_SCREENSHOT) await page.screenshot({ path: process.env.LINEAGE_SCREENSHOT });

    await expectAccessible(page, 'lineage-large');

    // Find a node: the first match is selected and centred in the graph region.
    await page.getByLabel('Find a node').fill('l3-5-4-4');
    await page
      .getByRole('status')
      .getByText(/found Consumer 5\.4\.4/)
      .waitFor();
    const found = page.locator('.react-flow__node[data-id="l3-5-4-4"]');
    await page.locator('.react-flow__node.selected[data-id="l3-5-4-4"]').waitFor();
    await centred(page, 'l3-5-4-4');
    expect(await page.locator('.react-flow__node.selected').count()).toBe(1);

    // Clicking the node opens its product.
    await found.click();
    await page.waitForURL(`${pb.base}/products/l3-5-4-4`);
    await page
      .getByRole('heading', { name: /Consumer 5\.4\.4/ })
      .first()
      .waitFor();
    await page.goBack();
    await page.locator(`[data-layout="worker"][data-layout-nodes="${total}"]`).waitFor({ timeout: 60_000 });

    // Collapse by domain: one node per domain, plus the external contracts (they have none).
    await page.getByLabel('Collapse by domain').check();
    await page.locator('[data-layout="main"][data-layout-nodes="7"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('.react-flow__node').count()).toBe(DOMAINS.length + SOURCES);
    const members = (d: string) =>
      m.products.filter((p) => p.domain === d).length + m.views.filter((v) => m.products.find((p) => p.id === v.product)!.domain === d).length + m.models.filter((x) => x.domain === d).length;
    expect((await page.locator('.react-flow__node').allTextContents()).filter((s) => s.startsWith('domain ')).sort()).toEqual(DOMAINS.map((d) => `domain ${d} (${members(d)})`).sort());
    await page.getByLabel('Collapse by domain').uncheck();
    await page.locator(`[data-layout="worker"][data-layout-nodes="${total}"]`).waitFor({ timeout: 60_000 });
    console.log(`lineage layout of ${total} nodes again, worker already started: ${await region.getAttribute('data-layout-ms')} ms`);

    // Depth: 2 drops the third level (and stays under the worker threshold), 1 keeps the neighbours only.
    for (const depth of [2, 1]) {
      await page.getByLabel('Depth').fill(String(depth));
      await page.locator(`[data-layout="main"][data-layout-nodes="${expectedNodes(depth)}"]`).waitFor({ timeout: 30_000 });
      expect(await page.locator('.react-flow__node').count()).toBe(expectedNodes(depth));
    }
    expect(expectedNodes(1)).toBe(1 + SOURCES + BRANCHES);

    // Back to depth 2, where the feature views and models are: click through a model node.
    await page.getByLabel('Depth').fill('2');
    await page.locator(`[data-layout="main"][data-layout-nodes="${expectedNodes(2)}"]`).waitFor({ timeout: 30_000 });
    await page.getByLabel('Find a node').fill('model-4');
    await page.locator('.react-flow__node.selected[data-id="model:model-4"]').waitFor();
    await centred(page, 'model:model-4');
    await page.locator('.react-flow__node[data-id="model:model-4"]').click();
    await page.waitForURL(`${pb.base}/models/model-4`);
    await page.getByRole('heading', { name: 'Model model-4' }).waitFor();
    await ctx.close();
  }, 240_000);
});
