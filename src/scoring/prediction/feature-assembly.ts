import type { FeatureStatus } from '../../features/serving/serving-request';
import type { ModelVersionView } from '../registry/model-version';

export type RowFeatureStatus = FeatureStatus | 'IMPUTED';

/** What one row fed (or would have fed) one model version. */
export interface AssembledRow {
  /** By feature reference `view:feature`, after imputation; null when missing. */
  features: Record<string, number | null>;
  statuses: Record<string, RowFeatureStatus>;
  /** Why the row was not scored, e.g. `driver_hourly_stats:conv_rate OUTSIDE_MAX_AGE`. */
  rejected?: string;
}

/** Online values by feature reference: one column of values and statuses each, rows in request order. */
export interface OnlineColumns {
  get(ref: string): { values: unknown[]; statuses: FeatureStatus[] } | undefined;
}

export interface Assembly {
  /** One per requested row index, same order as `rowIndexes`. */
  rows: AssembledRow[];
  /** Request row indexes that passed (scored), in order. */
  accepted: number[];
  /** [accepted.length, F] float32, the model's feature order. */
  tensor: Float32Array;
}

function numeric(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  // Big integers arrive as decimal text from the online store.
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/**
 * Builds the feature rows of one model version from the online read: values in the model's frozen
 * feature order, a status per feature, and the version's `onMissing` rule applied row by row
 * (reject: the row is not scored and says why; impute: the declared default, reported IMPUTED).
 */
export function assembleFeatures(model: ModelVersionView, online: OnlineColumns, rowIndexes: readonly number[]): Assembly {
  const refs = model.features.map((f) => f.ref);
  const columns = refs.map((r) => online.get(r));
  const width = refs.length;
  const rows = new Array<AssembledRow>(rowIndexes.length);
  const accepted: number[] = [];
  const scratch = new Float32Array(rowIndexes.length * width);
  rowIndexes.forEach((rowIndex, k) => {
    const features: Record<string, number | null> = {};
    const statuses: Record<string, RowFeatureStatus> = {};
    const reasons: string[] = [];
    const base = accepted.length * width;
    for (let j = 0; j < width; j++) {
      const ref = refs[j];
      const col = columns[j];
      let status: RowFeatureStatus = col ? col.statuses[rowIndex] : 'NOT_FOUND';
      let value = status === 'PRESENT' ? numeric(col!.values[rowIndex]) : null;
      if (status === 'PRESENT' && value === null) reasons.push(`${ref} NOT_NUMERIC`);
      if (status !== 'PRESENT') {
        const fallback = model.onMissing === 'impute' ? model.defaults[ref] : undefined;
        if (fallback !== undefined) {
          value = fallback;
          status = 'IMPUTED';
        } else {
          reasons.push(model.onMissing === 'impute' ? `${ref} ${status} (no default)` : `${ref} ${status}`);
        }
      }
      features[ref] = value;
      statuses[ref] = status;
      scratch[base + j] = value ?? 0;
    }
    if (reasons.length > 0) rows[k] = { features, statuses, rejected: reasons.join(', ') };
    else {
      rows[k] = { features, statuses };
      accepted.push(rowIndex);
    }
  });
  return { rows, accepted, tensor: scratch.subarray(0, accepted.length * width) };
}
