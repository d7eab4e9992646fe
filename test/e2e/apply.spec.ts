import { ordersContract, ordersProduct, shopFiles } from '../fixtures/shop-mesh';
import { startTestApp, TestApp } from '../support/test-app';

type Report = {
  applied: boolean;
  changed: boolean;
  dryRun: boolean;
  message: string;
  summary: { created: number; updated: number; unchanged: number };
  changes: { kind: string; id: string; action: string; impact?: string; suggestedVersion?: string }[];
  warnings: { file: string; path: string; message: string }[];
  errors: { file: string; path: string; message: string }[];
};

describe('POST /v1/contracts/apply', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const apply = async (files: { path: string; content: string }[], dryRun = false) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files, dryRun } });
    const body = res.json();
    return { status: res.statusCode, body, report: (res.statusCode === 200 ? body : body.error?.details) as Report };
  };
  const count = async (table: string): Promise<number> => Number((await t.dataSource.query(`SELECT count(*) AS n FROM tessera.${table}`))[0].n);

  it('a dry run reports what would change and stores nothing', async () => {
    const { status, report } = await apply(shopFiles(), true);
    expect(status).toBe(200);
    expect(report).toMatchObject({ applied: false, dryRun: true, changed: true, summary: { created: 3, updated: 0, unchanged: 0 } });
    expect(await count('data_products')).toBe(0);
    expect(await count('data_contracts')).toBe(0);
  });

  it('applies products and contracts, warning about a contract not in the catalog yet', async () => {
    const { status, report } = await apply(shopFiles());
    expect(status).toBe(200);
    expect(report.applied).toBe(true);
    expect(report.summary).toEqual({ created: 3, updated: 0, unchanged: 0 });
    expect(report.warnings).toEqual([
      expect.objectContaining({ file: 'contracts/shop/shop-revenue.odps.yaml', path: 'outputPorts[0].contractId', message: 'contract shop-revenue-daily-v1 is not in the catalog yet' }),
    ]);
    expect(await count('data_products')).toBe(2);
    expect(await count('output_ports')).toBe(2);
    expect(await count('input_ports')).toBe(1);
    const [port] = await t.dataSource.query(`SELECT contains_pii, auto_approve, type FROM tessera.output_ports WHERE product_id = 'shop-orders'`);
    expect(port).toEqual({ contains_pii: true, auto_approve: false, type: 'table' });
  });

  it('is idempotent: the same files again change nothing and say so', async () => {
    const before = await t.dataSource.query(`SELECT id, updated_at FROM tessera.data_products ORDER BY id`);
    const { status, report } = await apply(shopFiles());
    expect(status).toBe(200);
    expect(report.changed).toBe(false);
    expect(report.summary).toEqual({ created: 0, updated: 0, unchanged: 3 });
    expect(report.message).toBe('nothing changed: 3 document(s) already up to date');
    expect(await t.dataSource.query(`SELECT id, updated_at FROM tessera.data_products ORDER BY id`)).toEqual(before);
    expect(await count('contract_versions')).toBe(1);
  });

  it('rejects the whole batch when one file is invalid, naming file, path and reason', async () => {
    const bad = ordersProduct({ status: 'launched' });
    const files = [
      { path: 'contracts/shop/shop-orders.odps.yaml', content: bad },
      { path: 'contracts/shop/new.odcs.yaml', content: ordersContract().replace('id: shop-orders-v1', 'id: shop-new-v1') },
      { path: 'contracts/shop/broken.yaml', content: 'kind: DataProduct\n  bad: [indent' },
    ];
    const { status, body, report } = await apply(files);
    expect(status).toBe(422);
    expect(body.error.code).toBe('APPLY_REJECTED');
    expect(report.applied).toBe(false);
    const where = report.errors.map((e) => `${e.file}#${e.path}`);
    expect(where).toContain('contracts/shop/shop-orders.odps.yaml#status');
    expect(where.some((w) => w.startsWith('contracts/shop/broken.yaml#'))).toBe(true);
    expect(report.errors.find((e) => e.path === 'status')?.message).toMatch(/proposed.*draft.*active.*deprecated.*retired/);
    expect(await count('data_contracts')).toBe(1); // shop-new-v1, valid on its own, was not stored
  });

  it('refuses a breaking change without a major version, listing every breaking change', async () => {
    const breaking = ordersContract({ version: '1.1.0', dropEmail: true, amountType: 'string' });
    const { status, report } = await apply([{ path: 'contracts/shop/shop-orders/orders.odcs.yaml', content: breaking }]);
    expect(status).toBe(422);
    const byPath = Object.fromEntries(report.errors.map((e) => [e.path, e.message]));
    expect(byPath.version).toMatch(/suggested 2\.0\.0/);
    const found = report.errors.filter((e) => e.message.startsWith('breaking change'));
    expect(found.map((e) => e.path).sort()).toEqual(['schema[0].properties', 'schema[0].properties[1].logicalType']);
    expect(found.map((e) => e.message).join(' ')).toMatch(/orders\.customer_email removed/);
    expect(found.map((e) => e.message).join(' ')).toMatch(/amount/);
    const [stored] = await t.dataSource.query(`SELECT version FROM tessera.data_contracts WHERE id = 'shop-orders-v1'`);
    expect(stored.version).toBe('1.0.0');
  });

  it('accepts the same change as a new major version and records the diff in the history', async () => {
    const major = ordersContract({ version: '2.0.0', dropEmail: true, amountType: 'string' });
    const { status, report } = await apply([{ path: 'contracts/shop/shop-orders/orders.odcs.yaml', content: major }]);
    expect(status).toBe(200);
    expect(report.changes[0]).toMatchObject({ kind: 'DataContract', id: 'shop-orders-v1', action: 'updated', impact: 'MAJOR', suggestedVersion: '2.0.0' });
    const history = await t.gql<{ contractHistory: { version: string; impact: string; changes: { path: string; impact: string }[] }[] }>(
      `{ contractHistory(id: "shop-orders-v1") { version impact changes { path impact } } }`,
    );
    expect(history.data?.contractHistory.map((h) => [h.version, h.impact])).toEqual([
      ['2.0.0', 'MAJOR'],
      ['1.0.0', 'INITIAL'],
    ]);
    const diff = await t.gql<{ contractDiff: { impact: string; suggestedVersion: string; breaking: { path: string }[] } }>(
      `{ contractDiff(from: {id: "shop-orders-v1", version: "1.0.0"}, to: {id: "shop-orders-v1", version: "2.0.0"}) { impact suggestedVersion breaking { path } } }`,
    );
    expect(diff.data?.contractDiff.impact).toBe('MAJOR');
    expect(diff.data?.contractDiff.breaking).toHaveLength(2);
  });

  it('accepts an additive change as a minor version', async () => {
    const minor = ordersContract({
      version: '2.1.0',
      dropEmail: true,
      amountType: 'string',
      extraProps: '      - name: coupon\n        logicalType: string\n        classification: internal',
    });
    const { status, report } = await apply([{ path: 'contracts/shop/shop-orders/orders.odcs.yaml', content: minor }]);
    expect(status).toBe(200);
    expect(report.changes[0]).toMatchObject({ action: 'updated', impact: 'MINOR' });
  });

  it('applies through the GraphQL mutation with the same report', async () => {
    const res = await t.gql<{ applyContracts: Report }>(
      `mutation($files: [ContractFileInput!]!) { applyContracts(files: $files) { applied changed message summary { created updated unchanged } errors { file path message } } }`,
      { files: [{ path: 'contracts/shop/shop-orders.odps.yaml', content: ordersProduct({ tags: '[orders, ecommerce, web]' }) }] },
    );
    expect(res.data?.applyContracts).toMatchObject({ applied: true, changed: true, summary: { created: 0, updated: 1, unchanged: 0 }, errors: [] });
    const rejected = await t.gql<{ applyContracts: Report }>(`mutation($files: [ContractFileInput!]!) { applyContracts(files: $files) { applied errors { file path message } } }`, {
      files: [{ path: 'x.yaml', content: 'apiVersion: tessera/v1\nkind: Gizmo\nname: g' }],
    });
    expect(rejected.data?.applyContracts.applied).toBe(false);
    expect(rejected.data?.applyContracts.errors[0]).toMatchObject({ file: 'x.yaml', path: 'kind' });
  });

  it('moves a product forward through its lifecycle and refuses to move it back', async () => {
    const deprecated = await apply([{ path: 'contracts/shop/shop-orders.odps.yaml', content: ordersProduct({ status: 'deprecated', tags: '[orders, ecommerce, web]' }) }]);
    expect(deprecated.status).toBe(200);
    const back = await apply([{ path: 'contracts/shop/shop-orders.odps.yaml', content: ordersProduct({ status: 'active' }) }]);
    expect(back.status).toBe(422);
    expect(back.report.errors).toEqual([expect.objectContaining({ path: 'status', message: expect.stringMatching(/cannot move back from deprecated to active/) })]);
    const [row] = await t.dataSource.query(`SELECT status FROM tessera.data_products WHERE id = 'shop-orders'`);
    expect(row.status).toBe('deprecated');
  });
});
