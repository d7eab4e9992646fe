import fc from 'fast-check';
import { binCounts, psi, quantileEdges } from '../../../src/monitoring/psi';

describe('population stability index', () => {
  it('is 0 for identical distributions and grows with the shift', () => {
    expect(psi([10, 20, 30, 40], [1, 2, 3, 4])).toBeCloseTo(0, 12);
    const small = psi([25, 25, 25, 25], [22, 26, 26, 26]);
    const large = psi([25, 25, 25, 25], [5, 15, 30, 50]);
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThan(0.1);
    expect(large).toBeGreaterThan(0.2);
  });

  it('matches the textbook value on a worked example', () => {
    // shares r = (.5,.5), c = (.25,.75): (.25-.5)ln(.5) + (.75-.5)ln(1.5)
    expect(psi([50, 50], [25, 75])).toBeCloseTo(-0.25 * Math.log(0.5) + 0.25 * Math.log(1.5), 12);
  });

  it('is non-negative and symmetric (property)', () => {
    const counts = fc.array(fc.nat(1000), { minLength: 2, maxLength: 12 });
    fc.assert(
      fc.property(counts, counts, (a, b) => {
        const n = Math.min(a.length, b.length);
        const r = a.slice(0, n);
        const c = b.slice(0, n);
        fc.pre(r.some((x) => x > 0) && c.some((x) => x > 0));
        expect(psi(r, c)).toBeGreaterThanOrEqual(-1e-12);
        expect(psi(r, c)).toBeCloseTo(psi(c, r), 9);
      }),
    );
  });

  it('cuts bins at the reference deciles and counts every value once', () => {
    const ref = Array.from({ length: 1001 }, (_, i) => i / 1000);
    const edges = quantileEdges(ref, 10);
    expect(edges).toHaveLength(9);
    expect(edges[0]).toBeCloseTo(0.1);
    expect(edges[8]).toBeCloseTo(0.9);
    const counts = binCounts(ref, edges);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1001);
    for (const c of counts) expect(Math.abs(c - 100)).toBeLessThanOrEqual(1);
    expect(quantileEdges([3, 3, 3, 3], 10)).toEqual([3]); // a constant feature: two bins
  });

  it('binning agrees with a brute-force count (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 200 }), (refRaw, values) => {
        const edges = quantileEdges(
          [...refRaw].sort((x, y) => x - y),
          5,
        );
        const counts = binCounts(values, edges);
        const brute = new Array(edges.length + 1).fill(0);
        for (const v of values) brute[edges.findIndex((e) => v <= e) === -1 ? edges.length : edges.findIndex((e) => v <= e)]++;
        expect(counts).toEqual(brute);
      }),
    );
  });
});
