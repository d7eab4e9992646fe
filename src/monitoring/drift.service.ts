import { Injectable, Optional } from '@nestjs/common';
import { TesseraConfig } from '../config/tessera-config';
import { TrainingDatasetQuery } from '../features/datasets/training-dataset.query';
import { MetricsService } from '../observability/metrics/metrics.service';
import type { FeedBlock } from '../scoring/prediction/feed-block';
import { ModelSessionCache } from '../scoring/prediction/model-session.cache';
import { ModelTrafficQuery } from '../scoring/query/model-traffic.query';
import { ModelRegistryService } from '../scoring/registry/model-registry.service';
import type { ModelVersionView } from '../scoring/registry/model-version';
import { MonitoringError, MonitoringErrorCode } from './monitoring-error';
import { binCounts, psi, quantileEdges } from './psi';
import { servingSample } from './serving-sample';

/** Rows per side: enough for decile bins to be stable (±1% per bin), cheap to pull. */
export const SAMPLE_ROWS = 50_000;

export interface FeatureDrift {
  feature: string;
  psi: number | null;
  trainingMissingRate: number;
  servingMissingRate: number;
  drifted: boolean;
}

export interface OutputDrift {
  output: string;
  psi: number | null;
  drifted: boolean;
}

export interface DriftReport {
  model: string;
  version: string;
  trainingDataset: string;
  since: Date;
  until: Date;
  trainingRows: number;
  servingRows: number;
  threshold: number;
  drifted: boolean;
  features: FeatureDrift[];
  predictions: OutputDrift[];
  /** Why a part could not be computed (e.g. predictions of a model with request-time inputs). */
  notes: string[];
}

export interface DriftHistory {
  model: string;
  version: string;
  trainingDataset: string;
  trainingRows: number;
  threshold: number;
  windowMinutes: number;
  /** Consecutive windows, oldest first. */
  windows: DriftReport[];
}

/** At most this many windows per history: each one reads up to SAMPLE_ROWS logged rows. */
export const MAX_HISTORY_WINDOWS = 48;
const MIN_WINDOW_MS = 60_000;
/** A year: the prediction log is pruned long before that. */
const MAX_WINDOW_MS = 366 * 86_400_000;

interface Baseline {
  model: ModelVersionView;
  datasetId: string;
  features: string[];
  training: (number | null)[][];
  threshold: number;
  /** The model's outputs on the training rows, or why there are none; computed on first use. */
  outputs?: Promise<Record<string, unknown[]> | string>;
}

/** Fewer serving rows than this and a PSI says more about sampling noise than about drift. */
const MIN_SERVING_ROWS = 100;

/**
 * Feature and prediction drift of a model version: its prediction log against its training dataset
 * (the model card's trainingDatasetId). PSI over decile bins of the training values, missing-value
 * rates on both sides; prediction drift compares the logged outputs with the model's own outputs on
 * the training rows (run in-process, so no stored baseline can go stale).
 */
