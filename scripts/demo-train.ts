import 'reflect-metadata';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { buildLogisticRegressionOnnx } from '../src/scoring/onnx/logistic-regression-onnx';
import { evaluateBinary, fitLogisticRegression } from '../src/scoring/training/fit-logistic-regression';

/**
 * `npm run demo:train`: trains the demo driver_risk model in TypeScript, writes it as ONNX next to a
 * tessera/v1 Model document under contracts/risk/models/, and registers it with a running Tessera.
 *
 * TODO(point-in-time training sets): read the real training set of driver_risk_v1
 * (POST /v1/historical-features with the labelled entity rows) instead of synthesizing one; keep the
 * seed-free part (fit, export, register) as is. Until then the data is synthetic and the model card says so.
 *
 * Environment: TESSERA_URL (default http://127.0.0.1:3000), TESSERA_API_KEY (else TESSERA_ADMIN_KEY);
 * `--no-register` only writes the files.
 */
const SERVICE = 'driver_risk_v1';
const MODEL = { name: 'driver_risk', version: '1.0.0' };
const SEED = 20251128;
const ROWS = 5000;
const OUT_DIR = resolve(process.cwd(), 'contracts/risk/models');

/** Deterministic PRNG: the same run writes the same bytes, so re-registering is a no-op. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Plausible value generators per feature, within the ranges of the rides and payments contracts. */
const GENERATORS: Record<string, (r: () => number) => number> = {
  'driver_hourly_stats:conv_rate': (r) => 0.2 + 0.8 * r(),
  'driver_hourly_stats:acc_rate': (r) => 0.3 + 0.7 * r(),
  'driver_hourly_stats:avg_daily_trips': (r) => Math.floor(40 * r()),
  'driver_daily_payments:declined_rate': (r) => 0.5 * r() ** 3,
  'driver_daily_payments:refund_rate': (r) => 0.3 * r() ** 3,
  'driver_daily_payments:chargeback_count': (r) => Math.floor(6 * r() ** 4),
};
/** The hidden "truth" behind the synthetic labels: fraud is more likely with declines, refunds, chargebacks. */
const TRUTH: Record<string, number> = {
  'driver_hourly_stats:conv_rate': -1.5,
  'driver_hourly_stats:acc_rate': -1.0,
  'driver_hourly_stats:avg_daily_trips': 0.02,
  'driver_daily_payments:declined_rate': 6,
  'driver_daily_payments:refund_rate': 8,
  'driver_daily_payments:chargeback_count': 0.9,
};

function serviceFeatures(): string[] {
  const docs = parseAllDocuments(readFileSync(resolve(process.cwd(), 'contracts/risk/features.yaml'), 'utf8')).map((d) => d.toJS() as Record<string, unknown>);
  const service = docs.find((d) => d.kind === 'FeatureService' && d.name === SERVICE);
  if (!service) throw new Error(`feature service ${SERVICE} not found in contracts/risk/features.yaml`);
  const features = service.features as string[];
  const unknown = features.filter((f) => !GENERATORS[f]);
  if (unknown.length) throw new Error(`no synthetic generator for ${unknown.join(', ')}: extend GENERATORS in scripts/demo-train.ts`);
  return features;
}

function synthesize(features: string[]): { x: number[][]; y: number[] } {
  const rand = mulberry32(SEED);
  const x = Array.from({ length: ROWS }, () => features.map((f) => GENERATORS[f](rand)));
  const y = x.map((row) => {
    const z = -1.2 + row.reduce((s, v, j) => s + TRUTH[features[j]] * v, 0);
    return rand() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  });
  return { x, y };
}

const round = (v: number, digits = 4): number => Number(v.toFixed(digits));

