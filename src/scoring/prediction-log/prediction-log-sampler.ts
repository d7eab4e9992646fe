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

/** FNV-1a over UTF-16 code units, finished with murmur3's fmix32 so nearby ids spread evenly; in [0, 1). */
export function unitHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** The rate a version logs at: the per-model setting, else its Model document's `predictionLog.sampleRate`, else 1. */
export function resolveRate(override: number | null, documentRate: unknown): number {
  if (override !== null && Number.isFinite(override)) return override;
  if (typeof documentRate === 'number' && documentRate >= 0 && documentRate <= 1) return documentRate;
  return 1;
}