@Injectable()
export class DriftService {
  constructor(
    private readonly datasets: TrainingDatasetQuery,
    private readonly traffic: ModelTrafficQuery,
    private readonly registry: ModelRegistryService,
    private readonly sessions: ModelSessionCache,
    private readonly config: TesseraConfig,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  async report(name: string, version: string | null, since: Date, until: Date): Promise<DriftReport> {
    if (!(since.getTime() < until.getTime())) throw new MonitoringError(MonitoringErrorCode.INVALID_ARGUMENT, 'since must be before until', { field: 'since' });
    const base = await this.baseline(name, version);
    const report = await this.window(base, since, until);
    for (const d of report.features) if (d.psi !== null) this.metrics?.modelFeaturePsi.set({ model: name, version: report.version, feature: d.feature }, d.psi);
    for (const d of report.predictions) if (d.psi !== null) this.metrics?.modelFeaturePsi.set({ model: name, version: report.version, feature: `output:${d.output}` }, d.psi);
    return report;
  }

  /**
   * Drift over `windows` consecutive windows of `windowMs` ending at `until`, oldest first: each one
   * exactly what `report` answers for it. The training sample and the model's outputs on it are
   * computed once for all windows. Past windows leave the PSI gauge alone (it shows the present).
   */
  async history(name: string, version: string | null, until: Date, windowMs: number, windows: number): Promise<DriftHistory> {
    if (!Number.isInteger(windows) || windows < 1 || windows > MAX_HISTORY_WINDOWS)
      throw new MonitoringError(MonitoringErrorCode.INVALID_ARGUMENT, `windows must be an integer from 1 to ${MAX_HISTORY_WINDOWS}`, { field: 'windows', value: windows });
    if (!Number.isInteger(windowMs) || windowMs < MIN_WINDOW_MS || windowMs > MAX_WINDOW_MS)
      throw new MonitoringError(MonitoringErrorCode.INVALID_ARGUMENT, `windowMinutes must be an integer from ${MIN_WINDOW_MS / 60_000} to ${MAX_WINDOW_MS / 60_000}`, {
        field: 'windowMinutes',
        value: windowMs / 60_000,
      });
    if (!Number.isFinite(until.getTime())) throw new MonitoringError(MonitoringErrorCode.INVALID_ARGUMENT, 'until is not a valid time', { field: 'until' });
    const base = await this.baseline(name, version);
    const reports: DriftReport[] = [];
    // One window after the other: each pulls up to SAMPLE_ROWS rows, so in parallel they would crowd the pool.
    for (let i = windows; i >= 1; i--) {
      const since = new Date(until.getTime() - i * windowMs);
      reports.push(await this.window(base, since, new Date(since.getTime() + windowMs)));
    }
    return { model: name, version: base.model.version, trainingDataset: base.datasetId, trainingRows: base.training.length, threshold: base.threshold, windowMinutes: windowMs / 60_000, windows: reports };
  }

  /** What every window of a version is compared with: its training sample (and, lazily, the model's outputs on it). */
  private async baseline(name: string, version: string | null): Promise<Baseline> {
    const model = await this.registry.get(name, version);
    const datasetId = model.modelCard.trainingDatasetId;
    if (!datasetId)
      throw new MonitoringError(MonitoringErrorCode.NO_TRAINING_DATASET, `model ${name} ${model.version} has no modelCard.trainingDatasetId: nothing to compare with`, { field: 'modelCard.trainingDatasetId' });
    const ref = await this.datasets.facts(datasetId);
    if (!ref) throw new MonitoringError(MonitoringErrorCode.NO_TRAINING_DATASET, `training dataset ${datasetId} of model ${name} ${model.version} not found`, { field: 'modelCard.trainingDatasetId' });
    const features = model.features.map((f) => f.ref);
    const absent = features.filter((f) => !ref.featureColumns.has(f));
    if (absent.length > 0)
      throw new MonitoringError(MonitoringErrorCode.NO_TRAINING_DATASET, `training dataset ${datasetId} lacks feature(s) ${absent.join(', ')} of model ${name} ${model.version}`, { missing: absent });
    const training = await this.datasets.featureRows(datasetId, features, SAMPLE_ROWS);
    return { model, datasetId, features, training, threshold: this.config.driftPsiThreshold };
  }

  /** Drift of the prediction log rows in [since, until) against the baseline. */
  private async window(base: Baseline, since: Date, until: Date): Promise<DriftReport> {
    const { model, features, training, threshold } = base;
    const serving = servingSample(await this.traffic.loggedPredictions(model.name, model.version, since, until, SAMPLE_ROWS), features);
    const notes: string[] = [];
    const enough = serving.scored.length >= MIN_SERVING_ROWS;
    if (!enough) notes.push(`${serving.scored.length} scored rows logged in the window; PSI needs at least ${MIN_SERVING_ROWS}`);

    const featureDrift = features.map((f, j): FeatureDrift => {
      const trainValues = training.map((r) => r[j]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      const servingValues = serving.scored.map((r) => r.features[f]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      const value = enough ? psiOf(trainValues, servingValues) : null;
      return {
        feature: f,
        psi: value,
        trainingMissingRate: training.length === 0 ? 0 : (training.length - trainValues.length) / training.length,
        servingMissingRate: serving.total === 0 ? 0 : serving.missing.get(f)! / serving.total,
        drifted: value !== null && value > threshold,
      };
    });

    const predictions = enough ? await this.outputDrift(base, serving.scored, notes) : [];
    return {
      model: model.name,
      version: model.version,
      trainingDataset: base.datasetId,
      since,
      until,
      trainingRows: training.length,
      servingRows: serving.scored.length,
      threshold,
      drifted: featureDrift.some((d) => d.drifted) || predictions.some((d) => d.drifted),
      features: featureDrift,
      predictions,
      notes,
    };
  }

  /** The model's outputs on the training rows (computed once per baseline) against the logged ones. */
  private async outputDrift(base: Baseline, logged: { outputs: Record<string, unknown> }[], notes: string[]): Promise<OutputDrift[]> {
    base.outputs ??= this.baselineOutputs(base.model, base.training);
    const baseline = await base.outputs;
    if (typeof baseline === 'string') {
      notes.push(baseline);
      return [];
    }
    return Object.keys(baseline)
      .map((output) => {
        const ref = baseline[output].map(scalarOf).filter((v): v is number => v !== null);
        const cur = logged.map((l) => scalarOf(l.outputs[output])).filter((v): v is number => v !== null);
        if (ref.length === 0 || cur.length === 0) return null;
        const value = psiOf(ref, cur);
        return { output, psi: value, drifted: value > base.threshold };
      })
      .filter((d): d is OutputDrift & { psi: number } => d !== null);
  }

  /** The model run on its training rows (nulls imputed from its defaults, else skipped), or why it cannot be. */
  private async baselineOutputs(model: ModelVersionView, training: (number | null)[][]): Promise<Record<string, unknown[]> | string> {
    if (model.requestInputs.length > 0) return 'prediction drift skipped: the model takes request-time inputs the training dataset does not hold';
    const input = model.inputs[0];
    const k = model.features.length;
    const rows: number[][] = [];
    for (const r of training) {
      const filled = r.map((v, j) => v ?? model.defaults[model.features[j].ref] ?? null);
      if (filled.every((v) => v !== null)) rows.push(filled);
    }
    if (rows.length === 0) return 'prediction drift skipped: no training row is complete';
    const Ctor = input.type === 'float64' || input.type === 'double' ? Float64Array : Float32Array;
    const data = new Ctor(rows.length * k);
    rows.forEach((r, i) => data.set(r, i * k));
    const block: FeedBlock = { type: Ctor === Float64Array ? 'float64' : 'float32', data, dims: [rows.length, k] };
    const runner = await this.sessions.runner(model.name, model.version);
    return await runner.run({ [input.name]: block }, rows.length);
  }
}

function psiOf(reference: number[], current: number[]): number {
  const edges = quantileEdges([...reference].sort((a, b) => a - b));
  return psi(binCounts(reference, edges), binCounts(current, edges));
}

/** A numeric output value of one row: a number, or the last element of a per-row array (the positive class). */
function scalarOf(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Array.isArray(v) && v.length > 0) return scalarOf(v[v.length - 1]);
  return null;
}
