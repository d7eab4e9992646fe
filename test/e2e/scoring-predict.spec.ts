import '../support/scoring-ort-realm';
import { Tensor } from 'onnxruntime-node';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { ModelSessionCache } from '../../src/scoring/prediction/model-session.cache';
import { goodModel } from '../fixtures/models/scoring-models';
import { modelDoc } from '../fixtures/models/scoring-mesh';
import { DAY, directRun, features, gqlAuth, predict, startPredictApp, upload, writeCustomers } from '../fixtures/models/scoring-predict';
import type { TestApp } from '../support/test-app';

const SPEND = 'customer_daily:spend';
const ORDERS = 'customer_daily:orders';

describe('prediction: POST /v1/models/{name}/predict and GraphQL predict', () => {
  let t: TestApp;
  const plain = goodModel(2);
  const imputing = goodModel(2, { seed: 3 });
  const withInputs = goodModel(2, {
    seed: 2,
    requestInputs: [
      { name: 'basket_size', type: 'int64', width: 1 },
      { name: 'promo', type: 'float32', width: 2 },
    ],
  });

  beforeAll(async () => {
    // Micro-batching on here (default off, ADR 0011): the last test proves coalescing keeps every answer.
    t = await startPredictApp('scoring-predict', { TESSERA_PREDICT_MICROBATCH: 'on' });
    await writeCustomers(t, [
      { id: 1, ageMs: 60_000, spend: 2.5, orders: 4 },
      { id: 2, ageMs: 2 * DAY, spend: 9, orders: 9 }, // older than the view's 1 day ttl
      { id: 3, ageMs: 60_000, spend: null, orders: 2 },
      { id: 5, ageMs: 120_000, spend: 0.75, orders: 1 },
    ]);
    await upload(t, modelDoc(), plain);
    await upload(t, modelDoc({ name: 'customer_imputed', onMissing: 'impute', defaults: { [SPEND]: 1.25, [ORDERS]: 3 } }), imputing);
    await upload(
      t,
      modelDoc({
        name: 'customer_basket',
        requestInputs: [
          { name: 'basket_size', type: 'int64', shape: ['N', 1] },
          { name: 'promo', type: 'float32', shape: ['N', 2] },
        ],
      }),
      withInputs,
    );
    await upload(t, modelDoc({ name: 'never_deployed' }), plain);
    // customer_value answers through its production stage (no deployment), the others through deployModel.
    expect((await gqlAuth(t, `mutation { setModelStage(name: "customer_value", version: "1.0.0", stage: production) { stage } }`)).errors).toBeUndefined();
    for (const name of ['customer_imputed', 'customer_basket']) {
      expect((await gqlAuth(t, `mutation($n: String!) { deployModel(name: $n, version: "1.0.0") { production } }`, { n: name })).errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    if (!t) return;
    await t.app.get<OnlineStore>(ONLINE_STORE).deleteAll();
    await t.close();
  });

  it('equals a direct onnxruntime-node run on the same tensor, with the features and statuses used', async () => {
    const r = await predict(t, 'customer_value', { entities: { customer_id: [1, 5] } });
    expect(r.status).toBe(200);
    const expected = await directRun(plain, {
      features: features([
        [2.5, 4],
        [0.75, 1],
      ]),
    });
    expect(r.body.model).toEqual({ name: 'customer_value', version: '1.0.0' });
    expect(r.body.outputs).toEqual({ probability: expected });
    expect(r.body.rows).toEqual([
      { version: '1.0.0', role: 'production', features: { [SPEND]: 2.5, [ORDERS]: 4 }, statuses: { [SPEND]: 'PRESENT', [ORDERS]: 'PRESENT' } },
      { version: '1.0.0', role: 'production', features: { [SPEND]: 0.75, [ORDERS]: 1 }, statuses: { [SPEND]: 'PRESENT', [ORDERS]: 'PRESENT' } },
    ]);
    expect(r.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects rows with missing or stale features (onMissing: reject), naming feature and status, and scores the rest', async () => {
    const r = await predict(t, 'customer_value', { entities: { customer_id: [2, 1, 3, 4] } });
    expect(r.status).toBe(200);
    const [p1] = await directRun(plain, { features: features([[2.5, 4]]) });
    expect(r.body.outputs.probability).toEqual([null, p1, null, null]);
    expect(r.body.rows.map((row) => row.rejected)).toEqual([`${SPEND} OUTSIDE_MAX_AGE, ${ORDERS} OUTSIDE_MAX_AGE`, undefined, `${SPEND} NULL_VALUE`, `${SPEND} NOT_FOUND, ${ORDERS} NOT_FOUND`]);
    expect(r.body.rows[0].statuses).toEqual({ [SPEND]: 'OUTSIDE_MAX_AGE', [ORDERS]: 'OUTSIDE_MAX_AGE' });
    expect(r.body.rows[2]).toMatchObject({ features: { [SPEND]: null, [ORDERS]: 2 }, statuses: { [SPEND]: 'NULL_VALUE', [ORDERS]: 'PRESENT' } });
  });

  it('imputes the declared defaults (onMissing: impute), reported IMPUTED, and scores every row', async () => {
    const r = await predict(t, 'customer_imputed', { entities: { customer_id: [2, 1, 3, 4] } });
    expect(r.status).toBe(200);
    const expected = await directRun(imputing, {
      features: features([
        [1.25, 3],
        [2.5, 4],
        [1.25, 2],
        [1.25, 3],
      ]),
    });
    expect(r.body.outputs.probability).toEqual(expected);
    expect(r.body.rows.every((row) => row.rejected === undefined)).toBe(true);
    expect(r.body.rows[0]).toMatchObject({ features: { [SPEND]: 1.25, [ORDERS]: 3 }, statuses: { [SPEND]: 'IMPUTED', [ORDERS]: 'IMPUTED' } });
    expect(r.body.rows[2].statuses).toEqual({ [SPEND]: 'IMPUTED', [ORDERS]: 'PRESENT' });
    expect(r.body.rows[3].statuses).toEqual({ [SPEND]: 'IMPUTED', [ORDERS]: 'IMPUTED' });
  });

  it('feeds request features as their own tensors (int64 and float32 [N, 2]) like a direct run', async () => {
    const r = await predict(t, 'customer_basket', {
      entities: { customer_id: [5, 1] },
      request_features: {
        basket_size: [3, '12'],
        promo: [
          [0.5, 1],
          [0, 0.25],
        ],
      },
    });
    expect(r.status).toBe(200);
    const expected = await directRun(withInputs, {
      features: features([
        [0.75, 1],
        [2.5, 4],
      ]),
      basket_size: new Tensor('int64', BigInt64Array.from([3n, 12n]), [2, 1]),
      promo: new Tensor('float32', Float32Array.from([0.5, 1, 0, 0.25]), [2, 2]),
    });
    expect(r.body.outputs.probability).toEqual(expected);
    // Rejected rows are left out of every tensor, request inputs included.
    const mixed = await predict(t, 'customer_basket', {
      entities: { customer_id: [4, 1] },
      request_features: {
        basket_size: [99, 12],
        promo: [
          [9, 9],
          [0, 0.25],
        ],
      },
    });
    expect(mixed.body.outputs.probability).toEqual([null, expected[1]]);
  });

  it('refuses wrong request features with a typed error naming each field', async () => {
    const cases: [unknown, { field: string; reason: RegExp }][] = [
      [{ basket_size: [3] }, { field: 'request_features.promo', reason: /missing: customer_basket 1\.0\.0 takes promo \(float32 \[N, 2\]\)/ }],
      [
        { basket_size: [3, 4], promo: [[1, 2]] },
        { field: 'request_features.basket_size', reason: /has 2 entries; the request has 1 entity rows/ },
      ],
      [
        { basket_size: [3.5], promo: [[1, 2]] },
        { field: 'request_features.basket_size[0]', reason: /must be an integer .*int64/ },
      ],
      [
        { basket_size: [3], promo: [[1, 2, 3]] },
        { field: 'request_features.promo[0]', reason: /has 3 values; promo is float32 of shape \[N, 2\], 2 per row/ },
      ],
      [
        { basket_size: [3], promo: [['a', 2]] },
        { field: 'request_features.promo[0]', reason: /must be a finite number/ },
      ],
      [
        { basket_size: [3], promo: [[1, 2]], coupon: ['x'] },
        { field: 'request_features.coupon', reason: /not a request input of model customer_basket \(basket_size, promo\)/ },
      ],
    ];
    for (const [requestFeatures, problem] of cases) {
      const r = await predict(t, 'customer_basket', { entities: { customer_id: [1] }, request_features: requestFeatures });
      expect(r.status).toBe(400);
      expect(r.body.error!.code).toBe('INVALID_PREDICT_REQUEST');
      expect(r.body.error!.details).toEqual([{ field: problem.field, reason: expect.stringMatching(problem.reason) }]);
    }
  });

  it('refuses bad entity columns, unknown models and models with nothing deployed', async () => {
    const bad = async (body: unknown) => (await predict(t, 'customer_value', body)).body.error;
    expect(await bad({ entities: { driver_id: [1] } })).toMatchObject({
      code: 'INVALID_PREDICT_REQUEST',
      details: [
        { field: 'entities.customer_id', reason: 'missing: model customer_value needs join key customer_id' },
        { field: 'entities.driver_id', reason: "not a join key of model customer_value's feature views (customer_id)" },
      ],
    });
    expect((await bad({ entities: { customer_id: [] } }))!.details).toEqual([{ field: 'entities', reason: expect.stringMatching(/no entity rows/) }]);
    expect((await bad({ entities: { customer_id: [{ id: 1 }] } }))!.details).toEqual([{ field: 'entities.customer_id[0]', reason: expect.stringMatching(/numbers or strings/) }]);
    expect((await bad({ rows: [] }))!.code).toBe('BAD_REQUEST');
    const unknown = await predict(t, 'nope', { entities: { customer_id: [1] } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error!.code).toBe('MODEL_NOT_FOUND');
    const idle = await predict(t, 'never_deployed', { entities: { customer_id: [1] } });
    expect(idle.status).toBe(409);
    expect(idle.body.error).toMatchObject({ code: 'MODEL_NOT_DEPLOYED', message: expect.stringMatching(/no deployment and no production version/) });
  });

  it('answers the same over GraphQL', async () => {
    const rest = await predict(t, 'customer_value', { entities: { customer_id: [1, 3] } });
    const res = await gqlAuth<{ predict: Record<string, unknown> }>(
      t,
      `query($input: PredictInput!) { predict(name: "customer_value", input: $input) { model { name version } outputs rows { version role features statuses rejected } } }`,
      { input: { entities: { customer_id: [1, 3] } } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.predict).toEqual({
      model: rest.body.model,
      outputs: rest.body.outputs,
      rows: rest.body.rows.map((r) => ({ rejected: null, ...r })),
    });
    const wrong = await gqlAuth(t, `query { predict(name: "customer_basket", input: { entities: { customer_id: [1] } }) { model { version } } }`);
    expect(wrong.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', tesseraCode: 'INVALID_PREDICT_REQUEST' });
  });

  it('micro-batches concurrent single-row requests into fewer session runs, each answer unchanged', async () => {
    const ids = [1, 5, 1, 5, 1, 5, 1, 5, 1, 5, 1, 5, 1, 5, 1, 5, 1, 5, 1, 5];
    const [p1, p5] = await directRun(plain, {
      features: features([
        [2.5, 4],
        [0.75, 1],
      ]),
    });
    const runner = (await t.app.get(ModelSessionCache).loaded()).get('customer_value@1.0.0')!;
    const before = { ...runner.stats };
    const answers = await Promise.all(ids.map((id) => predict(t, 'customer_value', { entities: { customer_id: [id] } })));
    expect(answers.map((a) => a.body.outputs.probability[0])).toEqual(ids.map((id) => (id === 1 ? p1 : p5)));
    expect(runner.stats.rows - before.rows).toBe(ids.length);
    expect(runner.stats.runs - before.runs).toBeLessThan(ids.length);
  });
});
