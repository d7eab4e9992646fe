import type { FeatureValueType } from '../../features/registry/resolved-feature-view';
import type { PopulationKey } from '../../features/retrieval/feature-population.query';
import type { ModelVersionView, TensorDeclaration } from '../registry/model-version';

/** The columns every predictions port has besides the entity keys and the outputs. */
export const AS_OF = 'as_of';
export const MODEL = 'model';
export const MODEL_VERSION = 'model_version';

/** One column of a predictions port, as the contract declares it. */
export interface PredictionColumn {
  name: string;
  logicalType: FeatureValueType;
  role: 'key' | 'as_of' | 'model' | 'version' | 'output';
  description: string;
}

const ELEMENT_TYPES: Record<string, FeatureValueType> = {
  float: 'number',
  float16: 'number',
  float32: 'number',
  float64: 'number',
  double: 'number',
  int8: 'integer',
  int16: 'integer',
  int32: 'integer',
  int64: 'integer',
  uint8: 'integer',
  uint16: 'integer',
  uint32: 'integer',
  uint64: 'integer',
  bool: 'boolean',
  string: 'string',
};

/** Values per row of an output: 1 for [N] and [N, 1] (a scalar column), else an array column. */
export function perRowElements(shape: TensorDeclaration['shape']): number | null {
  if (!shape || shape.length <= 1) return 1;
  const rest = shape.slice(1);
  if (rest.some((d) => typeof d !== 'number' || d < 1)) return null;
  return (rest as number[]).reduce((a, b) => a * b, 1);
}

function outputType(o: TensorDeclaration): FeatureValueType {
  const element = ELEMENT_TYPES[o.type.replace(/^tensor\((.*)\)$/, '$1')] ?? 'number';
  return perRowElements(o.shape) === 1 ? element : 'array';
}

/**
 * The columns of a model version's predictions (ADR 0035): the entity keys, `as_of`, `model`,
 * `model_version` (together the primary key: one row per entity, time and version), then one column
 * per model output, typed from the ONNX output (a scalar per row, else an array).
 */
export function predictionColumns(version: ModelVersionView, keys: readonly PopulationKey[]): PredictionColumn[] {
  return [
    ...keys.map((k) => ({ name: k.name, logicalType: k.type, role: 'key' as const, description: `Join key ${k.name} of the scored entity.` })),
    { name: AS_OF, logicalType: 'timestamp', role: 'as_of', description: 'Point in time the features were read as of (point-in-time correct, offline store).' },
    { name: MODEL, logicalType: 'string', role: 'model', description: 'Name of the model that produced the row.' },
    { name: MODEL_VERSION, logicalType: 'string', role: 'version', description: 'Semantic version of the model that produced the row.' },
    ...version.outputs.map((o) => ({ name: o.name, logicalType: outputType(o), role: 'output' as const, description: `Output ${o.name} of the model (${o.type}).` })),
  ];
}

/** The ODCS v3.1 contract of a predictions port, ready to commit next to the model's data product. */
export function predictionsContract(version: ModelVersionView, keys: readonly PopulationKey[], output: { dataProduct: string; outputPort: string }): Record<string, unknown> {
  const columns = predictionColumns(version, keys);
  let position = 0;
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: `${output.dataProduct}-${output.outputPort}-v1`,
    name: `${output.dataProduct}-${output.outputPort}`,
    version: '1.0.0',
    status: 'active',
    ...(version.domain ? { domain: version.domain } : {}),
    description: {
      purpose: `Precomputed scores of model ${version.name}: one row per entity, as-of time and model version, written by batch scoring jobs.`,
      usage: `Read the rows, or the online feature view over this port through /get-online-features. Derived from ${version.name} ${version.version}.`,
    },
    schema: [
      {
        name: output.outputPort.replace(/-/g, '_'),
        physicalType: 'table',
        description: `Batch predictions of ${version.name}.`,
        properties: columns.map((c) => ({
          name: c.name,
          description: c.description,
          logicalType: c.logicalType,
          ...(c.logicalType === 'array' ? { items: { logicalType: 'number' } } : {}),
          required: c.role !== 'output',
          ...(c.role !== 'output' ? { primaryKey: true, primaryKeyPosition: ++position } : {}),
          classification: 'internal',
        })),
      },
    ],
  };
}

/** Why a port's offline table cannot take the predictions (empty: it can). */
export function columnMismatches(expected: readonly PredictionColumn[], actual: readonly { name: string; logicalType: string }[]): string[] {
  const byName = new Map(actual.map((c) => [c.name, c]));
  const problems: string[] = [];
  for (const c of expected) {
    const found = byName.get(c.name);
    if (!found) problems.push(`no column ${c.name} (${c.logicalType})`);
    else if (found.logicalType !== c.logicalType) problems.push(`column ${c.name} is ${found.logicalType}, the model gives ${c.logicalType}`);
  }
  return problems;
}
