import '../support/scoring-ort-realm';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { readContractDirectory } from '../../src/catalog/apply/read-contract-directory';
import { runApplyCommand } from '../../src/cli/apply-command';
import { sha256Hex } from '../../src/scoring/registry/model-blob.store';
import { goodModel, wrongModel } from '../fixtures/models/scoring-models';
import { modelDoc, recordOfflineTable, scoringMeshFiles } from '../fixtures/models/scoring-mesh';
import { registryCounts } from '../fixtures/models/scoring-upload';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN_KEY = 'model-apply-admin-key';
const auth = { authorization: `Bearer ${ADMIN_KEY}` };
const DOC_PATH = 'contracts/shop/models/customer_value-1.0.0.yaml';
const ONNX_PATH = 'contracts/shop/models/customer_value-1.0.0.onnx';

type File = { path: string; content: string; encoding?: 'base64' };
const yamlDoc = (over: Record<string, unknown> = {}): string => stringify({ ...modelDoc({ file: 'customer_value-1.0.0.onnx' }), ...over });
const onnx = (bytes: Uint8Array, path = ONNX_PATH): File => ({ path, content: Buffer.from(bytes).toString('base64'), encoding: 'base64' });

interface Report {
  applied: boolean;
  changed: boolean;
  summary: { created: number; updated: number; unchanged: number };
  changes: { file: string; kind: string; id: string; version: string | null; action: string }[];
  warnings: { file: string; path: string; message: string }[];
  errors: { file: string; path: string; message: string; docIndex?: number }[];
}

