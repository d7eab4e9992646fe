import fc from 'fast-check';
import { keySlot } from '../../src/features/online/cluster-slot';
import { canonicalKeyValue, EntityKeyEncoder } from '../../src/features/online/entity-key-codec';
import { decodeValue, encodeValue, encodeVector, pickValues } from '../../src/features/online/online-value-codec';
import { viewLayout } from '../../src/features/online/view-layout';
import { col, testView } from '../contract/online-test-views';

describe('online value encoding', () => {
  it('round-trips any JSON-able value, timestamp, big integer and non-finite float through JSON text', () => {
    const jsonLike = fc.jsonValue().map((j) => JSON.parse(JSON.stringify(j)) as unknown);
    const value = fc.oneof(
      fc.constant(null),
      fc.boolean(),
      fc.double(),
      fc.integer(),
      fc.string(),
      fc.bigInt(),
      fc.date({ noInvalidDate: true }),
      // Inside JSON documents a -0 is 0 (JSON has no negative zero), so nested values are normalized.
      jsonLike.map((j) => ({ wrapped: j })),
      fc.array(jsonLike),
    );
    fc.assert(
      fc.property(fc.array(value), (values) => {
        const back = (JSON.parse(encodeVector(values)) as unknown[]).map(decodeValue);
        expect(back).toEqual(values);
        back.forEach((v, i) => expect(Object.is(v, values[i]) || typeof v === 'object').toBe(true));
      }),
    );
  });

  it('stores plain values as themselves and tags only what JSON lacks', () => {
    expect(encodeVector([1, 0.5, 'x', true, null])).toBe('[1,0.5,"x",true,null]');
    expect([new Date(0), 10n, Number.NaN, -0, { t: 1 }].map(encodeValue)).toEqual([{ t: 0 }, { b: '10' }, { f: 'NaN' }, { f: '-0' }, { j: { t: 1 } }]);
  });

  it('marks features past the stored vector as absent', () => {
    expect(pickValues([1, null], [1, 0, 2])).toEqual([null, 1, undefined]);
  });
});

describe('entity keys', () => {
  it('canonicalizes by type: JSON numbers and PostgreSQL text are the same key', () => {
    const enc = new EntityKeyEncoder([col('driver_id', 'integer')]);
    expect(enc.encode([1001])).toBe(enc.encode(['1001']));
    expect(enc.encode(['9007199254740993'])).toBe('driver_id=9007199254740993');
    expect(canonicalKeyValue('boolean', 't')).toBe(canonicalKeyValue('boolean', true));
    expect(canonicalKeyValue('timestamp', '2024-01-01T00:00:00Z')).toBe(canonicalKeyValue('timestamp', '1704067200000'));
    expect(canonicalKeyValue('integer', 1.5)).toBeNull();
    expect(canonicalKeyValue('string', null)).toBeNull();
  });

  it('is injective: distinct key tuples never share a text', () => {
    const enc = new EntityKeyEncoder([col('a', 'string'), col('b', 'string')]);
    fc.assert(
      fc.property(fc.tuple(fc.string(), fc.string()), fc.tuple(fc.string(), fc.string()), (x, y) => {
        fc.pre(x[0] !== y[0] || x[1] !== y[1]);
        expect(enc.encode(x)).not.toBe(enc.encode(y));
      }),
    );
  });

  it('never contains a brace, so the Redis hash tag is the whole entity key', () => {
    const enc = new EntityKeyEncoder([col('k', 'string')]);
    fc.assert(fc.property(fc.string(), (s) => expect(enc.encode([s])).not.toMatch(/[{}]/)));
  });
});

describe('cluster slots and layouts', () => {
  it('computes CRC16/XMODEM slots with hash tags like Redis', () => {
    expect(keySlot('123456789')).toBe(0x31c3 % 16384); // the CRC16/XMODEM check value
    expect(keySlot('a{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('{}x')).toBe(keySlot('{}x')); // empty tag: the whole key is hashed
  });

  it('gives every prefix of the feature list its own layout id', () => {
    const v = testView({ name: 'v', features: [col('a', 'number'), col('b', 'integer'), col('c', 'string')] });
    const grown = testView({ name: 'v', features: [...v.features, col('d', 'boolean')] });
    const reordered = testView({ name: 'v', features: [col('b', 'integer'), col('a', 'number'), col('c', 'string')] });
    expect(viewLayout(grown).prefixLength.get(viewLayout(v).layoutId)).toBe(3);
    expect(viewLayout(reordered).prefixLength.has(viewLayout(v).layoutId)).toBe(false);
  });
});
