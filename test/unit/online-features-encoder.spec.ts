import fc from 'fast-check';
import { encodeVector, pickRawValues, pickValues, RawJson } from '../../src/features/online/online-value-codec';
import { encodeOnlineFeatures, HAND_ENCODED_ROWS } from '../../src/features/serving/online-features-encoder';
import type { OnlineFeaturesResponse } from '../../src/features/serving/serving-request';

/** The online route's hand-written encoder (ADR 0037) writes exactly what JSON.stringify writes. */
describe('online features encoder', () => {
  it('is byte for byte JSON.stringify, for any values, names, statuses and timestamps, below and above the hand-encoded row count', () => {
    const raw = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()).map((n) => new RawJson(JSON.stringify(n)));
    const value = fc.oneof(fc.double(), fc.integer(), fc.constant(-0), fc.constant(null), fc.constant(undefined), fc.string(), fc.boolean(), fc.jsonValue({ maxDepth: 2 }), raw);
    const text = fc.oneof(fc.constantFrom('PRESENT', 'NOT_FOUND', '2024-01-01T10:00:00Z', '1970-01-01T00:00:00.123Z'), fc.string());
    const answer = fc.integer({ min: 0, max: HAND_ENCODED_ROWS + 3 }).chain((rows) =>
      fc.record({
        metadata: fc.record({ feature_names: fc.array(text, { maxLength: 4 }) }),
        results: fc.array(
          fc.record({
            values: fc.array(value, { minLength: rows, maxLength: rows }),
            statuses: fc.array(text, { minLength: rows, maxLength: rows }),
            event_timestamps: fc.array(text, { minLength: rows, maxLength: rows }),
          }),
          {
            maxLength: 5,
          },
        ),
      }),
    );
    fc.assert(
      fc.property(answer, (a) => {
        expect(encodeOnlineFeatures(a as OnlineFeaturesResponse)).toBe(JSON.stringify(a));
      }),
      { numRuns: 2000, seed: 37 },
    );
  });

  it('encodes a 1 × 2 answer (the check can fail)', () => {
    const a: OnlineFeaturesResponse = {
      metadata: { feature_names: ['driver_id', 'conv_rate'] },
      results: [
        { values: [1], statuses: ['PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z'] },
        { values: [NaN], statuses: ['NULL_VALUE'], event_timestamps: ['a"b'] },
      ],
    };
    expect(encodeOnlineFeatures(a)).toBe(
      '{"metadata":{"feature_names":["driver_id","conv_rate"]},"results":[{"values":[1],"statuses":["PRESENT"],"event_timestamps":["1970-01-01T00:00:00Z"]},{"values":[null],"statuses":["NULL_VALUE"],"event_timestamps":["a\\"b"]}]}',
    );
  });

  it('reads a stored vector as RawJson numbers that print as the very numbers pickValues parses', () => {
    const stored = fc.oneof(fc.double(), fc.integer(), fc.constant(null), fc.boolean(), fc.string({ maxLength: 3 }), fc.date({ noInvalidDate: true }), fc.bigInt());
    fc.assert(
      fc.property(fc.array(stored, { maxLength: 8 }), fc.array(fc.nat(10), { maxLength: 6 }), (values, indexes) => {
        const text = encodeVector(values);
        const parsed = pickValues(JSON.parse(text) as unknown[], indexes);
        const raw = pickRawValues(text, indexes);
        expect(raw.map((v) => (v instanceof RawJson ? v.toJSON() : v))).toEqual(parsed);
        raw.forEach((v, i) => {
          if (v instanceof RawJson) expect(v.text).toBe(JSON.stringify(parsed[i]));
        });
      }),
      { numRuns: 2000, seed: 38 },
    );
    expect(pickRawValues('[1.5,null,true]', [0, 1, 2, 3])).toEqual([new RawJson('1.5'), null, true, undefined]);
  });
});
