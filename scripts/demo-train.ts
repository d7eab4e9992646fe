import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { readContractDirectory } from '../src/catalog/apply/read-contract-directory';
import { buildLogisticRegressionOnnx } from '../src/scoring/onnx/logistic-regression-onnx';
import { DEMO_SEED, generateDemoRiskData, generateLiveRows, toNdjson } from '../src/scoring/training/demo-risk-data';
import { evaluateBinary, fitLogisticRegression } from '../src/scoring/training/fit-logistic-regression';
import { parseArgs } from 'node:util';

/**
 * `npm run demo:train`: the demo driver_risk model, made end to end by the project itself against a
 * running Tessera:
 *   1. applies the example mesh in contracts/ (without this script's own output, contracts/risk/models/);
 *   2. ingests seeded example rows into rides-driver-stats/hourly and payments-driver-activity/daily
 *      (idempotent: a second run stores nothing twice);
 *   3. builds the point-in-time training set of feature service driver_risk_v1 with
 *      POST /v1/historical-features from labelled entity rows (labelling rule: src/scoring/training/demo-risk-data.ts)
 *      and saves it as training dataset driver_risk_v1_demo (its id goes into the model card);
 *   4. fits a logistic regression in TypeScript, evaluates it on held-out drivers, and writes the ONNX
 *      file and its Model document (model card with the metrics) under contracts/risk/models/;
 *   5. registers it by applying contracts/ again: the Model document and its .onnx go through the
 *      contracts apply like any other document (skipped with `--no-register`);
 *   6. ingests one row per driver for the current hour and day, so `POST /materialize-incremental` then
 *      predict serves fresh features (the training calendar, November 2026, is beyond the views' ttl).
 * Deterministic: the same service answers the same training set, so a re-run writes the same bytes
 * and the registration is `unchanged`.
 *
 * Environment: TESSERA_URL (default http://127.0.0.1:3000), TESSERA_API_KEY (else TESSERA_ADMIN_KEY).
 */
const SERVICE = 'driver_risk_v1';
const DATASET = 'driver_risk_v1_demo';
/**
 * `--version 1.1.0 --epochs 50` trains a challenger (same data, another fit) to deploy as a canary or
 * shadow next to 1.0.0; `--no-register` only writes the files.
 */
const ARGS = parseArgs({
  options: { version: { type: 'string', default: '1.0.0' }, epochs: { type: 'string', default: '500' }, 'no-register': { type: 'boolean', default: false } },
}).values;
const MODEL = { name: 'driver_risk', version: ARGS.version };
const EPOCHS = Number(ARGS.epochs);
const MODELS_DIR = 'contracts/risk/models';
const OUT_DIR = resolve(process.cwd(), MODELS_DIR);
const URL_BASE = (process.env.TESSERA_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const KEY = process.env.TESSERA_API_KEY ?? process.env.TESSERA_ADMIN_KEY;

type ErrorBody = { error?: { code: string; message: string; details?: unknown } };

async function call<T>(method: string, path: string, body: string | object | null, contentType = 'application/json'): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${URL_BASE}${path}`, {
      method,
      headers: { ...(body === null ? {} : { 'content-type': contentType }), ...(KEY ? { authorization: `Bearer ${KEY}` } : {}) },
      body: body === null ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  } catch (err) {
    throw new Error(`cannot reach Tessera at ${URL_BASE} (${(err as Error).message}); start it with \`npm start\` or set TESSERA_URL`, { cause: err });
  }
  const json = (await res.json()) as T & ErrorBody;
  if (res.status === 404 && method === 'GET') return null as T;
  if (!res.ok) throw new Error(`${method} ${path} refused (${res.status} ${json.error?.code}): ${json.error?.message}\n${JSON.stringify(json.error?.details, null, 2)}`);
  return json;
}

function serviceFeatures(): string[] {
  const docs = parseAllDocuments(readFileSync(resolve(process.cwd(), 'contracts/risk/features.yaml'), 'utf8')).map((d) => d.toJS() as Record<string, unknown>);
  const service = docs.find((d) => d.kind === 'FeatureService' && d.name === SERVICE);
  if (!service) throw new Error(`feature service ${SERVICE} not found in contracts/risk/features.yaml`);
  return service.features as string[];
}

interface ApplyAnswer {
  message: string;
  changes: { kind: string; id: string; version: string | null; action: string }[];
}

const round = (v: number, digits = 4): number => Number(v.toFixed(digits));

/**
 * Saves the training set as a training dataset (POST /v1/training-datasets), unless its latest
 * version already holds exactly these rows: re-runs then keep pointing at the same dataset id, so
 * the model card — and the registered version — stay the same.
 */
async function saveDataset(request: object, columns: Record<string, unknown[]>): Promise<string> {
  const latest = await call<{ id: string; rowCount: number } | null>('GET', `/v1/training-datasets/${DATASET}/versions/latest`, null);
  if (latest) {
    const stored = await call<{ columns: Record<string, unknown[]> }>('GET', `/v1/training-datasets/${DATASET}/versions/latest/rows?limit=100000`, null);
    if (JSON.stringify(stored.columns) === JSON.stringify(columns)) {
      console.log(`training dataset ${latest.id} already holds these ${latest.rowCount} rows`);
      return latest.id;
    }
  }
  const description = `Labelled point-in-time training set of ${SERVICE} for the demo driver_risk model (npm run demo:train).`;
  const saved = await call<{ id: string; rowCount: number }>('POST', '/v1/training-datasets', { name: DATASET, description, ...request });
  console.log(`saved training dataset ${saved.id} (${saved.rowCount} rows)`);
  return saved.id;
}

