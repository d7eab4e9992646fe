import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { readContractDirectory } from '../src/catalog/apply/read-contract-directory';
import { buildLogisticRegressionOnnx } from '../src/scoring/onnx/logistic-regression-onnx';
import { DEMO_SEED, generateDemoRiskData, generateLiveRows, toNdjson } from '../src/scoring/training/demo-risk-data';
import { evaluateBinary, fitLogisticRegression } from '../src/scoring/training/fit-logistic-regression';
import type { TesseraClient } from './tessera-client';

/**
 * The demo driver_risk model, made end to end against a running Tessera (`npm run demo:train`, tour step 11):
 *   1. applies the example mesh in <root>/contracts (without contracts/risk/models/, the committed model);
 *   2. ingests one row per driver for the current hour and day first, so predictions serve fresh features
 *      (the training calendar, November 2026, is beyond the views' ttl). These rows are the same all hour
 *      (daily ones all day): a re-run counts them as duplicates instead of being refused, and a refusal
 *      would stop here, before anything else is written;
 *   3. ingests seeded example rows into rides-driver-stats/hourly and payments-driver-activity/daily;
 *   4. builds the point-in-time training set of feature service driver_risk_v1 with POST /v1/historical-features
 *      and saves it as training dataset driver_risk_v1_demo (its id goes into the model card), unless the
 *      latest version already holds exactly these rows;
 *   5. fits a logistic regression in TypeScript and evaluates it on held-out drivers;
 *   6. registers the ONNX file and its Model document through the contracts apply, sent from memory under
 *      contracts/risk/models/ (nothing is written into the working tree unless `outDir` is given).
 * Deterministic: the same service answers the same training set, so a re-run is `unchanged`.
 */
export interface DemoTrainingOptions {
  version: string;
  epochs: number;
  register: boolean;
  /** Also write the .onnx and .yaml here (e.g. contracts/risk/models to commit a new demo model). */
  outDir?: string;
  /** The repository root holding contracts/. */
  root: string;
}

export interface DemoTrainingResult {
  rows: number;
  positives: number;
  metrics: { auc: number; logLoss: number; accuracy: number };
  datasetId: string;
  registration: string | null;
  onnxSha256: string;
}

const SERVICE = 'driver_risk_v1';
const DATASET = 'driver_risk_v1_demo';
const MODEL_NAME = 'driver_risk';
const MODELS_DIR = 'contracts/risk/models';

interface ApplyAnswer {
  message: string;
  changes: { kind: string; id: string; version: string | null; action: string }[];
}

const round = (v: number, digits = 4): number => Number(v.toFixed(digits));

function serviceFeatures(root: string): string[] {
  const docs = parseAllDocuments(readFileSync(resolve(root, 'contracts/risk/features.yaml'), 'utf8')).map((d) => d.toJS() as Record<string, unknown>);
  const service = docs.find((d) => d.kind === 'FeatureService' && d.name === SERVICE);
  if (!service) throw new Error(`feature service ${SERVICE} not found in contracts/risk/features.yaml`);
  return service.features as string[];
}

async function ingest(client: TesseraClient, log: (line: string) => void, hourly: readonly object[], daily: readonly object[], what = ''): Promise<void> {
  for (const [product, port, rows] of [
    ['rides-driver-stats', 'hourly', hourly],
    ['payments-driver-activity', 'daily', daily],
  ] as const) {
    const r = await client.call<{ rows: number; inserted: number; duplicates: number }>('POST', `/v1/data-products/${product}/ports/${port}/rows`, toNdjson(rows));
    log(`ingested ${what}${product}/${port}: ${r.rows} rows, ${r.inserted} new, ${r.duplicates} already there`);
  }
}

/** Saves the training set as a dataset unless its latest version holds exactly these rows (then re-runs cite the same id). */
async function saveDataset(client: TesseraClient, log: (line: string) => void, request: object, columns: Record<string, unknown[]>): Promise<string> {
  const latest = await client.find<{ id: string; rowCount: number }>(`/v1/training-datasets/${DATASET}/versions/latest`);
  if (latest) {
    const stored = await client.call<{ columns: Record<string, unknown[]> }>('GET', `/v1/training-datasets/${DATASET}/versions/latest/rows?limit=100000`);
    if (JSON.stringify(stored.columns) === JSON.stringify(columns)) {
      log(`training dataset ${latest.id} already holds these ${latest.rowCount} rows`);
      return latest.id;
    }
  }
  const description = `Labelled point-in-time training set of ${SERVICE} for the demo driver_risk model (npm run demo:train).`;
  const saved = await client.call<{ id: string; rowCount: number }>('POST', '/v1/training-datasets', { name: DATASET, description, ...request });
  log(`saved training dataset ${saved.id} (${saved.rowCount} rows)`);
  return saved.id;
}

