import { formatShape, OnnxSignature, TensorSignature } from '../onnx/onnx-signature';
import type { ScoringProblem } from '../scoring-error';
import type { FeatureServiceFacts } from '../../features/registry/feature-registry.query';
import { FEATURES_INPUT_NAME, ModelMetadata } from './model-document';
import type { ModelFeature, TensorDeclaration } from './model-version';

/** Feature types that convert losslessly enough to float32 for scoring. */
const NUMERIC_FEATURE_TYPES = new Set(['integer', 'number', 'boolean']);

export interface SignatureCheck {
  problems: ScoringProblem[];
  warnings: string[];
  features: ModelFeature[];
  inputs: TensorDeclaration[];
  outputs: TensorDeclaration[];
}

const isVariable = (d: number | string | undefined): boolean => typeof d === 'string' || d === -1;
const list = (names: string[]): string => (names.length ? names.join(', ') : '(none)');

/**
 * Checks an ONNX model's inputs and outputs against its feature service and declared request inputs.
 * Pure: every mismatch is collected so one error lists them all. Fields name the document path
 * (`requestInputs[0].type`) or the model part (`file.inputs.features`).
 */
export function checkModelSignature(meta: ModelMetadata, service: FeatureServiceFacts | null, onnx: OnnxSignature): SignatureCheck {
  const problems: ScoringProblem[] = [];
  const warnings: string[] = [];
  const problem = (field: string, reason: string): void => void problems.push({ field, reason });
  const modelInputs = new Map(onnx.inputs.map((i) => [i.name, i]));
  const inputNames = onnx.inputs.map((i) => i.name);

  // Feature service: it must exist and every feature must be numeric to feed a float tensor.
  if (!service) problem('featureService', `feature service ${meta.featureService} is not in the registry`);
  const unchecked = new Map<string, string[]>();
  for (const f of service?.features ?? []) {
    if (!f.viewFound) problem('featureService', `feature ${f.ref}: feature view ${f.view} is not in the registry`);
    else if (!f.inView) problem('featureService', `feature ${f.ref}: feature view ${f.view} has no feature ${f.feature}`);
    else if (f.type === null) unchecked.set(f.view, [...(unchecked.get(f.view) ?? []), f.feature]);
    else if (!NUMERIC_FEATURE_TYPES.has(f.type)) problem('featureService', `feature ${f.ref} has type ${f.type}; only integer, number or boolean features can feed the float32 features tensor`);
  }
  // Types come from the offline table; before the source port has one they cannot be checked yet.
  for (const [view, names] of unchecked) warnings.push(`feature view ${view}: types of ${names.join(', ')} not checked (its source has no offline table yet)`);
  const featureCount = service?.features.length ?? null;

  // The features tensor: float32 [N, F], batch dimension variable, F fixed to the service's count.
  const features = modelInputs.get(FEATURES_INPUT_NAME);
  const field = `file.inputs.${FEATURES_INPUT_NAME}`;
  const expected = `float32 [N, ${featureCount ?? 'F'}]${service ? ` in the order of feature service ${service.name}` : ''}`;
  if (!features) {
    problem('file.inputs', `model has no input "${FEATURES_INPUT_NAME}" (expected ${expected}); its inputs are: ${list(inputNames)}`);
  } else if (features.type === 'non-tensor') {
    problem(field, `input "${FEATURES_INPUT_NAME}" is not a tensor; expected ${expected}`);
  } else {
    if (features.type !== 'float32') problem(field, `input "${FEATURES_INPUT_NAME}" has element type ${features.type}; expected float32`);
    if (features.shape.length !== 2) {
      problem(field, `input "${FEATURES_INPUT_NAME}" has shape ${formatShape(features.shape)}; expected rank 2 [N, ${featureCount ?? 'F'}]`);
    } else {
      checkBatch(features, 'input', field, problem);
      const cols = features.shape[1];
      if (featureCount !== null && isVariable(cols)) {
        problem(field, `input "${FEATURES_INPUT_NAME}" has a variable column dimension (${cols}); it must be fixed to the ${featureCount} features of ${meta.featureService}`);
      } else if (featureCount !== null && cols !== featureCount) {
        problem(field, `input "${FEATURES_INPUT_NAME}" has ${cols} columns; feature service ${meta.featureService} has ${featureCount} features (${service!.features.map((f) => f.ref).join(', ')})`);
      }
    }
  }

  // Request-time inputs: declared ones must exist with the same type and shape; no input may be left over.
  meta.requestInputs.forEach((decl, i) => {
    const actual = modelInputs.get(decl.name);
    const at = `requestInputs[${i}]`;
    if (!actual) return problem(at, `request input "${decl.name}" is not an input of the model; its inputs are: ${list(inputNames)}`);
    if (actual.type !== decl.type) problem(`${at}.type`, `request input "${decl.name}" has element type ${actual.type} in the model; declared ${decl.type}`);
    if (!shapesAgree(decl.shape!, actual.shape)) problem(`${at}.shape`, `request input "${decl.name}" has shape ${formatShape(actual.shape)} in the model; declared ${formatShape(decl.shape!)}`);
    checkBatch(actual, 'input', `file.inputs.${decl.name}`, problem);
  });
  const declared = new Set([FEATURES_INPUT_NAME, ...meta.requestInputs.map((r) => r.name)]);
  for (const name of inputNames) {
    if (!declared.has(name)) problem(`file.inputs.${name}`, `input "${name}" is neither "${FEATURES_INPUT_NAME}" nor a declared request input (declare it under requestInputs)`);
  }

  // Outputs: one value per row, so each has a variable batch dimension; declared ones must match.
  for (const out of onnx.outputs) {
    if (out.type === 'non-tensor') problem(`file.outputs.${out.name}`, `output "${out.name}" is not a tensor (maps and sequences are not supported)`);
    else if (out.shape.length > 0) checkBatch(out, 'output', `file.outputs.${out.name}`, problem);
  }
  const modelOutputs = new Map(onnx.outputs.map((o) => [o.name, o]));
  (meta.declaredOutputs ?? []).forEach((decl, i) => {
    const actual = modelOutputs.get(decl.name);
    const at = `outputs[${i}]`;
    if (!actual) return problem(at, `output "${decl.name}" is not an output of the model; its outputs are: ${list(onnx.outputs.map((o) => o.name))}`);
    if (actual.type !== decl.type) problem(`${at}.type`, `output "${decl.name}" has element type ${actual.type} in the model; declared ${decl.type}`);
    if (decl.shape && actual.shape.length > 0 && !shapesAgree(decl.shape, actual.shape)) {
      problem(`${at}.shape`, `output "${decl.name}" has shape ${formatShape(actual.shape)} in the model; declared ${formatShape(decl.shape)}`);
    }
  });

  // Imputation needs a declared default for every feature, and defaults only for features.
  const refs = new Set(service?.features.map((f) => f.ref) ?? []);
  if (meta.onMissing === 'impute' && service) {
    const missing = [...refs].filter((r) => meta.defaults[r] === undefined);
    if (missing.length) problem('defaults', `onMissing: impute needs a default for every feature; missing: ${missing.join(', ')}`);
  }
  if (service) {
    for (const key of Object.keys(meta.defaults)) if (!refs.has(key)) problem(`defaults["${key}"]`, `${key} is not a feature of feature service ${service.name}`);
  }

  return {
    problems,
    warnings,
    features: (service?.features ?? []).map((f) => ({ ref: f.ref, type: f.type })),
    inputs: onnx.inputs.map(toDeclaration),
    outputs: onnx.outputs.map(toDeclaration),
  };
}

function checkBatch(t: TensorSignature, what: string, field: string, problem: (f: string, r: string) => void): void {
  if (!isVariable(t.shape[0])) {
    problem(field, `${what} "${t.name}" has a fixed batch dimension of ${t.shape[0]}; the first dimension must be symbolic (e.g. N) or -1 so a request can score any number of rows`);
  }
}

/** Same rank; fixed sizes equal; a variable dimension on either side matches (the batch is checked apart). */
function shapesAgree(declared: readonly (number | string)[], actual: readonly (number | string)[]): boolean {
  if (declared.length !== actual.length) return false;
  return declared.every((d, i) => isVariable(d) || isVariable(actual[i]) || d === actual[i]);
}

function toDeclaration(t: TensorSignature): TensorDeclaration {
  return { name: t.name, type: t.type, shape: t.shape };
}
