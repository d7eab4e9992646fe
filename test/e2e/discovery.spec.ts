import { meshFiles } from '../fixtures/chain-mesh';
import { startTestApp, TestApp } from '../support/test-app';

type Lineage = { lineage: { nodes: { id: string; kind: string; distance: number }[]; edges: { from: string; to: string; contractId: string }[] } };

describe('discovery: search, filters, pagination, lineage', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    const files = meshFiles([
      {
        id: 'src-trips',
        domain: 'rides',
        type: 'sourceAligned',
        tags: ['trips', 'raw'],
        purpose: 'Every taxi trip as recorded by the meter',
        inputs: ['meter-feed-v1'],
        output: { contractId: 'trips-v1', fields: ['trip_id', 'driver_id', 'fare_amount'] },
      },
      {
        id: 'agg-driver-stats',
        domain: 'rides',
        type: 'aggregate',
        tags: ['drivers'],
        purpose: 'Hourly conversion statistics per driver',
        inputs: ['trips-v1'],
        output: { contractId: 'driver-stats-v1', fields: ['driver_id', 'conv_rate', 'acc_rate'] },
      },
      {
        id: 'risk-features',
        domain: 'risk',
        type: 'consumerAligned',
        tags: ['drivers', 'ml'],
        purpose: 'Features for the risk model',
        inputs: ['driver-stats-v1', 'cycle-back-v1'],
        output: { contractId: 'risk-features-v1', fields: ['driver_id', 'risk_score'] },
      },
      // Consumes risk-features and publishes what risk-features consumes: a cycle.
      {
        id: 'risk-feedback',
        domain: 'risk',
        type: 'aggregate',
        status: 'draft',
        tags: ['ml'],
        purpose: 'Model feedback loop',
        inputs: ['risk-features-v1'],
        output: { contractId: 'cycle-back-v1', fields: ['driver_id', 'label'] },
      },
      { id: 'pay-tx', domain: 'payments', type: 'sourceAligned', tags: ['payments', 'pii'], purpose: 'Card transactions', output: { contractId: 'tx-v1', fields: ['tx_id', 'card_holder_name'] } },
    ]);
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files } });
    expect(res.statusCode).toBe(200);
  });
  afterAll(() => t.close());

  const ids = async (args: string): Promise<string[]> => {
    const r = await t.gql<{ dataProducts: { edges: { node: { id: string } }[] } }>(`{ dataProducts${args} { edges { node { id } } } }`);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.dataProducts.edges.map((e) => e.node.id);
  };

  it('finds products by field name, ranking name matches above description matches', async () => {
    expect(await ids('(search: "conv_rate")')).toEqual(['agg-driver-stats']);
    expect(await ids('(search: "card holder")')).toEqual(['pay-tx']);
    const drivers = await ids('(search: "driver")');
    expect(drivers[0]).toBe('agg-driver-stats'); // name + purpose + fields beat field-only matches
    expect(drivers).toEqual(expect.arrayContaining(['src-trips', 'risk-features', 'risk-feedback']));
    expect(await ids('(search: "meter")')).toEqual(['src-trips']);
    expect(await ids('(search: "nothing-like-this")')).toEqual([]);
  });

  it('treats hostile search text as words, never as query syntax', async () => {
    expect(await ids(`(search: "driver' OR 1=1 --")`)).toEqual(expect.any(Array));
    expect(await ids('(search: "!:*&|()")')).toEqual(['agg-driver-stats', 'pay-tx', 'risk-features', 'risk-feedback', 'src-trips']);
  });

  it('filters by domain, tags, status and type', async () => {
    expect(await ids('(domain: "risk")')).toEqual(['risk-features', 'risk-feedback']);
    expect(await ids('(tags: ["drivers", "ml"])')).toEqual(['risk-features']);
    expect(await ids('(status: draft)')).toEqual(['risk-feedback']);
    expect(await ids('(type: sourceAligned)')).toEqual(['pay-tx', 'src-trips']);
    expect(await ids('(search: "driver", domain: "rides")')).toEqual(['agg-driver-stats', 'src-trips']);
  });

  it('pages with first/after and reports the total', async () => {
    const page = async (after?: string) =>
      (
        await t.gql<{ dataProducts: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { id: string } }[] } }>(
          `query($after: String) { dataProducts(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
          { after },
        )
      ).data!.dataProducts;
    const p1 = await page();
    const p2 = await page(p1.pageInfo.endCursor);
    const p3 = await page(p2.pageInfo.endCursor);
    expect(p1.totalCount).toBe(5);
    expect([p1, p2, p3].flatMap((p) => p.edges.map((e) => e.node.id))).toEqual(['agg-driver-stats', 'pay-tx', 'risk-features', 'risk-feedback', 'src-trips']);
    expect([p1.pageInfo.hasNextPage, p2.pageInfo.hasNextPage, p3.pageInfo.hasNextPage]).toEqual([true, true, false]);
    const bad = await t.gql('{ dataProducts(first: 0) { totalCount } }');
    expect(bad.errors?.[0].message).toMatch(/first: must be an integer between 1 and 100/);
    const badCursor = await t.gql('{ dataProducts(after: "garbage") { totalCount } }');
    expect(badCursor.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('derives upstream lineage through contracts, with external sources', async () => {
    const r = await t.gql<Lineage>('{ lineage(id: "risk-features", direction: UPSTREAM, depth: 5) { nodes { id kind distance } edges { from to contractId } } }');
    const nodes = r.data!.lineage.nodes.map((n) => `${n.id}:${n.kind}:${n.distance}`);
    expect(nodes).toEqual(['contract:meter-feed-v1:EXTERNAL:-3', 'src-trips:PRODUCT:-2', 'agg-driver-stats:PRODUCT:-1', 'risk-feedback:PRODUCT:-1', 'risk-features:PRODUCT:0']);
    expect(r.data!.lineage.edges).toEqual(
      expect.arrayContaining([
        { from: 'agg-driver-stats', to: 'risk-features', contractId: 'driver-stats-v1' },
        { from: 'src-trips', to: 'agg-driver-stats', contractId: 'trips-v1' },
        { from: 'contract:meter-feed-v1', to: 'src-trips', contractId: 'meter-feed-v1' },
        { from: 'risk-feedback', to: 'risk-features', contractId: 'cycle-back-v1' },
      ]),
    );
  });

  it('stops at the requested depth and survives cycles in both directions', async () => {
    const down = await t.gql<Lineage>('{ lineage(id: "src-trips", direction: DOWNSTREAM, depth: 1) { nodes { id distance } edges { from to } } }');
    expect(down.data!.lineage.nodes.map((n) => n.id)).toEqual(['src-trips', 'agg-driver-stats']);
    const both = await t.gql<Lineage>('{ lineage(id: "risk-features", direction: BOTH, depth: 10) { nodes { id distance } edges { from to } } }');
    const byId = Object.fromEntries(both.data!.lineage.nodes.map((n) => [n.id, n.distance]));
    expect(byId['risk-features']).toBe(0);
    expect(byId['risk-feedback']).toBe(-1); // first reached upstream; the cycle does not loop
    expect(both.data!.lineage.edges).toEqual(
      expect.arrayContaining([
        { from: 'risk-features', to: 'risk-feedback' },
        { from: 'risk-feedback', to: 'risk-features' },
      ]),
    );
    expect(byId['pay-tx']).toBeUndefined();
  });

  it('serves a product with its ports and their contracts', async () => {
    const r = await t.gql<{
      dataProduct: { domain: string; type: string; inputPorts: { contractId: string; contract: { id: string } | null }[]; outputPorts: { contract: { schema: { properties: { name: string }[] }[] } }[] };
    }>('{ dataProduct(id: "agg-driver-stats") { domain type inputPorts { contractId contract { id } } outputPorts { contract { schema { properties { name } } } } } }');
    expect(r.data!.dataProduct).toEqual({
      domain: 'rides',
      type: 'aggregate',
      inputPorts: [{ contractId: 'trips-v1', contract: { id: 'trips-v1' } }],
      outputPorts: [{ contract: { schema: [{ properties: [{ name: 'driver_id' }, { name: 'conv_rate' }, { name: 'acc_rate' }] }] } }],
    });
  });

  it('lists domains with product counts', async () => {
    const r = await t.gql<{ domains: { name: string; productCount: number }[] }>('{ domains { name productCount } }');
    expect(r.data!.domains).toEqual([
      { name: 'payments', productCount: 1 },
      { name: 'rides', productCount: 2 },
      { name: 'risk', productCount: 2 },
    ]);
  });
});
