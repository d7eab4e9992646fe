import '../../support/scoring-ort-realm';
import fc from 'fast-check';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { predictProbability, toFloat32Params } from '../../../src/scoring/onnx/logistic-regression';
import { buildLogisticRegressionOnnx } from '../../../src/scoring/onnx/logistic-regression-onnx';
import { readOnnxSignature } from '../../../src/scoring/onnx/onnx-signature';

const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

async function run(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<Float32Array> {
  const session = await InferenceSession.create(bytes);
  try {
    const out = await session.run(feeds);
    expect(out.probability.dims).toEqual([feeds.features.dims[0], 1]);
    return out.probability.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('ONNX writer: logistic regression', () => {
  it('scores like the TypeScript computation on random weights and rows (float32 tolerance)', async () => {
    const problem = fc.record({ f: fc.integer({ min: 1, max: 8 }), n: fc.integer({ min: 1, max: 16 }) }).chain(({ f, n }) =>
      fc.record({
        weights: fc.array(finite(-3, 3), { minLength: f, maxLength: f }),
        bias: finite(-2, 2),
        rows: fc.array(fc.array(finite(-5, 5), { minLength: f, maxLength: f }), { minLength: n, maxLength: n }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(problem, async ({ weights, bias, rows }) => {
        const f = weights.length;
        const bytes = buildLogisticRegressionOnnx({ featureCount: f, weights, bias });
        const flat = Float32Array.from(rows.flat());
        const got = await run(bytes, { features: new Tensor('float32', flat, [rows.length, f]) });
        // ORT computes in float32 on the float32 weights; the reference does the same maths in float64.
        const params = toFloat32Params({ weights, bias });
        rows.forEach((_, r) => expect(Math.abs(got[r] - predictProbability(params, flat.subarray(r * f, (r + 1) * f)))).toBeLessThan(1e-5));
      }),
      { numRuns: 40 },
    );
  });

  it('concatenates request-time inputs after the features, casting non-float32 ones in the graph', async () => {
    const params = { weights: [0.5, -1.25, 0.75, 2, -0.5], bias: 0.1 };
    const bytes = buildLogisticRegressionOnnx({
      featureCount: 2,
      ...params,
      requestInputs: [
        { name: 'trip_km', type: 'float32', width: 1 },
        { name: 'hour_flags', type: 'int64', width: 2 },
      ],
    });
    const features = [0.3, 1.5, -2, 0.25];
    const trip = [12.5, 3];
    const flags = [1n, 0n, 0n, 1n];
    const got = await run(bytes, {
      features: new Tensor('float32', Float32Array.from(features), [2, 2]),
      trip_km: new Tensor('float32', Float32Array.from(trip), [2, 1]),
      hour_flags: new Tensor('int64', BigInt64Array.from(flags), [2, 2]),
    });
    const rows = [
      [features[0], features[1], trip[0], 1, 0],
      [features[2], features[3], trip[1], 0, 1],
    ];
    rows.forEach((row, r) => expect(got[r]).toBeCloseTo(predictProbability(toFloat32Params(params), Float32Array.from(row)), 5));
  });

  it('declares features [N, F] float32 with a symbolic batch and probability [N, 1]', async () => {
    const bytes = buildLogisticRegressionOnnx({ featureCount: 6, weights: [1, 2, 3, 4, 5, 6, 7], bias: 0, requestInputs: [{ name: 'age', type: 'int32', width: 1 }] });
    expect(await readOnnxSignature(bytes)).toEqual({
      inputs: [
        { name: 'features', type: 'float32', shape: ['N', 6] },
        { name: 'age', type: 'int32', shape: ['N', 1] },
      ],
      outputs: [{ name: 'probability', type: 'float32', shape: ['N', 1] }],
    });
  });

  it('refuses weights that do not match the input columns', () => {
    expect(() => buildLogisticRegressionOnnx({ featureCount: 3, weights: [1, 2], bias: 0 })).toThrow('2 weights for 3 input columns');
  });
});
