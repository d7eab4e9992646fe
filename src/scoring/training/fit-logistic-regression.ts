import { LogisticRegressionParams, predictProbability, sigmoid } from '../onnx/logistic-regression';

export interface FitOptions {
  learningRate?: number;
  epochs?: number;
  /** L2 penalty on the (standardized) weights, not the bias. */
  l2?: number;
}

export interface FitResult {
  /** Weights and bias on the raw feature scale: standardization is folded in. */
  params: LogisticRegressionParams;
  /** Mean log loss after each epoch (standardized space, without the penalty). */
  lossHistory: number[];
}

/**
 * Batch gradient descent on standardized columns, then the standardization is folded into the
 * weights (w / std, b − Σ w·mean / std) so the exported model takes raw feature values and needs
 * no preprocessing node. Deterministic: same data, same weights, same ONNX bytes.
 */
export function fitLogisticRegression(x: number[][], y: number[], options: FitOptions = {}): FitResult {
  const { learningRate = 0.5, epochs = 400, l2 = 1e-3 } = options;
  const n = x.length;
  if (n === 0 || y.length !== n) throw new RangeError(`need as many labels as rows (got ${n} rows, ${y.length} labels)`);
  const f = x[0].length;
  const mean = Array.from({ length: f }, (_, j) => x.reduce((s, row) => s + row[j], 0) / n);
  // A constant column gets std 1: it carries no signal and must not divide by zero.
  const std = mean.map((m, j) => Math.sqrt(x.reduce((s, row) => s + (row[j] - m) ** 2, 0) / n) || 1);
  const z = x.map((row) => row.map((v, j) => (v - mean[j]) / std[j]));

  const w = new Array<number>(f).fill(0);
  let b = 0;
  const lossHistory: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const gw = new Array<number>(f).fill(0);
    let gb = 0;
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let t = b;
      for (let j = 0; j < f; j++) t += w[j] * z[i][j];
      const p = sigmoid(t);
      const err = p - y[i];
      for (let j = 0; j < f; j++) gw[j] += err * z[i][j];
      gb += err;
      loss -= y[i] * Math.log(Math.max(p, 1e-12)) + (1 - y[i]) * Math.log(Math.max(1 - p, 1e-12));
    }
    for (let j = 0; j < f; j++) w[j] -= learningRate * (gw[j] / n + l2 * w[j]);
    b -= learningRate * (gb / n);
    lossHistory.push(loss / n);
  }
  const weights = w.map((wj, j) => wj / std[j]);
  const bias = b - w.reduce((s, wj, j) => s + (wj * mean[j]) / std[j], 0);
  return { params: { weights, bias }, lossHistory };
}

export interface BinaryMetrics {
  auc: number;
  logLoss: number;
  accuracy: number;
}

/** AUC (rank-based, ties averaged), mean log loss and accuracy at 0.5. */
export function evaluateBinary(params: LogisticRegressionParams, x: number[][], y: number[]): BinaryMetrics {
  const scored = x.map((row, i) => ({ p: predictProbability(params, row), y: y[i] }));
  const logLoss = scored.reduce((s, r) => s - (r.y * Math.log(Math.max(r.p, 1e-12)) + (1 - r.y) * Math.log(Math.max(1 - r.p, 1e-12))), 0) / scored.length;
  const accuracy = scored.filter((r) => (r.p >= 0.5 ? 1 : 0) === r.y).length / scored.length;
  const sorted = [...scored].sort((a, b) => a.p - b.p);
  let rankSumPositives = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j].p === sorted[i].p) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k].y === 1) rankSumPositives += averageRank;
    i = j;
  }
  const positives = scored.filter((r) => r.y === 1).length;
  const negatives = scored.length - positives;
  const auc = positives && negatives ? (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives) : Number.NaN;
  return { auc, logLoss, accuracy };
}
