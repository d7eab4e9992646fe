import '../../support/scoring-ort-realm';
import { BUCKETS, entityBucket, inCanary } from '../../../src/scoring/deployments/canary-hash';
import { assembleFeatures, OnlineColumns } from '../../../src/scoring/prediction/feature-assembly';
import { concatBlocks } from '../../../src/scoring/prediction/feed-block';
import { buildLogisticRegressionOnnx } from '../../../src/scoring/onnx/logistic-regression-onnx';
import { ModelRunner } from '../../../src/scoring/prediction/model-runner';
import { checkRequestColumn, requestBlock } from '../../../src/scoring/prediction/request-features';
import type { ModelVersionView } from '../../../src/scoring/registry/model-version';

describe('canary hashing', () => {
  it('is stable, ignores key order and the number/text spelling of a key, and spreads keys evenly', () => {
    expect(entityBucket('m', [['driver_id', 1001]])).toBe(entityBucket('m', [['driver_id', '1001']]));
    expect(
      entityBucket('m', [
        ['a', 1],
        ['b', 2],
      ]),
    ).toBe(
      entityBucket('m', [
        ['b', 2],
        ['a', 1],
      ]),
    );
    expect(
      entityBucket('m', [
        ['a', 1],
        ['b', 2],
      ]),
    ).not.toBe(
      entityBucket('m', [
        ['a', 2],
        ['b', 1],
      ]),
    );
    const buckets = Array.from({ length: 20_000 }, (_, i) => entityBucket('driver_risk', [['driver_id', i]]));
    expect(buckets.every((b) => Number.isInteger(b) && b >= 0 && b < BUCKETS)).toBe(true);
    // Ten equal ranges of buckets: each within 5 sd of 2000 (sd = sqrt(20000 * 0.1 * 0.9) ~ 42).
    const deciles = Array.from({ length: 10 }, (_, d) => buckets.filter((b) => Math.floor(b / 1000) === d).length);
    for (const n of deciles) expect(Math.abs(n - 2000)).toBeLessThan(212);
  });

  it('salts by model, so two models pick different canary entities', () => {
    const a = Array.from({ length: 1000 }, (_, i) => inCanary(entityBucket('a', [['id', i]]), 10));
    const b = Array.from({ length: 1000 }, (_, i) => inCanary(entityBucket('b', [['id', i]]), 10));
    const both = a.filter((x, i) => x && b[i]).length;
    expect(both).toBeLessThan(30); // ~10 expected by independence, 100 if identical
  });

  it('takes percentages with two decimals; 0 and 100 are none and all', () => {
    expect(inCanary(0, 0)).toBe(false);
    expect(inCanary(BUCKETS - 1, 100)).toBe(true);
    expect(inCanary(24, 0.25)).toBe(true);
    expect(inCanary(25, 0.25)).toBe(false);
  });
});

const model = (over: Partial<ModelVersionView> = {}): ModelVersionView =>
  ({
    name: 'm',
    version: '1.0.0',
    features: [
      { ref: 'v:a', type: 'number' },
      { ref: 'v:b', type: 'integer' },
    ],
    onMissing: 'reject',
    defaults: {},
    requestInputs: [],
    ...over,
  }) as ModelVersionView;

const online = (a: [unknown, string][], b: [unknown, string][]): OnlineColumns => {
  const col = (c: [unknown, string][]) => ({ values: c.map((x) => x[0]), statuses: c.map((x) => x[1]) as never });
  const cols = new Map([
    ['v:a', col(a)],
    ['v:b', col(b)],
  ]);
  return { get: (ref) => cols.get(ref) };
};

