import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelRegistryService } from '../../src/scoring/registry/model-registry.service';
import { ModelBlobStore, sha256Hex } from '../../src/scoring/registry/model-blob.store';
import { goodModel, wrongModel } from '../fixtures/models/scoring-models';
import { modelDoc, recordOfflineTable, scoringMeshFiles } from '../fixtures/models/scoring-mesh';
import { registryCounts, uploadModel } from '../fixtures/models/scoring-upload';
import { startTestApp, TestApp } from '../support/test-app';

const FIELDS = 'name version stage owner sha256 inputs { name type shape } outputs { name } stageChangedBy stageHistory { fromStage toStage changedBy }';

describe('model catalog: GraphQL search, stages, apply path, model directory', () => {
  let t: TestApp;
  let modelDir: string;
  beforeAll(async () => {
    modelDir = mkdtempSync(join(tmpdir(), 'tessera-models-'));
    t = await startTestApp({ TESSERA_MODEL_DIR: modelDir, TESSERA_ADMIN_KEY: 'scoring-test-admin-key' });
    const auth = { authorization: 'Bearer scoring-test-admin-key' };
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', headers: auth, payload: { files: scoringMeshFiles() } });
    expect(res.statusCode).toBe(200);
    await recordOfflineTable(t.dataSource);
    // Registered straight through the service: uploads are covered by scoring-registry.spec.ts.
    const registry = t.app.get(ModelRegistryService);
    for (const [version, seed] of [
      ['1.0.0', 1],
      ['1.1.0', 2],
      ['2.0.0', 3],
    ] as const) {
      await registry.register(modelDoc({ version, owner: version === '2.0.0' ? 'growth-ml' : 'shop-ml' }), goodModel(2, { seed }), { registeredBy: 'admin' });
    }
    await registry.register(
      modelDoc({ name: 'basket_value', requestInputs: [{ name: 'basket_size', type: 'int64', shape: ['N', 1] }] }),
      goodModel(2, { requestInputs: [{ name: 'basket_size', type: 'int64', width: 1 }] }),
      { registeredBy: 'admin' },
    );
  });
  afterAll(async () => {
    await t.close();
    rmSync(modelDir, { recursive: true, force: true });
  });

  const gql = <T>(query: string, variables?: Record<string, unknown>) => t.gql<T>(query, variables, { authorization: 'Bearer scoring-test-admin-key' });
  type Version = { name: string; version: string; stage: string; owner: string; stageChangedBy: string; stageHistory: { fromStage: string | null; toStage: string; changedBy: string }[] };

  it('searches models by name, version, inputs, outputs, owner and stage', async () => {
    const q = async (args: string) => (await gql<{ models: Version[] }>(`{ models${args} { name version } }`)).data!.models.map((m) => `${m.name}@${m.version}`);
    expect(await q('')).toEqual(['basket_value@1.0.0', 'customer_value@2.0.0', 'customer_value@1.1.0', 'customer_value@1.0.0']);
    expect(await q('(search: "basket_size")')).toEqual(['basket_value@1.0.0']);
    expect(await q('(search: "customer_daily:orders probability")')).toHaveLength(4);
    expect(await q('(search: "1.1.0")')).toEqual(['customer_value@1.1.0']);
    expect(await q('(owner: "growth-ml")')).toEqual(['customer_value@2.0.0']);
    expect(await q('(stage: production)')).toEqual([]);
    expect(await q('(search: "100%_")')).toEqual([]);
  });

  it('moves versions through stages, keeps one production version, and records who did it', async () => {
    const set = (version: string, stage: string) =>
      gql<{ setModelStage: Version }>(`mutation($v: String!, $s: ModelStage!) { setModelStage(name: "customer_value", version: $v, stage: $s) { ${FIELDS} } }`, { v: version, s: stage });
    expect((await set('1.0.0', 'production')).data!.setModelStage).toMatchObject({ stage: 'production', stageChangedBy: 'admin' });
    const promoted = (await set('1.1.0', 'production')).data!.setModelStage;
    expect(promoted.stageHistory).toEqual([
      { fromStage: null, toStage: 'staging', changedBy: 'admin' },
      { fromStage: 'staging', toStage: 'production', changedBy: 'admin' },
    ]);
    const old = (await gql<{ model: Version }>(`{ model(name: "customer_value", version: "1.0.0") { ${FIELDS} } }`)).data!.model;
    expect(old.stage).toBe('archived');
    expect(old.stageHistory.map((h) => h.toStage)).toEqual(['staging', 'production', 'archived']);
    // Without a version: the production one, not the highest.
    expect((await gql<{ model: Version }>(`{ model(name: "customer_value") { version } }`)).data!.model.version).toBe('1.1.0');
    expect((await gql<{ models: Version[] }>(`{ models(stage: production) { name version } }`)).data!.models).toEqual([{ name: 'customer_value', version: '1.1.0' }]);
    // Setting the current stage again changes nothing.
    expect((await set('1.1.0', 'production')).data!.setModelStage.stageHistory).toHaveLength(2);
  });

  it('answers not-found errors with their code over GraphQL and REST', async () => {
    const missing = await gql(`{ model(name: "customer_value", version: "3.0.0") { name } }`);
    expect(missing.errors![0]).toMatchObject({ message: 'model customer_value has no version 3.0.0; registered: 2.0.0, 1.1.0, 1.0.0', extensions: { code: 'NOT_FOUND', tesseraCode: 'MODEL_VERSION_NOT_FOUND' } });
    const stage = await gql(`mutation { setModelStage(name: "ghost", version: "1.0.0", stage: production) { name } }`);
    expect(stage.errors![0].extensions).toMatchObject({ tesseraCode: 'MODEL_NOT_FOUND' });
    const rest = await t.app.inject({ method: 'GET', url: '/v1/models/ghost', headers: { authorization: 'Bearer scoring-test-admin-key' } });
    expect(rest.statusCode).toBe(404);
    expect(rest.json()).toEqual({ error: { code: 'MODEL_NOT_FOUND', message: 'model ghost is not registered' } });
  });

  it('keeps ONNX bytes as content-addressed files in TESSERA_MODEL_DIR and verifies them on read', async () => {
    const bytes = goodModel(2, { seed: 1 });
    const sha = sha256Hex(bytes);
    const [blob] = await t.dataSource.query(`SELECT storage, size, bytes FROM tessera.model_blobs WHERE sha256 = $1`, [sha]);
    expect(blob).toEqual({ storage: 'directory', size: String(bytes.byteLength), bytes: null });
    const path = join(modelDir, 'sha256', sha.slice(0, 2), `${sha}.onnx`);
    expect(existsSync(path)).toBe(true);
    const registry = t.app.get(ModelRegistryService);
    expect(Buffer.compare(await registry.bytes('customer_value', '1.0.0'), Buffer.from(bytes))).toBe(0);
    writeFileSync(path, 'tampered');
    await expect(registry.bytes('customer_value', '1.0.0')).rejects.toMatchObject({ code: 'MODEL_BLOB_UNAVAILABLE' });
    // Registering the same bytes again (another version) heals the file.
    await registry.register(modelDoc({ version: '1.0.1' }), bytes, { registeredBy: 'admin' });
    expect(Buffer.compare(await t.app.get(ModelBlobStore).get(sha), Buffer.from(bytes))).toBe(0);
  });

  it("registers from a Model document inside the caller's transaction (the contracts apply path)", async () => {
    const registry = t.app.get(ModelRegistryService);
    const doc = { apiVersion: 'tessera/v1', kind: 'Model', name: 'applied_model', version: '1.0.0', file: 'applied_model-1.0.0.onnx', featureService: 'customer_value_v1' };
    const before = await registryCounts(t);
    // A dry run (rolled-back transaction) stores nothing.
    await t.dataSource
      .transaction(async (m) => {
        const r = await registry.registerFromDocument(m, doc, goodModel(2, { seed: 7 }), { sourceFile: 'contracts/shop/models/applied_model.yaml' });
        expect(r.action).toBe('created');
        throw new Error('dry run');
      })
      .catch((e: Error) => expect(e.message).toBe('dry run'));
    expect(await registryCounts(t)).toEqual(before);
    // Problems carry document paths, ready to become apply issues.
    const rejected = await t.dataSource
      .transaction((m) => registry.registerFromDocument(m, { ...doc, requestInputs: [{ name: 'x', type: 'float32', shape: ['N', 1] }] }, wrongModel({ inputName: 'feats' })))
      .catch((e) => e);
    expect(rejected.code).toBe('MODEL_INVALID');
    expect(rejected.problems.map((p: { field: string }) => p.field)).toEqual(['file.inputs', 'requestInputs[0]', 'file.inputs.feats']);
    const stored = await t.dataSource.transaction((m) => registry.registerFromDocument(m, doc, goodModel(2, { seed: 7 }), { sourceFile: 'contracts/shop/models/applied_model.yaml' }));
    expect(stored.model).toMatchObject({ registeredBy: 'contracts-apply', sourceFile: 'contracts/shop/models/applied_model.yaml' });
    // The same version uploaded later (no `file`, by an authenticated caller) is the identical version: a no-op.
    const upload = { ...doc, file: undefined };
    expect((await uploadModel(t, upload, goodModel(2, { seed: 7 }))).status).toBe(401);
    const again = await uploadModel(t, upload, goodModel(2, { seed: 7 }), {}, { authorization: 'Bearer scoring-test-admin-key' });
    expect(again).toMatchObject({ status: 200, body: { action: 'unchanged' } });
  });
});
