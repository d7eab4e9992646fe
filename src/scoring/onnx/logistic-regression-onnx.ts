import { LogisticRegressionParams } from './logistic-regression';
import { ELEM_TYPE_BY_NAME, ElemType, ElemTypeName, encodeModel, floatInitializer, intAttribute, node, tensorValueInfo } from './onnx-graph';

/** A request-time input: a [N, width] tensor the caller sends with each prediction request. */
export interface RequestInputSpec {
  name: string;
  type: Exclude<ElemTypeName, 'string'>;
  width: number;
}

export interface LogisticRegressionOnnxOptions extends LogisticRegressionParams {
  /** F: columns of the `features` tensor, i.e. the feature service's feature count. */
  featureCount: number;
  requestInputs?: RequestInputSpec[];
  /** Feature references in column order; recorded in the model's metadata for humans and audits. */
  featureNames?: string[];
  featuresInput?: string;
  outputName?: string;
  /** Name of the symbolic batch dimension. */
  batchDim?: string;
  docString?: string;
}

export const FEATURES_INPUT = 'features';
export const PROBABILITY_OUTPUT = 'probability';

/**
 * Logistic regression as an ONNX graph: [Cast →] Concat(features, request inputs) → MatMul(W) →
 * Add(b) → Sigmoid, giving `probability` [N, 1]. Request inputs of other numeric types are cast to
 * float32 inside the graph so callers send them in their natural type.
 */
export function buildLogisticRegressionOnnx(o: LogisticRegressionOnnxOptions): Uint8Array {
  const requestInputs = o.requestInputs ?? [];
  const width = o.featureCount + requestInputs.reduce((n, r) => n + r.width, 0);
  if (!Number.isInteger(o.featureCount) || o.featureCount < 1) throw new RangeError('featureCount must be a positive integer');
  if (o.weights.length !== width) throw new RangeError(`${o.weights.length} weights for ${width} input columns (${o.featureCount} features + request inputs)`);
  for (const r of requestInputs) if (!Number.isInteger(r.width) || r.width < 1) throw new RangeError(`request input ${r.name}: width must be a positive integer`);

  const batch = o.batchDim ?? 'N';
  const featuresInput = o.featuresInput ?? FEATURES_INPUT;
  const output = o.outputName ?? PROBABILITY_OUTPUT;
  const nodes = [];
  const columns = [featuresInput];
  for (const r of requestInputs) {
    if (r.type === 'float32') {
      columns.push(r.name);
    } else {
      columns.push(`${r.name}__float`);
      nodes.push(node('Cast', [r.name], [`${r.name}__float`], `cast_${r.name}`, [intAttribute('to', ElemType.FLOAT)]));
    }
  }
  const x = columns.length === 1 ? featuresInput : 'inputs__concat';
  if (columns.length > 1) nodes.push(node('Concat', columns, [x], 'concat_inputs', [intAttribute('axis', 1)]));
  nodes.push(node('MatMul', [x, 'weights'], ['logit__raw'], 'matmul'));
  nodes.push(node('Add', ['logit__raw', 'bias'], ['logit'], 'add_bias'));
  nodes.push(node('Sigmoid', ['logit'], [output], 'sigmoid'));

  return encodeModel({
    graphName: 'logistic_regression',
    docString: o.docString,
    nodes,
    initializers: [floatInitializer('weights', [width, 1], o.weights), floatInitializer('bias', [1], [o.bias])],
    inputs: [
      tensorValueInfo(featuresInput, ElemType.FLOAT, [batch, o.featureCount], 'feature vectors in feature service order'),
      ...requestInputs.map((r) => tensorValueInfo(r.name, ELEM_TYPE_BY_NAME[r.type], [batch, r.width], 'request-time input')),
    ],
    outputs: [tensorValueInfo(output, ElemType.FLOAT, [batch, 1], 'probability of the positive class')],
    metadata: o.featureNames ? { 'tessera.features': JSON.stringify(o.featureNames) } : undefined,
  });
}