describe('feature assembly', () => {
  const cols = online(
    [
      [1.5, 'PRESENT'],
      [null, 'NOT_FOUND'],
      [true, 'PRESENT'],
      ['12', 'PRESENT'],
    ],
    [
      [2, 'PRESENT'],
      [3, 'PRESENT'],
      [null, 'OUTSIDE_MAX_AGE'],
      ['x', 'PRESENT'],
    ],
  );

  it('packs accepted rows in model order and rejects the others with feature and status', () => {
    const r = assembleFeatures(model(), cols, [0, 1, 2, 3]);
    expect(r.accepted).toEqual([0]);
    expect(Array.from(r.tensor)).toEqual([1.5, 2]);
    expect(r.rows.map((x) => x.rejected)).toEqual([undefined, 'v:a NOT_FOUND', 'v:b OUTSIDE_MAX_AGE', 'v:b NOT_NUMERIC']);
  });

  it('imputes declared defaults, and rejects when a default is missing', () => {
    const r = assembleFeatures(model({ onMissing: 'impute', defaults: { 'v:a': 7 } }), cols, [1, 2, 0]);
    expect(r.accepted).toEqual([1, 0]);
    expect(Array.from(r.tensor)).toEqual([7, 3, 1.5, 2]);
    expect(r.rows[0]).toEqual({ features: { 'v:a': 7, 'v:b': 3 }, statuses: { 'v:a': 'IMPUTED', 'v:b': 'PRESENT' } });
    expect(r.rows[1].rejected).toBe('v:b OUTSIDE_MAX_AGE (no default)');
  });
});

describe('request features and feed blocks', () => {
  const decl = { name: 'x', type: 'int64', shape: ['N', 2] as (string | number)[] };

  it('names the row and reason of each bad entry', () => {
    expect(checkRequestColumn(decl, [[1, 2], [3]], 2)).toEqual([{ field: 'request_features.x[1]', reason: 'has 1 values; x is int64 of shape [N, 2], 2 per row' }]);
    expect(checkRequestColumn(decl, [[1, 2.5]], 1)[0].reason).toMatch(/must be an integer/);
    expect(checkRequestColumn(decl, [[1, '99999999999999999999']], 1)[0].reason).toMatch(/within int64/);
    expect(checkRequestColumn(decl, 'nope', 1)[0].reason).toMatch(/must be an array/);
    expect(checkRequestColumn(decl, [[1, '9007199254740993']], 1)).toEqual([]);
  });

  it('builds tensors for chosen rows and concatenates blocks along the batch dimension', () => {
    const b = requestBlock(
      decl,
      [
        [1, 2],
        [3, 4],
        [5, '9007199254740993'],
      ],
      [0, 2],
    );
    expect(b.dims).toEqual([2, 2]);
    expect(Array.from(b.data as BigInt64Array)).toEqual([1n, 2n, 5n, 9007199254740993n]);
    const c = concatBlocks([
      { type: 'float32', data: Float32Array.from([1, 2]), dims: [1, 2] },
      { type: 'float32', data: Float32Array.from([3, 4, 5, 6]), dims: [2, 2] },
    ]);
    expect(c.dims).toEqual([3, 2]);
    expect(Array.from(c.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('model runner micro-batching', () => {
  it('coalesces requests arriving while a run is in flight into one run, each getting its own rows', async () => {
    const { InferenceSession } = await import('onnxruntime-node');
    const session = await InferenceSession.create(buildLogisticRegressionOnnx({ featureCount: 2, weights: [0.5, -0.25], bias: 0.1 }));
    const feed = (rows: number[][]) => ({ features: { type: 'float32' as const, data: Float32Array.from(rows.flat()), dims: [rows.length, 2] } });
    const inputs = [
      [[1, 2]],
      [
        [3, 4],
        [5, 6],
      ],
      [[7, 8]],
      [[0, 1]],
    ];
    const alone = new ModelRunner(session, false);
    const expected = await Promise.all(inputs.map((r) => alone.run(feed(r), r.length)));
    expect(alone.stats.runs).toBe(4);
    const batched = new ModelRunner(session, true);
    const got = await Promise.all(inputs.map((r) => batched.run(feed(r), r.length)));
    expect(got).toEqual(expected);
    // The first runs alone at once; the three that arrived while it was in flight share one run.
    expect(batched.stats).toEqual({ runs: 2, rows: 5 });
    await session.release();
  });
});
