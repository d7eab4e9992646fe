import { checkVersionBump, diffContracts, suggestVersion } from '../../../src/catalog/contracts/documents/contract-diff';
import type { ContractDiff } from '../../../src/catalog/contracts/documents/contract-diff';
import { contract, normalizedContract } from './contract-fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test documents are loose YAML-like data mutated in place
type Doc = Record<string, any>;

/** A richer base than the fixture default, so every rule has something to change. */
function base(): Doc {
  return contract({
    description: { purpose: 'orders' },
    tags: ['sales'],
    support: [{ channel: '#orders' }],
    team: { name: 'sales', members: [{ username: 'ann' }] },
    slaProperties: [
      { property: 'latency', value: 4, unit: 'h' },
      { property: 'retention', value: 1, unit: 'y', element: 'orders.id' },
    ],
    schema: [
      {
        name: 'orders',
        description: 'all orders',
        properties: [
          { name: 'id', logicalType: 'integer', required: true, unique: true, primaryKey: true, primaryKeyPosition: 1 },
          { name: 'email', logicalType: 'string', required: false, classification: 'confidential', businessName: 'Email' },
          { name: 'amount', logicalType: 'number', logicalTypeOptions: { minimum: 0 }, examples: [1.5], tags: ['money'] },
          { name: 'address', logicalType: 'object', properties: [{ name: 'zip', logicalType: 'string' }] },
        ],
        quality: [{ metric: 'rowCount', mustBeGreaterThan: 0 }],
      },
      { name: 'refunds', properties: [{ name: 'id', logicalType: 'integer' }] },
    ],
  });
}

const props = (d: Doc) => d.schema[0].properties;
const prop = (d: Doc, name: string) => props(d).find((p: Doc) => p.name === name);

function diffAfter(mutate: (d: Doc) => void): ContractDiff {
  const from = base();
  const to = structuredClone(from);
  mutate(to);
  return diffContracts(normalizedContract(from), normalizedContract(to));
}

