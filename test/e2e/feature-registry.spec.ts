import { customerEntity, customerView, featureFiles, statsProduct } from '../fixtures/feature-mesh';
import { startTestApp, TestApp } from '../support/test-app';

type Issue = { file: string; path: string; message: string };

describe('feature registry: feature views checked against their source contract', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const apply = async (files: { path: string; content: string }[], dryRun = true) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files, dryRun } });
    const body = res.json();
    return { status: res.statusCode, errors: (body.error?.details?.errors ?? []) as Issue[], warnings: ((body.error?.details ?? body).warnings ?? []) as Issue[] };
  };
  const paths = (issues: Issue[]): string[] => issues.map((i) => i.path).sort();

  it('accepts a view whose features, timestamps and join keys are typed properties of the port contract', async () => {
    const r = await apply(featureFiles());
    expect(r).toEqual({ status: 200, errors: [], warnings: [] });
  });

  it('names every feature that is missing or of a type the store cannot serve', async () => {
    const r = await apply(featureFiles({ view: customerView({ features: '[spend, refunds, basket]' }) }));
    expect(r.status).toBe(422);
    expect(paths(r.errors)).toEqual(['features[1]', 'features[2]']);
    expect(r.errors.find((e) => e.path === 'features[1]')?.message).toBe('feature refunds is not a property of contract shop-customer-stats-v1@1.0.0');
    expect(r.errors.find((e) => e.path === 'features[2]')?.message).toMatch(/feature basket has logicalType object/);
  });

  it('refuses a timestamp field that is not a timestamp and a join key of another type', async () => {
    const r = await apply(featureFiles({ view: customerView({ timestampField: 'segment' }), entity: customerEntity('string') }));
    expect(paths(r.errors)).toEqual(['entities[0]', 'timestampField']);
  });

  it('refuses a source port that is not a table', async () => {
    const r = await apply(featureFiles({ product: statsProduct('model') }));
    expect(r.errors).toEqual([expect.objectContaining({ path: 'source.outputPort', message: expect.stringMatching(/of type model; a feature view reads a table port/) })]);
  });

  it('only warns when the source is not in the catalog yet', async () => {
    const r = await apply([{ path: 'contracts/shop/features.yaml', content: `${customerEntity()}\n---\n${customerView({ source: '{ dataProduct: later, outputPort: daily }' })}` }]);
    expect(r.status).toBe(200);
    expect(r.warnings.map((w) => w.path)).toEqual(['source.dataProduct']);
  });

  it('accepts an added feature and refuses a removed one (a breaking change needs a new view)', async () => {
    expect((await apply(featureFiles(), false)).status).toBe(200);
    expect((await apply(featureFiles({ view: customerView({ features: '[spend, orders, segment]' }) }), false)).status).toBe(200);
    const r = await apply(featureFiles({ view: customerView({ features: '[spend, segment]' }) }), false);
    expect(r.status).toBe(422);
    expect(r.errors).toEqual([expect.objectContaining({ path: 'features', message: 'breaking change: feature customer_daily:orders removed; publish it as a new feature view (e.g. customer_daily_v2) instead' })]);
    const [row] = await t.dataSource.query(`SELECT normalized FROM tessera.registry_objects WHERE kind = 'FeatureView' AND name = 'customer_daily'`);
    expect(row.normalized.features.map((f: { name: string }) => f.name)).toEqual(['spend', 'orders', 'segment']);
  });

  it('makes features discoverable by text, owning product and tags', async () => {
    const q = async (args: string) =>
      (await t.gql<{ features: { reference: string; dataProduct: string; entities: string[]; online: boolean; ttlSeconds: number }[] }>(`{ features${args} { reference dataProduct entities online ttlSeconds } }`))
        .data!.features;
    expect(await q('(search: "spend")')).toEqual([{ reference: 'customer_daily:spend', dataProduct: 'shop-customer-stats', entities: ['customer'], online: true, ttlSeconds: 86400 }]);
    expect((await q('(dataProduct: "shop-customer-stats")')).map((f) => f.reference)).toEqual(['customer_daily:spend', 'customer_daily:orders', 'customer_daily:segment']);
    expect(await q('(dataProduct: "nobody")')).toEqual([]);
  });
});