async function register(document: Record<string, unknown>, bytes: Uint8Array): Promise<void> {
  const url = (process.env.TESSERA_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  const key = process.env.TESSERA_API_KEY ?? process.env.TESSERA_ADMIN_KEY;
  const { file: _file, ...metadata } = document; // the upload carries the bytes itself
  const form = new FormData();
  form.append('metadata', JSON.stringify(metadata));
  form.append('file', new Blob([bytes], { type: 'application/octet-stream' }), `${MODEL.name}-${MODEL.version}.onnx`);
  let res: Response;
  try {
    res = await fetch(`${url}/v1/models`, { method: 'POST', body: form, headers: key ? { authorization: `Bearer ${key}` } : {} });
  } catch (err) {
    throw new Error(`cannot reach Tessera at ${url} (${(err as Error).message}); start it with \`npm start\` or set TESSERA_URL, or pass --no-register`);
  }
  const body = (await res.json()) as { action?: string; model?: { sha256: string; stage: string }; warnings?: string[]; error?: { code: string; message: string; details?: unknown } };
  if (!res.ok) throw new Error(`registration refused (${res.status} ${body.error?.code}): ${body.error?.message}\n${JSON.stringify(body.error?.details, null, 2)}`);
  console.log(`registered ${MODEL.name} ${MODEL.version} at ${url}: ${body.action} (sha256 ${body.model?.sha256}, stage ${body.model?.stage})`);
  for (const w of body.warnings ?? []) console.log(`  warning: ${w}`);
}

async function main(): Promise<void> {
  const features = serviceFeatures();
  const { x, y } = synthesize(features);
  const cut = Math.floor(ROWS * 0.8);
  const fit = fitLogisticRegression(x.slice(0, cut), y.slice(0, cut), { epochs: 500 });
  const metrics = evaluateBinary(fit.params, x.slice(cut), y.slice(cut));
  console.log(`fitted on ${cut} rows, held out ${ROWS - cut}: auc ${round(metrics.auc)}, log loss ${round(metrics.logLoss)}, accuracy ${round(metrics.accuracy)}`);

  const bytes = buildLogisticRegressionOnnx({
    featureCount: features.length,
    ...fit.params,
    featureNames: features,
    docString: `driver_risk ${MODEL.version}: logistic regression over ${SERVICE}, trained by npm run demo:train`,
  });
  // Missing or stale features are imputed with the training means, so a new driver still gets a score.
  const defaults = Object.fromEntries(features.map((f, j) => [f, round(x.slice(0, cut).reduce((s, row) => s + row[j], 0) / cut)]));
  const onnxFile = `${MODEL.name}-${MODEL.version}.onnx`;
  const document: Record<string, unknown> = {
    apiVersion: 'tessera/v1',
    kind: 'Model',
    name: MODEL.name,
    version: MODEL.version,
    description: 'Probability that a driver\'s recent activity is fraudulent, from ride and payment behaviour.',
    owner: 'risk-ml',
    tags: ['risk', 'drivers'],
    file: onnxFile,
    featureService: SERVICE,
    outputs: [{ name: 'probability', type: 'float32', shape: ['N', 1] }],
    onMissing: 'impute',
    defaults,
    modelCard: {
      intendedUse: 'Decision support for payout holds: route high-risk drivers to manual review; never an automatic ban.',
      limitations: 'Demo model trained on a synthetic data set shaped like driver_risk_v1; its scores mean nothing about real drivers.',
      metrics: { auc: round(metrics.auc), logLoss: round(metrics.logLoss), accuracy: round(metrics.accuracy) },
      trainingDatasetId: `synthetic:${SERVICE}:seed=${SEED}:rows=${ROWS}`,
    },
  };
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(resolve(OUT_DIR, onnxFile), bytes);
  const header = '# Generated by `npm run demo:train` (scripts/demo-train.ts); edit the script, not this file.\n';
  writeFileSync(resolve(OUT_DIR, `${MODEL.name}-${MODEL.version}.yaml`), header + stringify(document, { lineWidth: 0 }));
  console.log(`wrote contracts/risk/models/${onnxFile} (${bytes.byteLength} bytes) and ${MODEL.name}-${MODEL.version}.yaml`);

  if (!process.argv.includes('--no-register')) await register(document, bytes);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
