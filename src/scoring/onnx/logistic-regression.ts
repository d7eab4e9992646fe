/**
 * Plain TypeScript logistic regression: the reference the ONNX graph is checked against, and what
 * the training code fits. Inputs are the feature columns followed by the request-time inputs.
 */
export interface LogisticRegressionParams {
  /** One weight per input column: features in service order, then request-input columns. */
  weights: number[];
  bias: number;
}

export function sigmoid(z: number): number {
  // Split by sign so exp never overflows for large |z|.
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export function logit(params: LogisticRegressionParams, row: ArrayLike<number>): number {
  if (row.length !== params.weights.length) throw new RangeError(`row has ${row.length} values; the model has ${params.weights.length} weights`);
  let z = params.bias;
  for (let i = 0; i < row.length; i++) z += params.weights[i] * row[i];
  return z;
}

export function predictProbability(params: LogisticRegressionParams, row: ArrayLike<number>): number {
  return sigmoid(logit(params, row));
}

/** The parameters as float32, i.e. exactly what the ONNX initializers hold. */
export function toFloat32Params(params: LogisticRegressionParams): LogisticRegressionParams {
  return { weights: Array.from(Float32Array.from(params.weights)), bias: Math.fround(params.bias) };
}
