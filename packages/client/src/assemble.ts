import type { ModelBundle } from './bundle';

/** Feast's get-online-features answer (full feature names): join-key columns first, then one per feature. */
export interface OnlineFeaturesAnswer {
  metadata: { feature_names: string[] };
  results: { values: unknown[]; statuses: string[]; event_timestamps: string[] }[];
}

export type RowStatus = 'PRESENT' | 'NOT_FOUND' | 'NULL_VALUE' | 'OUTSIDE_MAX_AGE' | 'IMPUTED';

export interface AssembledRow {
  features: Record<string, number | null>;
  /** A feature status of the online answer, or IMPUTED (see RowStatus). */
  statuses: Record<string, string>;
  rejected?: string;
}

export interface Assembly {
  rows: AssembledRow[];
  /** Row indexes scored, in order. */
  accepted: number[];
  /** [accepted.length, features] float32 in the bundle's feature order. */
  tensor: Float32Array;
}

function numeric(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/**
 * The service's rule (ADR 0032 pins it as part of the bundle contract): each row takes the bundle's
 * features in order; a feature not PRESENT is imputed with the bundle's default under
 * `onMissing: impute`, else the row is rejected and says why. Rejected rows are never scored.
 */
export function assembleFeatures(bundle: ModelBundle, online: OnlineFeaturesAnswer, joinKeyColumns: number): Assembly {
  const refs = bundle.features.map((f) => f.ref);
  const byName = new Map(online.metadata.feature_names.map((n, i) => [n, online.results[i]]));
  const columns = refs.map((r, j) => byName.get(r) ?? online.results[joinKeyColumns + j]);
  const rowCount = online.results[0]?.values.length ?? 0;
  const width = refs.length;
  const rows: AssembledRow[] = [];
  const accepted: number[] = [];
  const scratch = new Float32Array(rowCount * width);
  for (let i = 0; i < rowCount; i++) {
    const features: Record<string, number | null> = {};
    const statuses: Record<string, string> = {};
    const reasons: string[] = [];
    const base = accepted.length * width;
    for (let j = 0; j < width; j++) {
      const ref = refs[j];
      const col = columns[j];
      let status: string = col ? col.statuses[i] : 'NOT_FOUND';
      let value = status === 'PRESENT' ? numeric(col.values[i]) : null;
      if (status === 'PRESENT' && value === null) reasons.push(`${ref} NOT_NUMERIC`);
      if (status !== 'PRESENT') {
        const fallback = bundle.onMissing === 'impute' ? bundle.defaults[ref] : undefined;
        if (fallback !== undefined) {
          value = fallback;
          status = 'IMPUTED';
        } else reasons.push(bundle.onMissing === 'impute' ? `${ref} ${status} (no default)` : `${ref} ${status}`);
      }
      features[ref] = value;
      statuses[ref] = status;
      scratch[base + j] = value ?? 0;
    }
    if (reasons.length > 0) rows.push({ features, statuses, rejected: reasons.join(', ') });
    else {
      rows.push({ features, statuses });
      accepted.push(i);
    }
  }
  return { rows, accepted, tensor: scratch.subarray(0, accepted.length * width) };
}