describe('diffContracts rules', () => {
  it.each<[string, (d: Doc) => void, 'MAJOR' | 'MINOR' | 'PATCH', string, string]>([
    ['schema object removed', (d) => d.schema.pop(), 'MAJOR', 'schema', 'removed'],
    ['property removed', (d) => props(d).splice(1, 1), 'MAJOR', 'schema[0].properties', 'removed'],
    ['nested property removed', (d) => (prop(d, 'address').properties = []), 'MAJOR', 'schema[0].properties[3].properties', 'removed'],
    ['logicalType changed', (d) => (prop(d, 'id').logicalType = 'string'), 'MAJOR', 'schema[0].properties[0].logicalType', 'changed'],
    ['required false → true', (d) => (prop(d, 'email').required = true), 'MAJOR', 'schema[0].properties[1].required', 'changed'],
    ['required absent → true', (d) => (prop(d, 'amount').required = true), 'MAJOR', 'schema[0].properties[2].required', 'changed'],
    ['unique false → true', (d) => (prop(d, 'email').unique = true), 'MAJOR', 'schema[0].properties[1].unique', 'changed'],
    ['primaryKey changed', (d) => (prop(d, 'id').primaryKey = false), 'MAJOR', 'schema[0].properties[0].primaryKey', 'changed'],
    ['primaryKeyPosition changed', (d) => (prop(d, 'id').primaryKeyPosition = 2), 'MAJOR', 'schema[0].properties[0].primaryKeyPosition', 'changed'],
    ['classification changed', (d) => (prop(d, 'email').classification = 'public'), 'MAJOR', 'schema[0].properties[1].classification', 'changed'],
    ['schema object added', (d) => d.schema.push({ name: 'carts' }), 'MINOR', 'schema[2]', 'added'],
    ['property added', (d) => props(d).push({ name: 'note', logicalType: 'string' }), 'MINOR', 'schema[0].properties[4]', 'added'],
    ['required property added', (d) => props(d).push({ name: 'note', required: true }), 'MINOR', 'schema[0].properties[4]', 'added'],
    ['required true → false', (d) => (prop(d, 'id').required = false), 'MINOR', 'schema[0].properties[0].required', 'changed'],
    ['unique true → false', (d) => (prop(d, 'id').unique = false), 'MINOR', 'schema[0].properties[0].unique', 'changed'],
    ['logicalTypeOptions changed', (d) => (prop(d, 'amount').logicalTypeOptions = { minimum: 10 }), 'MINOR', 'schema[0].properties[2].logicalTypeOptions', 'changed'],
    ['object quality changed', (d) => (d.schema[0].quality[0].mustBeGreaterThan = 5), 'MINOR', 'schema[0].quality', 'changed'],
    ['property quality added', (d) => (prop(d, 'email').quality = [{ metric: 'nullValues', mustBe: 0 }]), 'MINOR', 'schema[0].properties[1].quality', 'changed'],
    ['SLA changed', (d) => (d.slaProperties[0].value = 2), 'MINOR', 'slaProperties[0]', 'changed'],
    ['SLA added', (d) => d.slaProperties.push({ property: 'frequency', value: 1, unit: 'd' }), 'MINOR', 'slaProperties[2]', 'added'],
    ['SLA removed', (d) => d.slaProperties.pop(), 'MINOR', 'slaProperties', 'removed'],
    ['physicalName changed', (d) => (prop(d, 'id').physicalName = 'order_id'), 'MINOR', 'schema[0].properties[0].physicalName', 'changed'],
    ['property description', (d) => (prop(d, 'id').description = 'the id'), 'PATCH', 'schema[0].properties[0].description', 'changed'],
    ['businessName', (d) => (prop(d, 'email').businessName = 'E-mail'), 'PATCH', 'schema[0].properties[1].businessName', 'changed'],
    ['property tags', (d) => (prop(d, 'amount').tags = ['eur']), 'PATCH', 'schema[0].properties[2].tags', 'changed'],
    ['examples', (d) => (prop(d, 'amount').examples = [2]), 'PATCH', 'schema[0].properties[2].examples', 'changed'],
    ['object description', (d) => (d.schema[0].description = 'orders'), 'PATCH', 'schema[0].description', 'changed'],
    ['contract description', (d) => (d.description.purpose = 'sales'), 'PATCH', 'description', 'changed'],
    ['contract tags', (d) => d.tags.push('x'), 'PATCH', 'tags', 'changed'],
    ['support', (d) => (d.support = [{ channel: '#help' }]), 'PATCH', 'support', 'changed'],
    ['team', (d) => d.team.members.push({ username: 'bob' }), 'PATCH', 'team', 'changed'],
    ['status', (d) => (d.status = 'deprecated'), 'PATCH', 'status', 'changed'],
  ])('%s → %s', (_name, mutate, impact, path, change) => {
    const diff = diffAfter(mutate);
    expect(diff.changes).toHaveLength(1);
    expect(diff.changes[0]).toMatchObject({ path, change, impact });
    expect(diff.impact).toBe(impact);
    expect(diff.breaking).toHaveLength(impact === 'MAJOR' ? 1 : 0);
    expect(diff.changes[0].reason.length).toBeGreaterThan(0);
  });

  it('matches properties by name, not position', () => {
    const diff = diffAfter((d) => props(d).reverse());
    expect(diff.changes).toEqual([]);
    expect(diff.impact).toBe('NONE');
  });

  it('matches schema objects by name', () => {
    expect(diffAfter((d) => d.schema.reverse()).impact).toBe('NONE');
  });

  it('treats a rename as removal plus addition', () => {
    const diff = diffAfter((d) => (prop(d, 'email').name = 'mail'));
    expect(diff.changes.map((c) => [c.change, c.element, c.impact])).toEqual([
      ['removed', 'orders.email', 'MAJOR'],
      ['added', 'orders.mail', 'MINOR'],
    ]);
    expect(diff.impact).toBe('MAJOR');
  });

  it('records field, element, from and to of a change', () => {
    const [change] = diffAfter((d) => (prop(d, 'id').logicalType = 'string')).changes;
    expect(change).toEqual({
      path: 'schema[0].properties[0].logicalType',
      change: 'changed',
      field: 'logicalType',
      element: 'orders.id',
      from: 'integer',
      to: 'string',
      impact: 'MAJOR',
      reason: 'logicalType of orders.id changed from "integer" to "string"',
    });
  });

  it('diffs array items', () => {
    const from = contract({ schema: [{ name: 't', properties: [{ name: 'l', logicalType: 'array', items: { logicalType: 'string' } }] }] });
    const to = structuredClone(from) as Doc;
    to.schema[0].properties[0].items.logicalType = 'integer';
    const diff = diffContracts(normalizedContract(from), normalizedContract(to));
    expect(diff.changes).toEqual([expect.objectContaining({ path: 'schema[0].properties[0].items.logicalType', element: 't.l[]', impact: 'MAJOR' })]);
  });

  it('takes the highest impact and lists only the MAJOR changes as breaking', () => {
    const diff = diffAfter((d) => {
      d.tags = [];
      props(d).push({ name: 'n' });
      prop(d, 'email').required = true;
    });
    expect(diff.impact).toBe('MAJOR');
    expect(diff.changes).toHaveLength(3);
    expect(diff.breaking.map((c) => c.field)).toEqual(['required']);
  });

  it('ignores the version itself', () => {
    expect(diffAfter((d) => (d.version = '9.0.0')).impact).toBe('NONE');
  });
});

