import { evaluateBinary, fitLogisticRegression } from '../../../src/scoring/training/fit-logistic-regression';

/** Deterministic PRNG so the test data (and the fitted weights) never change between runs. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('logistic regression training', () => {
  it('recovers the sign and ranking of the true weights, on the raw scale, with the loss going down', () => {
    const rand = mulberry32(42);
    // Columns on very different scales, to prove standardization is folded back correctly.
    const x = Array.from({ length: 3000 }, () => [rand(), 100 * rand(), rand() * 0.01]);
    const trueW = [3, -0.04, 0];
    const y = x.map((r) => (rand() < 1 / (1 + Math.exp(-(trueW[0] * r[0] + trueW[1] * r[1] + trueW[2] * r[2] + 0.5))) ? 1 : 0));
    const fit = fitLogisticRegression(x, y, { epochs: 600 });
    expect(fit.lossHistory.at(-1)!).toBeLessThan(fit.lossHistory[0]);
    expect(fit.params.weights[0]).toBeGreaterThan(2);
    expect(fit.params.weights[1]).toBeLessThan(-0.02);
    expect(Math.abs(fit.params.bias - 0.5)).toBeLessThan(0.5);
    const m = evaluateBinary(fit.params, x, y);
    expect(m.auc).toBeGreaterThan(0.7);
    expect(m.accuracy).toBeGreaterThan(0.6);
  });

  it('computes AUC with ties averaged', () => {
    const params = { weights: [1], bias: 0 };
    expect(evaluateBinary(params, [[0], [1], [1], [2]], [0, 0, 1, 1]).auc).toBeCloseTo(0.875);
  });
});
