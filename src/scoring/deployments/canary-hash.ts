import { hash32 } from '../../common/hash/hash32';

/**
 * Sticky canary routing: a row goes to the canary when the hash of its join-key values falls in the
 * first `percent` of 10 000 buckets. The same entity always lands in the same bucket (across calls,
 * replicas and restarts), and raising the percentage only adds entities to the canary, never moves
 * one back. The model name salts the hash so two models' canaries do not pick the same entities.
 */
export const BUCKETS = 10_000;

/** Join-key values as text: 1001 and "1001" are the same entity, as they are in the online store. */
function keyText(v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v) ?? 'null';
}

/** Bucket 0..9999 of one entity row; `keys` are the row's join-key name/value pairs in any order. */
export function entityBucket(model: string, keys: readonly (readonly [string, unknown])[]): number {
  const parts = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k, v]) => `${k}=${keyText(v)}`);
  return hash32(`${model}\u0000${parts.join('\u0000')}`) % BUCKETS;
}

/** Whether a bucket is in the canary's share; percent may have two decimals (0.25 %). */
export function inCanary(bucket: number, percent: number): boolean {
  return bucket < Math.round(percent * (BUCKETS / 100));
}
