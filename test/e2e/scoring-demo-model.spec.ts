import '../support/scoring-ort-realm';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { parse } from 'yaml';
import { readContractDirectory } from '../../src/catalog/apply/read-contract-directory';
import { uploadModel } from '../fixtures/models/scoring-upload';
import { startTestApp, TestApp } from '../support/test-app';

/** The demo model `npm run demo:train` committed under contracts/risk/models registers against the example mesh. */
describe('demo model (contracts/risk/models)', () => {
  let t: TestApp;
  const dir = resolve(process.cwd(), 'contracts/risk/models');
  const doc = parse(readFileSync(resolve(dir, 'driver_risk-1.0.0.yaml'), 'utf8')) as Record<string, unknown>;
  const bytes = readFileSync(resolve(dir, doc.file as string));
  beforeAll(async () => {
    t = await startTestApp();
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: readContractDirectory('contracts') } });
    expect(res.statusCode).toBe(200);
    // The Model document and its .onnx come with the directory: the apply registers the version.
    expect(res.json().changes).toEqual(expect.arrayContaining([{ file: 'contracts/risk/models/driver_risk-1.0.0.yaml', kind: 'ModelVersion', id: 'driver_risk', version: '1.0.0', action: 'created' }]));
  });
  afterAll(() => t.close());

  it('fits driver_risk_v1 and registers (the document as written, file included, is the same registration on upload)', async () => {
    const r = await uploadModel(t, readFileSync(resolve(dir, 'driver_risk-1.0.0.yaml'), 'utf8'), bytes);
    expect(r.status).toBe(200);
    expect(r.body.action).toBe('unchanged');
    expect(r.body.model!.sourceFile).toBe('contracts/risk/models/driver_risk-1.0.0.yaml');
    expect(r.body.model).toMatchObject({ name: 'driver_risk', version: '1.0.0', onMissing: 'impute', inputs: [{ name: 'features', type: 'float32', shape: ['N', 6] }] });
    const features = r.body.model!.features as { ref: string; type: string | null }[];
    expect(features.map((f) => f.ref)).toEqual([
      'driver_hourly_stats:conv_rate',
      'driver_hourly_stats:acc_rate',
      'driver_hourly_stats:avg_daily_trips',
      'driver_daily_payments:declined_rate',
      'driver_daily_payments:refund_rate',
      'driver_daily_payments:chargeback_count',
    ]);
    // Typed once the offline store records the source tables; unchecked (null) before that.
    for (const f of features) expect([null, 'number', 'integer']).toContain(f.type);
  });

  it('scores in onnxruntime: a risky profile above a clean one', async () => {
    const session = await InferenceSession.create(bytes);
    const clean = [0.9, 0.95, 20, 0.01, 0.0, 0];
    const risky = [0.3, 0.4, 20, 0.45, 0.25, 4];
    const out = await session.run({ features: new Tensor('float32', Float32Array.from([...clean, ...risky]), [2, 6]) });
    const [pClean, pRisky] = out.probability.data as Float32Array;
    await session.release();
    expect(pClean).toBeLessThan(0.5);
    expect(pRisky).toBeGreaterThan(0.5);
  });
});
