import { readContractDirectory } from '../../src/catalog/apply/read-contract-directory';
import { startTestApp, TestApp } from '../support/test-app';

/** The example mesh in contracts/ that `npm start` applies and the README tour walks through. */
describe('example mesh (contracts/)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('applies cleanly, with no errors or warnings, and re-applies as a no-op', async () => {
    const files = readContractDirectory('contracts');
    const first = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files } });
    expect(first.statusCode).toBe(200);
    const report = first.json();
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.summary).toEqual({ created: report.changes.length, updated: 0, unchanged: 0 });
    const again = (await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files } })).json();
    expect(again.changed).toBe(false);
  });

  it('has at least three domains, six products and the three product types', async () => {
    const r = await t.gql<{ domains: { name: string; productCount: number }[]; dataProducts: { totalCount: number; edges: { node: { type: string } }[] } }>(
      '{ domains { name productCount } dataProducts(first: 100) { totalCount edges { node { type } } } }',
    );
    expect(r.data!.domains.map((d) => d.name)).toEqual(['payments', 'rides', 'risk']);
    expect(r.data!.dataProducts.totalCount).toBeGreaterThanOrEqual(6);
    expect(new Set(r.data!.dataProducts.edges.map((e) => e.node.type))).toEqual(new Set(['sourceAligned', 'aggregate', 'consumerAligned']));
  });

  it('traces the model product back to its sources: source-aligned → aggregate → consumer-aligned', async () => {
    const r = await t.gql<{ lineage: { nodes: { id: string; type: string; distance: number }[]; edges: { from: string; to: string }[] } }>(
      '{ lineage(id: "risk-driver-model", direction: UPSTREAM, depth: 5) { nodes { id type distance } edges { from to } } }',
    );
    const nodes = Object.fromEntries(r.data!.lineage.nodes.map((n) => [n.id, [n.type, n.distance]]));
    expect(nodes).toEqual({
      'risk-driver-model': ['consumerAligned', 0],
      'risk-driver-features': ['consumerAligned', -1],
      'rides-driver-stats': ['aggregate', -2],
      'payments-driver-activity': ['aggregate', -2],
      'rides-trips': ['sourceAligned', -3],
      'rides-drivers': ['sourceAligned', -3],
      'payments-transactions': ['sourceAligned', -3],
    });
    expect(r.data!.lineage.edges).toHaveLength(6);
  });

  it('finds products by glossary synonym, field name and PII', async () => {
    const search = async (q: string): Promise<string[]> =>
      (await t.gql<{ dataProducts: { edges: { node: { id: string } }[] } }>(`{ dataProducts(search: ${JSON.stringify(q)}) { edges { node { id } } } }`)).data!.dataProducts.edges.map((e) => e.node.id);
    expect((await search('completion rate'))[0]).toBe('rides-driver-stats'); // glossary synonym of conv_rate
    expect(await search('conv_rate')).toContain('rides-driver-stats');
    expect(await search('chargeback')).toEqual(expect.arrayContaining(['payments-driver-activity']));
    const pii = await t.gql<{ dataProducts: { edges: { node: { id: string; outputPorts: { containsPii: boolean; autoApprove: boolean }[] } }[] } }>(
      '{ dataProducts(first: 100) { edges { node { id outputPorts { containsPii autoApprove } } } } }',
    );
    const piiPorts = pii.data!.dataProducts.edges.flatMap((e) => e.node.outputPorts.filter((p) => p.containsPii).map((p) => ({ id: e.node.id, ...p })));
    expect(piiPorts.length).toBeGreaterThanOrEqual(2);
    for (const p of piiPorts) expect(p.autoApprove).toBe(false);
  });

  it('declares SLOs (latency, frequency, availability) on every output port contract', async () => {
    const r = await t.gql<{ dataProducts: { edges: { node: { outputPorts: { contract: { id: string; slaProperties: { property: string }[] } | null }[] } }[] } }>(
      '{ dataProducts(first: 100) { edges { node { outputPorts { contract { id slaProperties { property } } } } } } }',
    );
    const contracts = r.data!.dataProducts.edges.flatMap((e) => e.node.outputPorts.map((p) => p.contract));
    for (const c of contracts) {
      expect(c).not.toBeNull();
      const props = c!.slaProperties.map((s) => s.property);
      expect(props).toEqual(expect.arrayContaining(['latency', 'frequency', 'availability']));
    }
  });

  it('serves glossary, use cases and the feature registry', async () => {
    const r = await t.gql<{ glossary: { term: string }[]; useCases: { name: string }[]; registryObjects: { kind: string; name: string }[] }>(
      '{ glossary(domain: "rides") { term } useCases { name } registryObjects { kind name } }',
    );
    expect(r.data!.glossary.map((g) => g.term)).toEqual(expect.arrayContaining(['Trip', 'Conversion rate']));
    expect(r.data!.useCases.map((u) => u.name)).toEqual(['driver-payout-screening']);
    expect(r.data!.registryObjects).toEqual(
      expect.arrayContaining([
        { kind: 'Entity', name: 'driver' },
        { kind: 'FeatureView', name: 'driver_hourly_stats' },
        { kind: 'FeatureService', name: 'driver_risk_v1' },
      ]),
    );
  });

  it('creates one offline table per stored port, indexed for the feature views that read it', async () => {
    const tables = await t.dataSource.query(`SELECT product_id, port, schema_name, table_name FROM tessera.offline_tables ORDER BY product_id`);
    expect(tables.map((r: { product_id: string }) => r.product_id)).toEqual(['payments-driver-activity', 'payments-transactions', 'rides-driver-stats', 'rides-drivers', 'rides-trips', 'risk-driver-features']);
    const stats = tables.find((r: { product_id: string }) => r.product_id === 'rides-driver-stats');
    const idx = await t.dataSource.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2`, [stats.schema_name, stats.table_name]);
    expect(idx.map((i: { indexdef: string }) => i.indexdef).join('\n')).toMatch(/\(driver_id, event_timestamp DESC, created DESC NULLS LAST\)/);
    const features = await t.gql<{ features: { reference: string; type: string }[] }>('{ features(dataProduct: "rides-driver-stats") { reference type } }');
    expect(features.data!.features).toEqual([
      { reference: 'driver_hourly_stats:conv_rate', type: 'number' },
      { reference: 'driver_hourly_stats:acc_rate', type: 'number' },
      { reference: 'driver_hourly_stats:avg_daily_trips', type: 'integer' },
    ]);
  });
});