describe('suggestedVersion', () => {
  it.each([
    ['1.2.3', 'MAJOR', '2.0.0'],
    ['1.2.3', 'MINOR', '1.3.0'],
    ['1.2.3', 'PATCH', '1.2.4'],
    ['1.2.3', 'NONE', '1.2.3'],
    ['v1.2.3', 'MAJOR', 'v2.0.0'],
    ['1.0', 'MINOR', '1.1.0'],
    ['2', 'PATCH', '2.0.1'],
    ['1.0.0-rc.1', 'MAJOR', '1.0.0'],
    ['latest', 'MAJOR', 'latest'],
  ] as const)('%s bumped by %s → %s', (version, impact, expected) => {
    expect(suggestVersion(version, impact)).toBe(expected);
  });

  it('is computed by diffContracts from the older version', () => {
    const from = normalizedContract({ version: 'v1.4.2' });
    const to = normalizedContract({ version: 'v1.4.2', tags: ['x'] });
    expect(diffContracts(from, to).suggestedVersion).toBe('v1.4.3');
  });
});

describe('checkVersionBump', () => {
  const bump = (from: string, to: string, impact: ContractDiff['impact']) => {
    const diff: ContractDiff = {
      changes: [],
      impact,
      breaking: impact === 'MAJOR' ? [{ path: 'x', change: 'removed', impact: 'MAJOR', reason: 'x removed' }] : [],
      suggestedVersion: suggestVersion(from, impact),
    };
    return checkVersionBump({ version: from }, { version: to }, diff);
  };

  it.each([
    ['1.0.0', '2.0.0', 'MAJOR'],
    ['v1.0.0', '2.0', 'MAJOR'],
    ['0.3.0', '1.0.0', 'MAJOR'],
    ['1.0.0', '1.1.0', 'MINOR'],
    ['1.0.0', '1.0.0', 'MINOR'],
    ['1.0.0', '1.0.0', 'PATCH'],
    ['1.0.0', '1.0.0', 'NONE'],
    ['1.0.0', '3.0.0', 'PATCH'],
    ['1.0', 'v1.0.0', 'PATCH'],
    ['latest', 'latest', 'MINOR'],
  ] as const)('accepts %s → %s with a %s diff', (from, to, impact) => {
    expect(bump(from, to, impact)).toEqual({ ok: true });
  });

  it.each([
    ['1.0.0', '1.1.0', 'MAJOR', 'breaking change requires a new major version (1.0.0 → 2.0.0 or later)'],
    ['1.0.0', '1.0.0', 'MAJOR', 'new major version'],
    ['0.1.0', '0.2.0', 'MAJOR', 'new major version'],
    ['1.2.0', '1.1.0', 'MINOR', 'version 1.1.0 is lower than the current version 1.2.0'],
    ['2.0.0', '1.9.9', 'NONE', 'lower than'],
    ['1.0.0', 'next', 'MINOR', 'version "next" is not a semantic version'],
    ['latest', 'latest', 'MAJOR', 'not a semantic version'],
  ] as const)('refuses %s → %s with a %s diff', (from, to, impact, reason) => {
    const result = bump(from, to, impact);
    expect(result.ok).toBe(false);
    expect(result.reason).toContain(reason);
  });
});
