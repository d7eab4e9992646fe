import type { LoggedPrediction } from '../scoring/query/model-traffic.query';

export interface ServingSample {
  /** Rows scored (not rejected), each with the feature values it used and its outputs. */
  scored: { features: Record<string, unknown>; outputs: Record<string, unknown> }[];
  /** Per feature, rows whose online value was missing (any status but PRESENT), rejected rows included. */
  missing: Map<string, number>;
  /** All logged rows, rejected ones included. */
  total: number;
}

/** The serving side of a drift comparison, from logged predictions. */
export function servingSample(rows: readonly LoggedPrediction[], features: readonly string[]): ServingSample {
  const missing = new Map(features.map((f) => [f, 0]));
  const scored: ServingSample['scored'] = [];
  for (const r of rows) {
    for (const f of features) if ((r.statuses?.[f] ?? 'NOT_FOUND') !== 'PRESENT') missing.set(f, missing.get(f)! + 1);
    if (r.rejected === null) scored.push({ features: r.features, outputs: r.outputs });
  }
  return { scored, missing, total: rows.length };
}
