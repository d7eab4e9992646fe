import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, TestApp } from '../support/test-app';
import { contract, product } from '../unit/policies/policy-fixtures';

type Issue = { file: string; path: string; message: string; severity: string; policy?: string; product?: string };
type Report = { applied: boolean; changes: { kind: string; id: string; action: string }[]; warnings: Issue[]; errors: Issue[] };

/** A policy whose rule compiles but fails at evaluation (unknown field): reported, never a crash. */
const ERRORING_POLICY = `
apiVersion: tessera/v1
kind: Policy
name: cost-center-tagged
title: Products carry a cost center
category: compliance
severity: warning
context: Finance allocates platform costs per cost center.
decision: Every product has product.costCenter.
consequences: Untagged products are charged to the platform team.
rule: product.costCenter != ''
`;

describe('computational governance: policies enforced on apply, compliance and scorecard', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    // The first start of an ungoverned mesh bootstraps <apply-on-start dir>/policies as active (ADR 0010).
    dir = mkdtempSync(join(tmpdir(), 'tessera-governance-'));
    mkdirSync(join(dir, 'policies'));
    cpSync('contracts/policies', join(dir, 'policies'), { recursive: true });
    writeFileSync(join(dir, 'policies', 'cost-center-tagged.yaml'), ERRORING_POLICY);
    t = await startTestApp({ TESSERA_APPLY_ON_START: dir });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const apply = async (files: Record<string, string>): Promise<Report> => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: Object.entries(files).map(([path, content]) => ({ path, content })), dryRun: false } });
    const body = res.json();
    return (res.statusCode === 200 ? body : body.error?.details) as Report;
  };
  const status = async (id: string): Promise<string | undefined> => (await t.dataSource.query(`SELECT status FROM tessera.data_products WHERE id = $1`, [id]))[0]?.status;
  const compliance = async (id: string) =>
    (
      await t.gql<{ compliance: { compliant: boolean; results: { name: string; outcome: string; violations: { path: string; reason: string }[]; error: string | null }[] } }>(
        `query($id: String!) { compliance(productId: $id) { compliant results { name outcome violations { path reason } error } } }`,
        { id },
      )
    ).data!.compliance;

  it('bootstraps the defaults as active at first start', async () => {
    const r = await t.gql<{ policies: { id: string; proposedBy: string }[] }>(`{ policies(status: active) { id proposedBy } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.policies).toHaveLength(9);
    expect(r.data!.policies.every((p) => p.proposedBy === 'system:bootstrap')).toBe(true);
  });

  it('a blocking violation keeps a product from becoming active; the report names policy, product, path and reason', async () => {
    const report = await apply({ 'shop/orders.odps.yaml': product({ support: '' }), 'shop/orders.odcs.yaml': contract({ emailClassification: null }) });
    expect(report.applied).toBe(false);
    expect(report.errors).toEqual(
      expect.arrayContaining([
        {
          file: 'shop/orders.odps.yaml',
          docIndex: 0,
          path: 'support',
          severity: 'error',
          policy: 'support-channel@1',
          product: 'shop-orders',
          message: 'policy support-channel@1 (blocking, the product cannot be active) violated by data product shop-orders at support: no support channel is declared',
        },
        expect.objectContaining({ file: 'shop/orders.odcs.yaml', path: 'schema[0].properties[1].classification', policy: 'schema-classified@1', product: 'shop-orders' }),
      ]),
    );
    expect(await status('shop-orders')).toBeUndefined(); // nothing stored
  });

  it('as a draft the same product is stored, with the blocking violations as warnings; compliance shows them', async () => {
    const draft = product({ support: '' }).replace('status: active', 'status: draft');
    const report = await apply({ 'shop/orders.odps.yaml': draft, 'shop/orders.odcs.yaml': contract() });
    expect(report.errors).toEqual([]);
    expect(report.applied).toBe(true);
    expect(report.warnings.map((w) => w.policy)).toEqual(expect.arrayContaining(['support-channel@1', 'cost-center-tagged@1']));
    expect(await status('shop-orders')).toBe('draft');

    const c = await compliance('shop-orders');
    expect(c.compliant).toBe(false);
    const byName = Object.fromEntries(c.results.map((r) => [r.name, r]));
    expect(byName['support-channel']).toEqual({ name: 'support-channel', outcome: 'fail', violations: [{ path: 'support', reason: 'no support channel is declared' }], error: null });
    expect(byName['owner-and-team'].outcome).toBe('pass');
    // The rule that cannot be evaluated is an `error` result with CEL's message, not a crash.
    expect(byName['cost-center-tagged']).toMatchObject({ outcome: 'error', error: expect.stringContaining('costCenter') });

    // Promotion to active is refused while the violation stands, and stays draft.
    const promote = await apply({ 'shop/orders.odps.yaml': product({ support: '' }) });
    expect(promote.applied).toBe(false);
    expect(promote.errors.map((e) => e.policy)).toEqual(['support-channel@1']);
    expect(await status('shop-orders')).toBe('draft');
  });

  it('once fixed the product becomes active; warning policies only warn', async () => {
    const report = await apply({ 'shop/orders.odps.yaml': product(), 'shop/orders.odcs.yaml': contract({ emailPhysicalName: 'customerEmail' }) });
    expect(report.errors).toEqual([]);
    expect(report.applied).toBe(true);
    expect(report.warnings).toEqual(
      expect.arrayContaining([expect.objectContaining({ policy: 'snake-case-physical-names@1', file: 'shop/orders.odcs.yaml', path: 'schema[0].properties[1].physicalName', severity: 'warning' })]),
    );
    expect(await status('shop-orders')).toBe('active');
    expect((await compliance('shop-orders')).compliant).toBe(true);
  });

  it('a contract change alone is checked against the products using it', async () => {
    const report = await apply({ 'shop/orders.odcs.yaml': contract({ sla: 'slaProperties:\n  - property: availability\n    value: 99.9' }).replace('version: 1.0.0', 'version: 1.0.1') });
    expect(report.applied).toBe(false);
    expect(report.errors).toEqual([expect.objectContaining({ policy: 'output-port-slo@1', product: 'shop-orders', file: 'shop/orders.odcs.yaml', path: 'slaProperties' })]);
  });

  it('the scorecard counts per domain and per policy', async () => {
    const other = product({ team: '' }).replace('id: shop-orders', 'id: ads-clicks').replace('domain: shop', 'domain: ads').replace('status: active', 'status: draft');
    expect((await apply({ 'ads/clicks.odps.yaml': other })).applied).toBe(true);
    const r = await t.gql<{
      complianceScorecard: {
        activePolicies: number;
        products: number;
        compliantProducts: number;
        complianceRate: number;
        domains: { domain: string; products: number; compliantProducts: number; policies: { name: string; passed: number; failed: number; errored: number; passRate: number }[] }[];
      };
    }>(`{ complianceScorecard { activePolicies products compliantProducts complianceRate domains { domain products compliantProducts policies { name passed failed errored passRate } } } }`);
    expect(r.errors).toBeUndefined();
    const s = r.data!.complianceScorecard;
    expect(s).toMatchObject({ activePolicies: 9, products: 2, compliantProducts: 1, complianceRate: 50 });
    const ads = s.domains.find((d) => d.domain === 'ads')!;
    expect(ads).toMatchObject({ products: 1, compliantProducts: 0 });
    expect(ads.policies.find((p) => p.name === 'owner-and-team')).toEqual({ name: 'owner-and-team', passed: 0, failed: 1, errored: 0, passRate: 0 });
    const shop = s.domains.find((d) => d.domain === 'shop')!;
    expect(shop.policies.find((p) => p.name === 'cost-center-tagged')).toMatchObject({ errored: 1, passRate: 0 });
    expect(shop.policies.find((p) => p.name === 'support-channel')).toMatchObject({ passed: 1, passRate: 100 });
  });
});