export async function trainDemoModel(client: TesseraClient, o: DemoTrainingOptions, log: (line: string) => void): Promise<DemoTrainingResult> {
  const features = serviceFeatures(o.root);
  const contracts = readContractDirectory(resolve(o.root, 'contracts'));
  const mesh = await client.call<ApplyAnswer>('POST', '/v1/contracts/apply', { files: contracts.filter((f) => !f.path.startsWith(`${MODELS_DIR}/`)) });
  log(`applied the example mesh: ${mesh.message}`);

  const data = generateDemoRiskData();
  const live = generateLiveRows(data);
  await ingest(client, log, live.hourly, live.daily, 'current ');
  await ingest(client, log, data.hourly, data.daily);

  const request = { feature_service: SERVICE, entities: data.entities, full_feature_names: true };
  const set = await client.call<{ columns: Record<string, unknown[]> }>('POST', '/v1/historical-features', request);
  const columns = features.map((f) => set.columns[f.replace(':', '__')] as (number | null)[]);
  const rows = data.entities.driver_id.map((driver, i) => ({ driver, x: columns.map((c) => c[i]), y: data.entities.label[i] }));
  const complete = rows.filter((r) => r.x.every((v) => v !== null)) as { driver: number; x: number[]; y: number }[];
  // Held out by driver, not by row: a driver's observations never sit on both sides.
  const train = complete.filter((r) => r.driver % 5 !== 0);
  const test = complete.filter((r) => r.driver % 5 === 0);
  const positives = complete.filter((r) => r.y === 1).length;
  log(`point-in-time training set of ${SERVICE}: ${rows.length} labelled rows, ${rows.length - complete.length} with a missing feature dropped, ${positives} positive`);

  const fit = fitLogisticRegression(
    train.map((r) => r.x),
    train.map((r) => r.y),
    { epochs: o.epochs },
  );
  const m = evaluateBinary(
    fit.params,
    test.map((r) => r.x),
    test.map((r) => r.y),
  );
  const metrics = { auc: round(m.auc), logLoss: round(m.logLoss), accuracy: round(m.accuracy) };
  log(`fitted on ${train.length} rows, held out ${test.length} (drivers with id % 5 = 0): auc ${metrics.auc}, log loss ${metrics.logLoss}, accuracy ${metrics.accuracy}`);

  const bytes = buildLogisticRegressionOnnx({
    featureCount: features.length,
    ...fit.params,
    featureNames: features,
    docString: `driver_risk ${o.version}: logistic regression over ${SERVICE}, trained by npm run demo:train`,
  });
  const datasetId = await saveDataset(client, log, request, set.columns);
  // Missing or stale features are imputed with the training means, so a new driver still gets a score.
  const defaults = Object.fromEntries(features.map((f, j) => [f, round(train.reduce((s, r) => s + r.x[j], 0) / train.length)]));
  const onnxFile = `${MODEL_NAME}-${o.version}.onnx`;
  const yamlFile = `${MODEL_NAME}-${o.version}.yaml`;
  const document: Record<string, unknown> = {
    apiVersion: 'tessera/v1',
    kind: 'Model',
    name: MODEL_NAME,
    version: o.version,
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
      metrics: { ...metrics, trainRows: train.length, testRows: test.length },
      trainingDatasetId: datasetId,
    },
  };
  const yaml = '# Generated by `npm run demo:train` (scripts/demo-train.ts); edit the script, not this file.\n' + stringify(document, { lineWidth: 0 });
  const onnxSha256 = createHash('sha256').update(bytes).digest('hex');
  log(`built ${onnxFile} (${bytes.byteLength} bytes, sha256 ${onnxSha256.slice(0, 8)}…) and its Model document ${yamlFile}`);
  if (o.outDir) {
    mkdirSync(o.outDir, { recursive: true });
    writeFileSync(join(o.outDir, onnxFile), bytes);
    writeFileSync(join(o.outDir, yamlFile), yaml);
    log(`wrote ${join(o.outDir, onnxFile)} and ${yamlFile}`);
  }

  let registration: string | null = null;
  if (o.register) {
    const files = [
      { path: `${MODELS_DIR}/${onnxFile}`, content: Buffer.from(bytes).toString('base64'), encoding: 'base64' },
      { path: `${MODELS_DIR}/${yamlFile}`, content: yaml },
    ];
    const applied = await client.call<ApplyAnswer>('POST', '/v1/contracts/apply', { files });
    const version = applied.changes.find((c) => c.kind === 'ModelVersion' && c.id === MODEL_NAME && c.version === o.version);
    if (!version) throw new Error(`the apply registered no ${MODEL_NAME} version: ${applied.message}`);
    registration = version.action;
    log(`registered ${MODEL_NAME} ${version.version} through the contracts apply: ${version.action}`);
  }
  return { rows: rows.length, positives, metrics, datasetId, registration, onnxSha256 };
}