async function ingest(hourly: readonly object[], daily: readonly object[], what = ''): Promise<void> {
  for (const [product, port, rows] of [['rides-driver-stats', 'hourly', hourly], ['payments-driver-activity', 'daily', daily]] as const) {
    const r = await call<{ rows: number; inserted: number; duplicates: number }>('POST', `/v1/data-products/${product}/ports/${port}/rows`, toNdjson(rows), 'application/x-ndjson');
    console.log(`ingested ${what}${product}/${port}: ${r.rows} rows, ${r.inserted} new, ${r.duplicates} already there`);
  }
}

async function main(): Promise<void> {
  const features = serviceFeatures();
  const contracts = readContractDirectory('contracts');
  const mesh = await call<ApplyAnswer>('POST', '/v1/contracts/apply', { files: contracts.filter((f) => !f.path.startsWith(`${MODELS_DIR}/`)) });
  console.log(`applied the example mesh: ${mesh.message}`);

  const data = generateDemoRiskData();
  await ingest(data.hourly, data.daily);

  const request = { feature_service: SERVICE, entities: data.entities, full_feature_names: true };
  const set = await call<{ columns: Record<string, unknown[]> }>('POST', '/v1/historical-features', request);
  const columns = features.map((f) => set.columns[f.replace(':', '__')] as (number | null)[]);
  const rows = data.entities.driver_id.map((driver, i) => ({ driver, x: columns.map((c) => c[i]), y: data.entities.label[i] }));
  const complete = rows.filter((r) => r.x.every((v) => v !== null)) as { driver: number; x: number[]; y: number }[];
  // Held out by driver, not by row: a driver's observations never sit on both sides.
  const train = complete.filter((r) => r.driver % 5 !== 0);
  const test = complete.filter((r) => r.driver % 5 === 0);
  const positives = complete.filter((r) => r.y === 1).length;
  console.log(`point-in-time training set of ${SERVICE}: ${rows.length} labelled rows, ${rows.length - complete.length} with a missing feature dropped, ${positives} positive`);

  const fit = fitLogisticRegression(train.map((r) => r.x), train.map((r) => r.y), { epochs: EPOCHS });
  const metrics = evaluateBinary(fit.params, test.map((r) => r.x), test.map((r) => r.y));
  console.log(`fitted on ${train.length} rows, held out ${test.length} (drivers with id % 5 = 0): auc ${round(metrics.auc)}, log loss ${round(metrics.logLoss)}, accuracy ${round(metrics.accuracy)}`);

  const bytes = buildLogisticRegressionOnnx({
    featureCount: features.length,
    ...fit.params,
    featureNames: features,
    docString: `driver_risk ${MODEL.version}: logistic regression over ${SERVICE}, trained by npm run demo:train`,
  });
  const datasetId = await saveDataset(request, set.columns);
  // Missing or stale features are imputed with the training means, so a new driver still gets a score.
  const defaults = Object.fromEntries(features.map((f, j) => [f, round(train.reduce((s, r) => s + r.x[j], 0) / train.length)]));
  const onnxFile = `${MODEL.name}-${MODEL.version}.onnx`;
  const document: Record<string, unknown> = {
    apiVersion: 'tessera/v1',
    kind: 'Model',
    name: MODEL.name,
    version: MODEL.version,
    description: "Probability that a driver's recent activity is fraudulent, from ride and payment behaviour.",
    owner: 'risk-ml',
    tags: ['risk', 'drivers'],
    // Its features come from rides and payments: the owning domain cannot be derived, so it is declared.
    domain: 'risk',
    file: onnxFile,
    featureService: SERVICE,
    outputs: [{ name: 'probability', type: 'float32', shape: ['N', 1] }],
    onMissing: 'impute',
    defaults,
    modelCard: {
      intendedUse: 'Decision support for payout holds: route high-risk drivers to manual review; never an automatic ban.',
      limitations:
        `Demo model. Trained on the point-in-time training set of ${SERVICE} over seeded example rows of the example mesh ` +
        `(seed ${DEMO_SEED}, ${complete.length} rows); labels follow a documented rule, not real fraud: each driver has a hidden risk r, ` +
        'features follow r with noise, and an observation is labelled 1 with probability sigmoid(-3 + 6r) (src/scoring/training/demo-risk-data.ts). ' +
        'Its scores mean nothing about real drivers.',
      metrics: { auc: round(metrics.auc), logLoss: round(metrics.logLoss), accuracy: round(metrics.accuracy), trainRows: train.length, testRows: test.length },
      trainingDatasetId: datasetId,
    },
  };
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(resolve(OUT_DIR, onnxFile), bytes);
  const header = '# Generated by `npm run demo:train` (scripts/demo-train.ts); edit the script, not this file.\n';
  writeFileSync(resolve(OUT_DIR, `${MODEL.name}-${MODEL.version}.yaml`), header + stringify(document, { lineWidth: 0 }));
  console.log(`wrote ${MODELS_DIR}/${onnxFile} (${bytes.byteLength} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}) and ${MODEL.name}-${MODEL.version}.yaml`);

  if (!ARGS['no-register']) {
    const applied = await call<ApplyAnswer>('POST', '/v1/contracts/apply', { files: readContractDirectory('contracts') });
    const version = applied.changes.find((c) => c.kind === 'ModelVersion' && c.id === MODEL.name && c.version === MODEL.version);
    if (!version) throw new Error(`the apply registered no ${MODEL.name} version: ${applied.message}`);
    console.log(`registered ${MODEL.name} ${version.version} through the contracts apply: ${version.action}`);
  }

  const live = generateLiveRows(data);
  await ingest(live.hourly, live.daily, 'current ');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
