import { ElemType } from '../../src/scoring/onnx/onnx-graph';
import { sha256Hex } from '../../src/scoring/registry/model-blob.store';
import { goodModel, wrongModel } from '../fixtures/models/scoring-models';
import { modelDoc, recordOfflineTable, scoringMeshFiles } from '../fixtures/models/scoring-mesh';
import { registryCounts, uploadModel } from '../fixtures/models/scoring-upload';
import { startTestApp, TestApp } from '../support/test-app';

describe('model registry: registration over POST /v1/models', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TESSERA_MODEL_MAX_BYTES: '4096' });
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: scoringMeshFiles() } });
    expect(res.statusCode).toBe(200);
    await recordOfflineTable(t.dataSource);
  });
  afterAll(() => t.close());

  it('registers a model that fits its feature service, bytes stored under their sha256', async () => {
    const bytes = goodModel(2);
    const r = await uploadModel(t, modelDoc(), bytes);
    expect(r.status).toBe(201);
    expect(r.body.action).toBe('created');
    expect(r.body.warnings).toEqual([]);
    expect(r.body.model).toMatchObject({
      name: 'customer_value',
      version: '1.0.0',
      sha256: sha256Hex(bytes),
      sizeBytes: bytes.byteLength,
      featureService: 'customer_value_v1',
      features: [
        { ref: 'customer_daily:spend', type: 'number' },
        { ref: 'customer_daily:orders', type: 'integer' },
      ],
      inputs: [{ name: 'features', type: 'float32', shape: ['N', 2] }],
      outputs: [{ name: 'probability', type: 'float32', shape: ['N', 1] }],
      requestInputs: [],
      onMissing: 'reject',
      stage: 'staging',
      owner: 'shop-ml',
      registeredBy: 'admin',
      modelCard: { intendedUse: 'Prioritise retention offers.', metrics: { auc: 0.71 }, trainingDatasetId: 'ts-test-1' },
    });
    const [blob] = await t.dataSource.query(`SELECT storage, size, bytes FROM tessera.model_blobs WHERE sha256 = $1`, [sha256Hex(bytes)]);
    expect(blob.storage).toBe('postgres');
    expect(Buffer.compare(blob.bytes, Buffer.from(bytes))).toBe(0);
    const get = await t.app.inject({ method: 'GET', url: '/v1/models/customer_value/versions/1.0.0' });
    expect(get.json()).toMatchObject({ name: 'customer_value', version: '1.0.0', sha256: sha256Hex(bytes) });
  });

  it('treats an identical re-registration as a no-op', async () => {
    const before = await registryCounts(t);
    const r = await uploadModel(t, modelDoc({ version: 'v1.0.0' }), goodModel(2));
    expect(r.status).toBe(200);
    expect(r.body.action).toBe('unchanged');
    expect(await registryCounts(t)).toEqual(before);
  });

  it('refuses other bytes or other metadata under a registered version (409), naming what differs', async () => {
    const before = await registryCounts(t);
    const bytes = await uploadModel(t, modelDoc(), goodModel(2, { seed: 2 }));
    expect(bytes.status).toBe(409);
    expect(bytes.body.error).toMatchObject({ code: 'MODEL_VERSION_CONFLICT', details: [{ field: 'file', reason: expect.stringMatching(/^registered bytes have sha256 [0-9a-f]{64}; these have [0-9a-f]{64}$/) }] });
    expect(bytes.body.error!.message).toMatch(/a version is immutable: register a new version \(e\.g\. 1\.0\.1\)/);
    const meta = await uploadModel(t, modelDoc({ modelCard: { intendedUse: 'Something else.' } }), goodModel(2));
    expect(meta.status).toBe(409);
    expect(meta.body.error!.details).toEqual([{ field: 'metadata.modelCard', reason: 'differs from the registered version' }]);
    expect(await registryCounts(t)).toEqual(before);
  });

  it('stores identical bytes once for two versions (content addressing)', async () => {
    const r = await uploadModel(t, modelDoc({ version: '1.1.0', description: 'Same weights, new card.' }), goodModel(2));
    expect(r.status).toBe(201);
    const rows = await t.dataSource.query(`SELECT v.version, v.sha256 FROM tessera.model_versions v WHERE v.name = 'customer_value' ORDER BY v.version`);
    expect(rows.map((x: { version: string }) => x.version)).toEqual(['1.0.0', '1.1.0']);
    expect(rows[0].sha256).toBe(rows[1].sha256);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM tessera.model_blobs WHERE sha256 = $1`, [rows[0].sha256]);
    expect(n).toBe(1);
  });

  describe('deliberately wrong models are rejected with their reason, nothing stored', () => {
    const cases: [string, Uint8Array, Record<string, unknown>, { field: string; reason: string | RegExp }[]][] = [
      [
        'bad input name',
        wrongModel({ inputName: 'feats' }),
        {},
        [
          { field: 'file.inputs', reason: 'model has no input "features" (expected float32 [N, 2] in the order of feature service customer_value_v1); its inputs are: feats' },
          { field: 'file.inputs.feats', reason: 'input "feats" is neither "features" nor a declared request input (declare it under requestInputs)' },
        ],
      ],
      ['wrong element type', wrongModel({ elemType: ElemType.DOUBLE }), {}, [{ field: 'file.inputs.features', reason: 'input "features" has element type float64; expected float32' }]],
      [
        'wrong feature count',
        goodModel(3),
        {},
        [{ field: 'file.inputs.features', reason: 'input "features" has 3 columns; feature service customer_value_v1 has 2 features (customer_daily:spend, customer_daily:orders)' }],
      ],
      [
        'fixed batch dimension',
        wrongModel({ dims: [1, 2], outputDims: [1, 1] }),
        {},
        [
          { field: 'file.inputs.features', reason: /^input "features" has a fixed batch dimension of 1; the first dimension must be symbolic \(e\.g\. N\) or -1/ },
          { field: 'file.outputs.probability', reason: /^output "probability" has a fixed batch dimension of 1/ },
        ],
      ],
      [
        'string feature',
        goodModel(2),
        { featureService: 'customer_segment_v1' },
        [{ field: 'featureService', reason: 'feature customer_daily:segment has type string; only integer, number or boolean features can feed the float32 features tensor' }],
      ],
      ['unknown feature service', goodModel(2), { featureService: 'nobody_v1' }, [{ field: 'metadata.featureService', reason: 'feature service nobody_v1 is not in the registry' }]],
      [
        'request input of another type',
        goodModel(2, { requestInputs: [{ name: 'basket_size', type: 'int64', width: 1 }] }),
        { requestInputs: [{ name: 'basket_size', type: 'float32', shape: ['N', 1] }] },
        [{ field: 'metadata.requestInputs[0].type', reason: 'request input "basket_size" has element type int64 in the model; declared float32' }],
      ],
      ['not ONNX at all', new TextEncoder().encode('definitely not protobuf'), {}, [{ field: 'file', reason: /^onnxruntime cannot load it: / }]],
    ];
    it.each(cases)('%s', async (_label, bytes, over, expected) => {
      const before = await registryCounts(t);
      const r = await uploadModel(t, modelDoc({ version: '9.9.9', ...over }), bytes);
      expect(r.status).toBe(422);
      expect(r.body.error!.code).toBe('MODEL_INVALID');
      expect(r.body.error!.message).toMatch(/^model customer_value 9\.9\.9 rejected, nothing stored: /);
      const fix = (f: string) => (f === 'featureService' ? 'metadata.featureService' : f);
      expect(r.body.error!.details).toEqual(expected.map((e) => ({ field: fix(e.field), reason: typeof e.reason === 'string' ? e.reason : expect.stringMatching(e.reason) })));
      expect(await registryCounts(t)).toEqual(before);
    });
  });

  it('accepts a model with request-time inputs declared as the model has them', async () => {
    const bytes = goodModel(2, { requestInputs: [{ name: 'basket_size', type: 'int64', width: 1 }] });
    const r = await uploadModel(t, modelDoc({ name: 'basket_value', requestInputs: [{ name: 'basket_size', type: 'int64', shape: ['N', 1] }] }), bytes);
    expect(r.status).toBe(201);
    expect(r.body.model!.requestInputs).toEqual([{ name: 'basket_size', type: 'int64', shape: ['N', 1] }]);
  });

  it('names every problem of the request itself: metadata fields, missing and unknown parts, size', async () => {
    const invalid = await uploadModel(t, { name: 'x', version: 'latest' }, goodModel(2));
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({
      code: 'INVALID_METADATA',
      details: [
        { field: 'metadata.version', reason: 'must be a semantic version such as 1.0.0' },
        { field: 'metadata.featureService', reason: 'required' },
      ],
    });
    const yaml = await uploadModel(t, 'name: [unclosed', goodModel(2));
    expect(yaml.body.error).toMatchObject({ code: 'INVALID_METADATA', details: [{ field: 'metadata', reason: expect.stringMatching(/^not valid YAML or JSON: /) }] });
    const parts = await uploadModel(t, undefined, null, { notes: 'hi' });
    expect(parts.status).toBe(400);
    expect(parts.body.error).toMatchObject({
      code: 'INVALID_UPLOAD',
      details: [
        { field: 'notes', reason: 'unknown part; expected "metadata" and "file"' },
        { field: 'metadata', reason: 'required part missing' },
        { field: 'file', reason: 'required part missing' },
      ],
    });
    const json = await t.app.inject({ method: 'POST', url: '/v1/models', payload: modelDoc() });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.code).toBe('INVALID_UPLOAD');
    const big = await uploadModel(t, modelDoc({ version: '5.0.0' }), new Uint8Array(5000).fill(7));
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ code: 'MODEL_TOO_LARGE', details: [{ field: 'file', reason: 'larger than 4096 bytes' }] });
  });

  it('accepts the metadata as a YAML file part (curl -F metadata=@model.yaml)', async () => {
    const form = new FormData();
    form.append('metadata', new Blob(['name: yaml_model\nversion: 0.1.0\nfeatureService: customer_value_v1\n'], { type: 'application/yaml' }), 'model.yaml');
    form.append('file', new Blob([goodModel(2, { seed: 3 })]), 'model.onnx');
    const res = await t.app.inject({ method: 'POST', url: '/v1/models', payload: form });
    expect(res.statusCode).toBe(201);
    expect(res.json().model).toMatchObject({ name: 'yaml_model', version: '0.1.0' });
  });

  it('lists versions over REST with the catalog filters, and refuses unknown ones', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/v1/models?search=basket_size&stage=staging' });
    expect(list.json().models.map((m: { name: string; version: string }) => `${m.name}@${m.version}`)).toEqual(['basket_value@1.0.0']);
    const bad = await t.app.inject({ method: 'GET', url: '/v1/models?stage=live' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([{ field: 'stage', reason: expect.stringContaining('staging') }]);
  });

  it('enforces immutability in the database too: only the stage may change', async () => {
    await expect(t.dataSource.query(`UPDATE tessera.model_versions SET owner = 'mallory' WHERE name = 'customer_value' AND version = '1.0.0'`)).rejects.toThrow(
      'model version customer_value@1.0.0 is immutable: only its stage may change',
    );
    await expect(t.dataSource.query(`UPDATE tessera.model_blobs SET size = 1`)).rejects.toThrow(/content-addressed and immutable/);
  });
});
