import fc from 'fast-check';
import { diffContracts } from '../../../src/catalog/contracts/documents/contract-diff';
import type { NormalizedContract } from '../../../src/catalog/contracts/documents/normalized-types';
import { validateDocuments } from '../../../src/catalog/contracts/documents/validate-documents';

const LOGICAL_TYPES = ['string', 'date', 'timestamp', 'time', 'number', 'integer', 'object', 'array', 'boolean'] as const;
// At most 9 characters, so names made up by the tests (longer) never collide with generated ones.
const identifier = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);

const propertyArb = fc.record(
  {
    logicalType: fc.constantFrom(...LOGICAL_TYPES),
    required: fc.boolean(),
    unique: fc.boolean(),
    primaryKey: fc.boolean(),
    classification: fc.constantFrom('public', 'restricted', 'confidential'),
    description: fc.string({ maxLength: 20 }),
    tags: fc.array(identifier, { maxLength: 3 }),
  },
  { requiredKeys: ['logicalType'] },
);

const objectArb = fc
  .uniqueArray(fc.tuple(identifier, propertyArb), { minLength: 1, maxLength: 6, selector: ([name]) => name })
  .map((props) => props.map(([name, p]) => ({ name, ...p })));

const contractArb = fc
  .uniqueArray(fc.tuple(identifier, objectArb), { minLength: 1, maxLength: 3, selector: ([name]) => name })
  .map((objects) => ({
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'c',
    version: '1.0.0',
    status: 'active',
    schema: objects.map(([name, properties]) => ({ name, properties })),
  }));

function normalize(body: Record<string, unknown>): NormalizedContract {
  const { documents, issues } = validateDocuments([{ file: 'p.yaml', docIndex: 0, kind: 'DataContract', body }]);
  if (issues.some((i) => i.severity === 'error') || documents[0]?.kind !== 'DataContract') {
    throw new Error(`generated an invalid contract: ${JSON.stringify(issues)}`);
  }
  return documents[0].value;
}

type Body = typeof contractArb extends fc.Arbitrary<infer T> ? T : never;

describe('diffContracts properties', () => {
  it('diff(x, x) has no changes and impact NONE', () => {
    fc.assert(
      fc.property(contractArb, (body) => {
        const c = normalize(body);
        const diff = diffContracts(c, normalize(structuredClone(body)));
        expect(diff.changes).toEqual([]);
        expect(diff.impact).toBe('NONE');
        expect(diff.suggestedVersion).toBe('1.0.0');
      }),
    );
  });

  it('adding a property is never MAJOR', () => {
    fc.assert(
      fc.property(contractArb, fc.nat(), propertyArb, (body: Body, pick, extra) => {
        const to = structuredClone(body);
        const target = to.schema[pick % to.schema.length];
        target.properties.push({ name: `added_property_${target.properties.length}`, ...extra });
        const diff = diffContracts(normalize(body), normalize(to));
        expect(diff.impact).toBe('MINOR');
        expect(diff.breaking).toEqual([]);
        expect(diff.changes).toEqual([expect.objectContaining({ change: 'added', impact: 'MINOR' })]);
      }),
    );
  });

  it('removing a property is always MAJOR', () => {
    fc.assert(
      fc.property(contractArb, fc.nat(), fc.nat(), (body: Body, pickObject, pickProp) => {
        const to = structuredClone(body);
        const target = to.schema[pickObject % to.schema.length];
        const [removed] = target.properties.splice(pickProp % target.properties.length, 1);
        const diff = diffContracts(normalize(body), normalize(to));
        expect(diff.impact).toBe('MAJOR');
        expect(diff.breaking).toEqual([
          expect.objectContaining({ change: 'removed', element: `${target.name}.${removed.name}`, impact: 'MAJOR' }),
        ]);
      }),
    );
  });

  it('is order-insensitive for objects and properties', () => {
    fc.assert(
      fc.property(contractArb, (body: Body) => {
        const to = structuredClone(body);
        to.schema.reverse();
        to.schema.forEach((o) => o.properties.reverse());
        expect(diffContracts(normalize(body), normalize(to)).impact).toBe('NONE');
      }),
    );
  });
});
