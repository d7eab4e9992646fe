import { hash32 } from '../../common/hash/hash32';

/**
 * Per-request sampling: the decision is a pure function of the request id and the rate, so every row
 * of one predict call — and the production, canary and shadow entries of the same request — are kept
 * or dropped together (for the same rate), and a lower rate keeps a subset of what a higher one keeps.
 */
export function sampled(requestId: string, rate: number): boolean {
  if (!(rate > 0)) return false;
  if (rate >= 1) return true;
  return unitHash(requestId) < rate;
}

/** Position of `s` in [0, 1): the same on every instance, so a request is sampled or not everywhere. */
export function unitHash(s: string): number {
  return hash32(s) / 4294967296;
}

/** The rate a version logs at: the per-model setting, else its Model document's `predictionLog.sampleRate`, else 1. */
export function resolveRate(override: number | null, documentRate: unknown): number {
  if (override !== null && Number.isFinite(override)) return override;
  if (typeof documentRate === 'number' && documentRate >= 0 && documentRate <= 1) return documentRate;
  return 1;
}
