/**
 * Population stability index between a reference (training) and a current (serving) sample of one
 * numeric feature, over bins cut at the reference's quantiles. Pure and exact; the SQL side only
 * supplies bin edges and counts.
 *
 *   PSI = Σ_i (c_i − r_i) · ln(c_i / r_i)
 *
 * with r_i, c_i the shares of the reference and current samples in bin i. Empty bins get EPSILON so
 * the logarithm stays finite (the usual convention). Rule of thumb: < 0.1 stable, 0.1–0.2 moderate,
 * > 0.2 significant shift.
 */
export const EPSILON = 1e-4;

export function psi(reference: number[], current: number[]): number {
  if (reference.length !== current.length) throw new Error(`bins differ: ${reference.length} reference, ${current.length} current`);
  const rTotal = sum(reference);
  const cTotal = sum(current);
  if (rTotal === 0 || cTotal === 0) return 0;
  let total = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max(reference[i] / rTotal, EPSILON);
    const c = Math.max(current[i] / cTotal, EPSILON);
    total += (c - r) * Math.log(c / r);
  }
  return total;
}

/**
 * Bin edges at the reference's quantiles (deciles by default), deduplicated so constant or
 * low-cardinality features get fewer, wider bins. Bin i holds edges[i-1] < x <= edges[i]; the first
 * bin is (-inf, edges[0]], the last (edges[n-1], +inf).
 */
export function quantileEdges(sortedReference: number[], bins = 10): number[] {
  if (sortedReference.length === 0) return [];
  const edges: number[] = [];
  for (let q = 1; q < bins; q++) {
    const pos = (q / bins) * (sortedReference.length - 1);
    const lo = Math.floor(pos);
    const value = sortedReference[lo] + (sortedReference[Math.min(lo + 1, sortedReference.length - 1)] - sortedReference[lo]) * (pos - lo);
    if (edges.length === 0 || value > edges[edges.length - 1]) edges.push(value);
  }
  return edges;
}

/** Counts per bin of `values` for the given edges (edges.length + 1 bins). */
export function binCounts(values: number[], edges: number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) {
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v <= edges[mid]) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]++;
  }
  return counts;
}

function sum(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
