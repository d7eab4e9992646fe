/**
 * A fast, well-spread 32-bit hash of a string: FNV-1a over UTF-16 code units, finished with
 * murmur3's fmix32 so nearby inputs (1001, 1002) land far apart. Not cryptographic; for stable
 * bucketing (canary traffic, log sampling) that must agree across processes and restarts.
 */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
