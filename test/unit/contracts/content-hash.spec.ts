import fc from 'fast-check';
import { parse } from 'yaml';
import { canonicalJson, contentHash } from '../../../src/catalog/contracts/documents/content-hash';

describe('contentHash', () => {
  it('is a sha256 hex digest', () => {
    expect(contentHash({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores key order at every depth', () => {
    const a = { kind: 'Entity', spec: { b: [1, { y: 2, x: 1 }], a: null } };
    const b = { spec: { a: null, b: [1, { x: 1, y: 2 }] }, kind: 'Entity' };
    expect(contentHash(a)).toBe(contentHash(b));
  });

  it('ignores YAML formatting, quoting and comments', () => {
    const a = parse('name: driver\njoinKeys: [{name: driver_id, type: integer}]\n');
    const b = parse('# entity\njoinKeys:\n  - type: "integer"\n    name: driver_id\nname: \'driver\'\n');
    expect(contentHash(a)).toBe(contentHash(b));
  });

  it('distinguishes array order, values and types', () => {
    expect(contentHash([1, 2])).not.toBe(contentHash([2, 1]));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: '1' }));
    expect(contentHash({ a: null })).not.toBe(contentHash({}));
  });

  it('drops undefined members like JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('refuses cycles instead of looping', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => contentHash(a)).toThrow(/cycle/);
  });

  it('is stable under any key permutation (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(contentHash(reversed)).toBe(contentHash(obj));
      }),
    );
  });

  it('matches plain JSON for canonical inputs', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
