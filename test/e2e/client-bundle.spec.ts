import '../support/scoring-ort-realm';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { BundleVerificationError, loadModel, ModelQuery, PredictQuery, REST_ROUTES, TesseraClient, TesseraError, verifyBundle, type LocalModel, type ModelBundle } from '../../packages/client/src/index';
import { goodModel } from '../fixtures/models/scoring-models';
import { modelDoc } from '../fixtures/models/scoring-mesh';
import { ADMIN_KEY, DAY, gqlAuth, predict, startPredictApp, upload, writeCustomers } from '../fixtures/models/scoring-predict';
import type { TestApp } from '../support/test-app';

const SPEND = 'customer_daily:spend';
const ORDERS = 'customer_daily:orders';

/**
 * Model as a dependency (issue 14 point 2): the bundle route, and packages/client over real HTTP
 * loading the bundle into onnxruntime-node in this process. The reference is the service's own
 * /predict on the same entities, answered from the same online store.
 */
describe('model bundle route and packages/client loadModel', () => {
  let t: TestApp;
  let client: TesseraClient;
  let base: string;
  const plain = goodModel(2);
  const imputing = goodModel(2, { seed: 3 });
  const imputingV2 = goodModel(2, { seed: 5 });
  const local: LocalModel[] = [];

  beforeAll(async () => {
    t = await startPredictApp('client-bundle');
    await writeCustomers(t, [
      { id: 1, ageMs: 60_000, spend: 2.5, orders: 4 },
      { id: 2, ageMs: 2 * DAY, spend: 9, orders: 9 }, // older than the view's ttl: OUTSIDE_MAX_AGE
      { id: 3, ageMs: 60_000, spend: null, orders: 2 },
      { id: 5, ageMs: 120_000, spend: 0.75, orders: 1 },
      { id: 6, ageMs: 30_000, spend: 1e6, orders: 0 },
    ]);
    await upload(t, modelDoc(), plain);
    await upload(t, modelDoc({ name: 'customer_imputed', onMissing: 'impute', defaults: { [SPEND]: 1.25, [ORDERS]: 3 } }), imputing);
    await upload(t, modelDoc({ name: 'customer_imputed', version: '1.1.0', onMissing: 'impute', defaults: { [SPEND]: 0.5, [ORDERS]: 7 } }), imputingV2);
    await upload(t, modelDoc({ name: 'never_deployed' }), plain);
    expect((await gqlAuth(t, `mutation { setModelStage(name: "customer_value", version: "1.0.0", stage: production) { stage } }`)).errors).toBeUndefined();
    expect((await gqlAuth(t, `mutation { deployModel(name: "customer_imputed", version: "1.1.0") { production } }`)).errors).toBeUndefined();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    client = new TesseraClient({ baseUrl: base, apiKey: ADMIN_KEY });
  });
  afterAll(async () => {
    await Promise.all(local.map((m) => m.release()));
    if (!t) return;
    await t.app.get<OnlineStore>(ONLINE_STORE).deleteAll();
    await t.close();
  });

  async function load(name: string, version?: string): Promise<LocalModel> {
    const m = await loadModel(client, name, version);
    local.push(m);
    return m;
  }

  it('serves a version bundle: the registered bytes with their sha256, features in order, signature and defaults', async () => {
    const b = await client.bundle('customer_imputed', '1.0.0');
    const bytes = Buffer.from(b.onnx, 'base64');
    expect(bytes.equals(Buffer.from(imputing))).toBe(true);
    expect(b.sha256).toBe(createHash('sha256').update(imputing).digest('hex'));
    expect(b).toMatchObject({
      format: 'tessera.model-bundle/v1',
      name: 'customer_imputed',
      version: '1.0.0',
      sizeBytes: imputing.byteLength,
      featureService: 'customer_value_v1',
      onMissing: 'impute',
      defaults: { [SPEND]: 1.25, [ORDERS]: 3 },
      features: [{ ref: SPEND }, { ref: ORDERS }],
    });
    expect(b.signature.inputs.map((i) => i.name)).toEqual(['features']);
    expect(b.signature.outputs.map((o) => o.name)).toEqual(['probability']);
  });

  it('without a version, bundles what predict answers with: the deployment, else the production stage', async () => {
    expect((await client.bundle('customer_imputed')).version).toBe('1.1.0');
    expect((await client.bundle('customer_value')).version).toBe('1.0.0');
    await expect(client.bundle('never_deployed')).rejects.toMatchObject({ status: 409, code: 'MODEL_NOT_DEPLOYED' });
    await expect(client.bundle('no_such_model', '1.0.0')).rejects.toMatchObject({ status: 404, code: 'MODEL_NOT_FOUND' });
    await expect(client.bundle('customer_value', '9.9.9')).rejects.toMatchObject({ status: 404, code: 'MODEL_VERSION_NOT_FOUND' });
  });

  it('is guarded like other model reads: no key, 401; a wrong key, 401', async () => {
    for (const apiKey of [undefined, 'not-a-key-0123456789']) {
      const anon = new TesseraClient({ baseUrl: base, apiKey });
      const err = await anon.bundle('customer_value', '1.0.0').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TesseraError);
      expect((err as TesseraError).status).toBe(401);
    }
  });

  it('refuses a bundle whose bytes do not match its sha256, size or format', async () => {
    const good = await client.bundle('customer_value', '1.0.0');
    const bytes = Buffer.from(good.onnx, 'base64');
    bytes[bytes.length - 1] ^= 1;
    const tampered: ModelBundle = { ...good, onnx: bytes.toString('base64') };
    await expect(verifyBundle(tampered)).rejects.toThrow(BundleVerificationError);
    await expect(verifyBundle(tampered)).rejects.toMatchObject({ field: 'sha256' });
    await expect(verifyBundle({ ...good, sizeBytes: good.sizeBytes + 1 })).rejects.toMatchObject({ field: 'sizeBytes' });
    await expect(verifyBundle({ ...good, format: 'other/v9' })).rejects.toMatchObject({ field: 'format' });
    await expect(verifyBundle(good)).resolves.toMatchObject({ bundle: { sha256: good.sha256 } });
  });

  it('loadModel scores in-process exactly as /predict does: outputs, features used, statuses and rejections', async () => {
    for (const [name, entities] of [
      ['customer_value', [1, 5, 2, 3, 4, 6]],
      ['customer_imputed', [2, 1, 3, 4, 6, 5]],
    ] as const) {
      const model = await load(name);
      const mine = await model.predict({ customer_id: [...entities] });
      const server = await predict(t, name, { entities: { customer_id: [...entities] } });
      expect(server.status).toBe(200);
      expect(mine.model).toEqual(server.body.model);
      expect(mine.outputs).toEqual(server.body.outputs);
      expect(mine.rows).toEqual(server.body.rows.map(({ role: _role, ...row }) => row));
    }
    // Something was both scored and rejected, so the comparison above covered both paths.
    const check = await predict(t, 'customer_value', { entities: { customer_id: [1, 2] } });
    expect(check.body.outputs.probability[0]).toEqual(expect.any(Number));
    expect(check.body.outputs.probability[1]).toBeNull();
  });

  it('equals /predict for any entity list (property, against the service as the reference)', async () => {
    const model = await load('customer_imputed', '1.1.0');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 12 }), async (ids) => {
        const mine = await model.predict({ customer_id: ids });
        const server = await predict(t, 'customer_imputed', { entities: { customer_id: ids } });
        expect(mine.outputs).toEqual(server.body.outputs);
        expect(mine.rows.map((r) => r.statuses)).toEqual(server.body.rows.map((r) => r.statuses));
      }),
      { numRuns: 25 },
    );
  });

  it('typed GraphQL calls: model and predict', async () => {
    const m = await client.graphql(ModelQuery, { name: 'customer_value', version: '1.0.0' });
    expect(m.model).toMatchObject({ name: 'customer_value', version: '1.0.0', stage: 'production', sha256: createHash('sha256').update(plain).digest('hex') });
    const p = await client.graphql(PredictQuery, { name: 'customer_value', input: { entities: { customer_id: [1, 5] } } });
    const local1 = await (await load('customer_value', '1.0.0')).predict({ customer_id: [1, 5] });
    expect(p.predict.outputs).toEqual(local1.outputs);
    await expect(client.graphql(ModelQuery, { name: 'no_such_model' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('every REST route the client calls is in the service /openapi.json with its method', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    for (const r of Object.values(REST_ROUTES)) expect(Object.keys(doc.paths[r.path] ?? {})).toContain(r.method);
  });
});