/** Model documents in contracts/ register their ONNX file through POST /v1/contracts/apply and `tessera apply`. */
describe('Model documents through contracts apply', () => {
  let t: TestApp;
  const apply = async (files: File[], dryRun = false): Promise<{ status: number; report: Report }> => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', headers: auth, payload: { files: [...scoringMeshFiles(), ...files], dryRun } });
    const body = res.json();
    return { status: res.statusCode, report: (body.error ? body.error.details : body) as Report };
  };
  const storedModelDocs = async (): Promise<number> => (await t.dataSource.query(`SELECT count(*)::int AS n FROM tessera.registry_objects WHERE kind = 'Model'`))[0].n;

  beforeAll(async () => {
    t = await startTestApp({ TESSERA_ADMIN_KEY: ADMIN_KEY });
    expect((await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', headers: auth, payload: { files: scoringMeshFiles() } })).statusCode).toBe(200);
    await recordOfflineTable(t.dataSource);
  });
  afterAll(() => t.close());

  it('a dry run checks the model and registers nothing', async () => {
    const { status, report } = await apply([{ path: DOC_PATH, content: yamlDoc() }, onnx(goodModel(2))], true);
    expect(status).toBe(200);
    expect(report.errors).toEqual([]);
    expect(report.changes).toEqual(expect.arrayContaining([{ file: DOC_PATH, kind: 'ModelVersion', id: 'customer_value', version: '1.0.0', action: 'created' }]));
    expect(await registryCounts(t)).toEqual({ versions: 0, blobs: 0, changes: 0 });
    expect(await storedModelDocs()).toBe(0);
  });

  it('registers the version named by the document, with its bytes, in the apply', async () => {
    const bytes = goodModel(2);
    const { status, report } = await apply([{ path: DOC_PATH, content: yamlDoc() }, onnx(bytes)]);
    expect(status).toBe(200);
    expect(report.warnings).toEqual([]);
    expect(report.changes.filter((c) => c.id === 'customer_value')).toEqual([
      { file: DOC_PATH, kind: 'Model', id: 'customer_value', version: '1.0.0', action: 'created' },
      { file: DOC_PATH, kind: 'ModelVersion', id: 'customer_value', version: '1.0.0', action: 'created' },
    ]);
    const model = (await t.app.inject({ method: 'GET', url: '/v1/models/customer_value/versions/1.0.0', headers: auth })).json();
    expect(model).toMatchObject({
      name: 'customer_value',
      version: '1.0.0',
      sha256: sha256Hex(bytes),
      sourceFile: DOC_PATH,
      stage: 'staging',
      registeredBy: 'admin',
      features: [
        { ref: 'customer_daily:spend', type: 'number' },
        { ref: 'customer_daily:orders', type: 'integer' },
      ],
    });
  });

  it('re-applying the same document and bytes changes nothing', async () => {
    const { status, report } = await apply([{ path: DOC_PATH, content: yamlDoc() }, onnx(goodModel(2))]);
    expect(status).toBe(200);
    expect(report.changed).toBe(false);
    expect(report.changes.find((c) => c.kind === 'ModelVersion')).toMatchObject({ action: 'unchanged' });
    expect(await registryCounts(t)).toMatchObject({ versions: 1, blobs: 1 });
  });

  it('different bytes for a registered version are an error: versions are immutable', async () => {
    const { status, report } = await apply([{ path: DOC_PATH, content: yamlDoc() }, onnx(goodModel(2, { seed: 3 }))]);
    expect(status).toBe(422);
    expect(report.errors).toEqual([
      { file: DOC_PATH, docIndex: 0, path: 'file', severity: 'error', message: expect.stringMatching(/^registered bytes have sha256 [0-9a-f]{64}; these have [0-9a-f]{64} \(MODEL_VERSION_CONFLICT\)$/) },
    ]);
    expect(await registryCounts(t)).toMatchObject({ versions: 1, blobs: 1 });
  });

  it('a missing file is an error naming the document and its file field; nothing is stored', async () => {
    const doc = { path: 'contracts/shop/models/customer_value-1.1.0.yaml', content: yamlDoc({ version: '1.1.0', file: 'missing.onnx' }) };
    const { status, report } = await apply([doc]);
    expect(status).toBe(422);
    expect(report.errors).toEqual([
      {
        file: doc.path,
        docIndex: 0,
        path: 'file',
        severity: 'error',
        message: 'Model customer_value 1.1.0: file missing.onnx (contracts/shop/models/missing.onnx) is not among the applied files; apply the directory that holds it, or send it with encoding: base64',
      },
    ]);
    // Sent without encoding, a .onnx is a text file like any other and is refused as a document.
    const asText = await apply([doc, { path: 'contracts/shop/models/missing.onnx', content: 'not really onnx' }]);
    expect(asText.report.errors).toEqual([expect.objectContaining({ file: 'contracts/shop/models/missing.onnx', severity: 'error' })]);
    expect(await storedModelDocs()).toBe(1);
  });

  it('a model that does not fit its feature service is rejected with every mismatch; nothing is stored', async () => {
    const path = 'contracts/shop/models/customer_value-2.0.0.yaml';
    const bad = wrongModel({ inputName: 'feats', dims: [1, 3], outputDims: [1, 1] });
    const { status, report } = await apply([{ path, content: yamlDoc({ version: '2.0.0' }) }, onnx(bad, 'contracts/shop/models/customer_value-1.0.0.onnx')]);
    expect(status).toBe(422);
    expect(report.errors.length).toBeGreaterThanOrEqual(2);
    for (const e of report.errors) expect(e).toMatchObject({ file: path, docIndex: 0, severity: 'error', message: expect.stringMatching(/\(MODEL_INVALID\)$/) });
    const fields = report.errors.map((e) => e.path);
    expect(fields.some((f) => f.startsWith('file'))).toBe(true);
    expect(await registryCounts(t)).toMatchObject({ versions: 1, blobs: 1 });
    expect(await storedModelDocs()).toBe(1);
  });

  it('rejects invalid base64 content in the request', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', headers: auth, payload: { files: [{ path: ONNX_PATH, content: '%%%', encoding: 'base64' }] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ field: 'files.0.content', reason: 'content is not valid base64' }]);
  });

  it('tessera apply <dir> sends .onnx files base64-encoded and registers the model', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tessera-model-apply-')), 'contracts');
    const bytes = goodModel(2, { seed: 4 });
    const write = (path: string, content: string | Uint8Array) => {
      const target = join(dir, '..', path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    };
    for (const f of scoringMeshFiles()) write(f.path, f.content);
    write('contracts/shop/models/customer_value-3.0.0.yaml', yamlDoc({ version: '3.0.0', file: 'customer_value-3.0.0.onnx' }));
    write('contracts/shop/models/customer_value-3.0.0.onnx', bytes);
    const files = readContractDirectory(dir);
    expect(files.find((f) => f.path.endsWith('.onnx'))).toEqual({ path: 'contracts/shop/models/customer_value-3.0.0.onnx', content: Buffer.from(bytes).toString('base64'), encoding: 'base64' });

    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = await t.app.getUrl();
    const res = await runApplyCommand({ dir, url, key: ADMIN_KEY, dryRun: false, json: false });
    expect(res.stderr).toBe('');
    expect(res.exitCode).toBe(0);
    expect(res.stdout).toMatch(/^created\s+ModelVersion customer_value@3\.0\.0 {2}\(contracts\/shop\/models\/customer_value-3\.0\.0\.yaml\)$/m);
    const model = (await t.app.inject({ method: 'GET', url: '/v1/models/customer_value/versions/3.0.0', headers: auth })).json();
    expect(model.sha256).toBe(sha256Hex(bytes));
  });
});
