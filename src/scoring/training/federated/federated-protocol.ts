import type { LogisticRegressionParams } from '../../onnx/logistic-regression';

/** Round 1 of a site: its usable row count and per-feature sums. */
export interface SiteMoments {
  rows: number;
  sums: number[];
}

/** A gradient round of a site: sums over its rows for the current standardized weights. */
export interface SiteGradient {
  rows: number;
  /** Σ (p − y)·z_j per feature. */
  weightSums: number[];
  /** Σ (p − y). */
  biasSum: number;
  /** Σ log loss (clamped like the centralized fit), for the loss history only. */
  lossSum: number;
}

/**
 * One participant (a domain's data product). Each call returns aggregates over that domain's rows
 * only; the coordinator never sees a row (ADR 0033). Implemented in SQL, as the domain's role.
 */
export interface FederatedSite {
  readonly domain: string;
  moments(): Promise<SiteMoments>;
  /** Σ (x_j − mean_j)² per feature, for the global standard deviation. */
  centeredSquares(mean: number[]): Promise<number[]>;
  gradient(mean: number[], std: number[], weights: number[], bias: number): Promise<SiteGradient>;
}

export interface FederatedOptions {
  learningRate: number;
  epochs: number;
  /** L2 penalty on the standardized weights, not the bias (as fitLogisticRegression). */
  l2: number;
  /**
   * Fewest usable rows each site must have: with fewer, its sums and gradient sums come close to
   * its rows themselves (one row gives itself away). Checked after the first round, before any
   * aggregate leaves the coordinator or a step is taken.
   */
  minRowsPerSite: number;
}

/** Sites with fewer usable rows than the floor, by their index in the order given. */
export class TooFewRowsError extends Error {
  constructor(
    readonly sites: { index: number; domain: string; rows: number }[],
    readonly minRows: number,
  ) {
    super(`${sites.map((s) => `${s.domain} has ${s.rows} usable rows`).join('; ')}; each participant needs at least ${minRows}`);
  }
}

export interface FederatedResult {
  /** Raw-scale weights and bias (standardization folded in), what the ONNX graph holds. */
  params: LogisticRegressionParams;
  mean: number[];
  std: number[];
  /** Usable rows per participating domain, in the order given. */
  rows: { domain: string; rows: number }[];
  lossHistory: number[];
}

const sumColumns = (vectors: number[][], width: number): number[] => Array.from({ length: width }, (_, j) => vectors.reduce((s, v) => s + v[j], 0));

/**
 * The coordinator: full-batch gradient descent on standardized features over the union of the
 * sites' rows, assembled from per-site aggregates. Each step is the row-weighted mean of the sites'
 * gradient sums, so the weights equal the centralized fit on the union (fitLogisticRegression) up to
 * floating-point summation order.
 */
export async function trainFederated(sites: FederatedSite[], featureCount: number, options: FederatedOptions): Promise<FederatedResult> {
  const moments = await Promise.all(sites.map((s) => s.moments()));
  const few = moments.flatMap((m, index) => (m.rows < options.minRowsPerSite ? [{ index, domain: sites[index].domain, rows: m.rows }] : []));
  if (few.length > 0) throw new TooFewRowsError(few, options.minRowsPerSite);
  const n = moments.reduce((s, m) => s + m.rows, 0);
  if (n === 0) throw new RangeError('the participating data products have no usable rows (features and a 0/1 label all present)');
  const mean = sumColumns(
    moments.map((m) => m.sums),
    featureCount,
  ).map((s) => s / n);
  const squares = await Promise.all(sites.map((s) => s.centeredSquares(mean)));
  // A constant column gets std 1, as in the centralized fit: it carries no signal and must not divide by zero.
  const std = sumColumns(squares, featureCount).map((s) => Math.sqrt(s / n) || 1);

  const w = new Array<number>(featureCount).fill(0);
  let b = 0;
  const lossHistory: number[] = [];
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const grads = await Promise.all(sites.map((s) => s.gradient(mean, std, [...w], b)));
    const gw = sumColumns(
      grads.map((g) => g.weightSums),
      featureCount,
    );
    const gb = grads.reduce((s, g) => s + g.biasSum, 0);
    for (let j = 0; j < featureCount; j++) w[j] -= options.learningRate * (gw[j] / n + options.l2 * w[j]);
    b -= options.learningRate * (gb / n);
    lossHistory.push(grads.reduce((s, g) => s + g.lossSum, 0) / n);
  }
  const weights = w.map((wj, j) => wj / std[j]);
  const bias = b - w.reduce((s, wj, j) => s + (wj * mean[j]) / std[j], 0);
  return { params: { weights, bias }, mean, std, rows: sites.map((s, i) => ({ domain: s.domain, rows: moments[i].rows })), lossHistory };
}
