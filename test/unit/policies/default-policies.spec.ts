import { evaluateRule } from '../../../src/governance/policies/cel-program';
import { policyBindings } from '../../../src/governance/policies/policy-context';
import { readContractDirectory } from '../../../src/catalog/apply/read-contract-directory';
import { parseContractFiles } from '../../../src/catalog/contracts/documents/parse-documents';
import { validateDocuments } from '../../../src/catalog/contracts/documents/validate-documents';
import type { NormalizedPolicy } from '../../../src/catalog/contracts/documents/normalized-types';
import type { PolicyBindings } from '../../../src/governance/policies/cel-program';
import { snapshotFromDocuments } from '../../../src/governance/policies/snapshot-from-documents';
import { bindingsOf, contract, defaultPolicies, product, snapshotOf } from './policy-fixtures';

const POLICIES = defaultPolicies();
const policy = (name: string): NormalizedPolicy => {
  const p = POLICIES.find((x) => x.name === name);
  if (!p) throw new Error(`no default policy ${name}`);
  return p;
};
const run = (name: string, b: PolicyBindings) => evaluateRule(policy(name).rule, b, policy(name).message, policy(name).path);

describe('default policies (contracts/policies)', () => {
  it('ships the eight defaults of the issue, all valid and compiling', () => {
    expect(POLICIES.map((p) => p.name).sort()).toEqual([
      'breaking-change-major-version',
      'description-purpose',
      'output-port-slo',
      'owner-and-team',
      'pii-never-auto-approved',
      'schema-classified',
      'snake-case-physical-names',
      'support-channel',
    ]);
    expect(POLICIES.filter((p) => p.severity === 'warning').map((p) => p.name)).toEqual(['snake-case-physical-names']);
  });

  it('passes a compliant product on every policy', () => {
    const b = bindingsOf(product(), contract());
    for (const p of POLICIES) expect([p.name, evaluateRule(p.rule, b, p.message, p.path)]).toEqual([p.name, { outcome: 'pass', violations: [] }]);
  });

  it('owner-and-team: no owner, no team name', () => {
    const noOwner = run('owner-and-team', bindingsOf(product({ team: 'team:\n  members:\n    - username: bob\n      role: engineer' }), contract()));
    expect(noOwner).toEqual({
      outcome: 'fail',
      violations: [
        { path: 'team.members', reason: 'no team member has the role owner' },
        { path: 'team.name', reason: 'the product names no team' },
      ],
    });
    expect(run('owner-and-team', bindingsOf(product({ team: '' }), contract())).outcome).toBe('fail');
  });

  it('description-purpose: blank purpose fails at description.purpose', () => {
    expect(run('description-purpose', bindingsOf(product({ purpose: "'   '" }), contract()))).toEqual({
      outcome: 'fail',
      violations: [{ path: 'description.purpose', reason: 'description.purpose is missing or empty' }],
    });
  });

  it('schema-classified: names the unclassified property by contract path', () => {
    expect(run('schema-classified', bindingsOf(product(), contract({ emailClassification: null })))).toEqual({
      outcome: 'fail',
      violations: [{ path: 'shop-orders-v1#schema[0].properties[1].classification', reason: 'property orders.customer_email of port orders has no classification' }],
    });
  });

  it('pii-never-auto-approved: declared PII or a pii-classified column with autoApprove fails; without autoApprove passes', () => {
    const declared = run('pii-never-auto-approved', bindingsOf(product({ containsPii: true, autoApprove: true }), contract()));
    expect(declared).toEqual({ outcome: 'fail', violations: [{ path: 'outputPorts[0].autoApprove', reason: 'port orders carries personal data and must not be auto-approved' }] });
    expect(run('pii-never-auto-approved', bindingsOf(product({ autoApprove: true }), contract({ emailClassification: 'pii' }))).outcome).toBe('fail');
    expect(run('pii-never-auto-approved', bindingsOf(product({ containsPii: true, autoApprove: false }), contract({ emailClassification: 'pii' }))).outcome).toBe('pass');
  });

  it('output-port-slo: no contract, no freshness objective, no availability', () => {
    expect(run('output-port-slo', bindingsOf(product({ contractId: null })))).toEqual({
      outcome: 'fail',
      violations: [{ path: 'outputPorts[0].contractId', reason: 'output port orders has no data contract' }],
    });
    const onlyAvailability = contract({ sla: 'slaProperties:\n  - property: availability\n    value: 99.9' });
    expect(run('output-port-slo', bindingsOf(product(), onlyAvailability)).violations).toEqual([
      { path: 'shop-orders-v1#slaProperties', reason: 'the contract of port orders lacks latency or frequency, or availability' },
    ]);
    const frequencyOnly = contract({ sla: 'slaProperties:\n  - property: frequency\n    value: 1\n    unit: d' });
    expect(run('output-port-slo', bindingsOf(product(), frequencyOnly)).outcome).toBe('fail');
    const frequencyAndAvailability = contract({ sla: 'slaProperties:\n  - property: frequency\n    value: 1\n    unit: d\n  - property: availability\n    value: 99' });
    expect(run('output-port-slo', bindingsOf(product(), frequencyAndAvailability)).outcome).toBe('pass');
  });

  it('breaking-change-major-version: a recorded MAJOR change without a major bump fails; with one passes', () => {
    const s = snapshotOf(product(), contract());
    const breaking = { ...s, changes: [{ contractId: 'shop-orders-v1', version: '1.1.0', previousVersion: '1.0.0', impact: 'MAJOR' }] };
    expect(run('breaking-change-major-version', policyBindings(breaking))).toEqual({
      outcome: 'fail',
      violations: [{ path: 'shop-orders-v1#version', reason: 'contract shop-orders-v1 changed incompatibly from 1.0.0 to 1.1.0 without a new major version' }],
    });
    const bumped = { ...s, changes: [{ contractId: 'shop-orders-v1', version: '2.0.0', previousVersion: '1.4.0', impact: 'MAJOR' }] };
    expect(run('breaking-change-major-version', policyBindings(bumped)).outcome).toBe('pass');
    const minor = { ...s, changes: [{ contractId: 'shop-orders-v1', version: '1.1.0', previousVersion: '1.0.0', impact: 'MINOR' }] };
    expect(run('breaking-change-major-version', policyBindings(minor)).outcome).toBe('pass');
  });

  it('snake-case-physical-names: camelCase column and table are named', () => {
    const r = run('snake-case-physical-names', bindingsOf(product(), contract({ emailPhysicalName: 'customerEmail', tablePhysicalName: 'ShopOrders' })));
    expect(r).toEqual({
      outcome: 'fail',
      violations: [
        { path: 'shop-orders-v1#schema[0].properties[1].physicalName', reason: 'physical name customerEmail of orders.customer_email is not snake_case' },
        { path: 'shop-orders-v1#schema', reason: 'a schema object of port orders has a physical name that is not snake_case' },
      ],
    });
  });

  it('support-channel: no support fails at support', () => {
    expect(run('support-channel', bindingsOf(product({ support: '' }), contract()))).toEqual({
      outcome: 'fail',
      violations: [{ path: 'support', reason: 'no support channel is declared' }],
    });
  });

  it('the example mesh in contracts/ complies with every default policy', () => {
    const parsed = parseContractFiles(readContractDirectory('contracts').filter((f) => /\.ya?ml$/.test(f.path)));
    const v = validateDocuments(parsed.docs);
    expect([...parsed.issues, ...v.issues].filter((i) => i.severity === 'error')).toEqual([]);
    const contracts = v.documents.filter((d) => d.kind === 'DataContract').map((d) => d.value);
    const products = v.documents.filter((d) => d.kind === 'DataProduct').map((d) => d.value);
    expect(products.length).toBeGreaterThanOrEqual(6);
    const failures: string[] = [];
    for (const p of products) {
      const b = policyBindings(snapshotFromDocuments(p, contracts));
      for (const pol of POLICIES) {
        const r = evaluateRule(pol.rule, b, pol.message, pol.path);
        if (r.outcome !== 'pass') failures.push(`${p.id} ${pol.name}: ${JSON.stringify(r)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
