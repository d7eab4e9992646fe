import type { OnnxSignature } from '../../../src/scoring/onnx/onnx-signature';
import type { FeatureServiceFacts } from '../../../src/features/registry/feature-registry.query';
import { parseModelDocument } from '../../../src/scoring/registry/model-document';
import { checkModelSignature } from '../../../src/scoring/registry/model-signature-check';

const service = (types: (string | null)[] = ['number', 'integer', 'boolean']): FeatureServiceFacts => ({
  name: 'svc',
  sourceProducts: ['p'],
  features: types.map((type, i) => ({ ref: `v:f${i}`, view: 'v', feature: `f${i}`, viewFound: true, inView: true, type })),
});
const onnx = (over: Partial<OnnxSignature> = {}): OnnxSignature => ({
  inputs: [{ name: 'features', type: 'float32', shape: ['N', 3] }],
  outputs: [{ name: 'probability', type: 'float32', shape: ['N', 1] }],
  ...over,
});
const meta = (over: Record<string, unknown> = {}) => parseModelDocument({ name: 'm', version: '1.0.0', featureService: 'svc', ...over });
const check = (o: Partial<OnnxSignature> = {}, m: Record<string, unknown> = {}, s: FeatureServiceFacts | null = service()) => checkModelSignature(meta(m), s, onnx(o));

describe('model signature check', () => {
  it('accepts float32 [N, F] features and records features, inputs and outputs', () => {
    const r = check();
    expect(r.problems).toEqual([]);
    expect(r.features).toEqual([
      { ref: 'v:f0', type: 'number' },
      { ref: 'v:f1', type: 'integer' },
      { ref: 'v:f2', type: 'boolean' },
    ]);
    expect(r.outputs).toEqual([{ name: 'probability', type: 'float32', shape: ['N', 1] }]);
  });

  it('accepts -1 as the batch dimension', () => {
    expect(check({ inputs: [{ name: 'features', type: 'float32', shape: [-1, 3] }], outputs: [{ name: 'probability', type: 'float32', shape: [-1, 1] }] }).problems).toEqual([]);
  });

  it('lists every problem of a badly shaped model at once', () => {
    const r = check({
      inputs: [
        { name: 'features', type: 'float64', shape: [1, 4] },
        { name: 'extra', type: 'int64', shape: ['N', 1] },
      ],
      outputs: [{ name: 'probability', type: 'float32', shape: [1, 1] }],
    });
    expect(r.problems).toEqual([
      { field: 'file.inputs.features', reason: 'input "features" has element type float64; expected float32' },
      { field: 'file.inputs.features', reason: expect.stringContaining('input "features" has a fixed batch dimension of 1; the first dimension must be symbolic (e.g. N) or -1') },
      { field: 'file.inputs.features', reason: 'input "features" has 4 columns; feature service svc has 3 features (v:f0, v:f1, v:f2)' },
      { field: 'file.inputs.extra', reason: 'input "extra" is neither "features" nor a declared request input (declare it under requestInputs)' },
      { field: 'file.outputs.probability', reason: expect.stringContaining('output "probability" has a fixed batch dimension of 1') },
    ]);
  });

  it('names a missing features input and a variable column count', () => {
    expect(check({ inputs: [{ name: 'x', type: 'float32', shape: ['N', 3] }] }, { requestInputs: [{ name: 'x', type: 'float32', shape: ['N', 3] }] }).problems).toEqual([
      { field: 'file.inputs', reason: 'model has no input "features" (expected float32 [N, 3] in the order of feature service svc); its inputs are: x' },
    ]);
    expect(check({ inputs: [{ name: 'features', type: 'float32', shape: ['N', 'M'] }] }).problems).toEqual([
      { field: 'file.inputs.features', reason: 'input "features" has a variable column dimension (M); it must be fixed to the 3 features of svc' },
    ]);
  });

  it('checks declared request inputs by name, element type and shape', () => {
    const r = check(
      {
        inputs: [
          { name: 'features', type: 'float32', shape: ['N', 3] },
          { name: 'km', type: 'int64', shape: ['N', 2] },
        ],
      },
      {
        requestInputs: [
          { name: 'km', type: 'float32', shape: ['N', 1] },
          { name: 'hour', type: 'int32', shape: [-1, 1] },
        ],
      },
    );
    expect(r.problems).toEqual([
      { field: 'requestInputs[0].type', reason: 'request input "km" has element type int64 in the model; declared float32' },
      { field: 'requestInputs[0].shape', reason: 'request input "km" has shape [N, 2] in the model; declared [N, 1]' },
      { field: 'requestInputs[1]', reason: 'request input "hour" is not an input of the model; its inputs are: features, km' },
    ]);
  });

  it('refuses non-numeric features, unknown views and features, and only warns on unknown types', () => {
    const s = service(['string', null, 'number']);
    s.features.push({ ref: 'gone:x', view: 'gone', feature: 'x', viewFound: false, inView: false, type: null });
    s.features.push({ ref: 'v:nope', view: 'v', feature: 'nope', viewFound: true, inView: false, type: null });
    const r = check({ inputs: [{ name: 'features', type: 'float32', shape: ['N', 5] }] }, {}, s);
    expect(r.problems).toEqual([
      { field: 'featureService', reason: 'feature v:f0 has type string; only integer, number or boolean features can feed the float32 features tensor' },
      { field: 'featureService', reason: 'feature gone:x: feature view gone is not in the registry' },
      { field: 'featureService', reason: 'feature v:nope: feature view v has no feature nope' },
    ]);
    expect(r.warnings).toEqual(['feature view v: types of f1 not checked (its source has no offline table yet)']);
  });

  it('refuses an unknown feature service', () => {
    expect(check({}, {}, null).problems).toEqual([{ field: 'featureService', reason: 'feature service svc is not in the registry' }]);
  });

  it('needs a default for every feature when imputing, and defaults only for features', () => {
    expect(check({}, { onMissing: 'impute', defaults: { 'v:f0': 0, 'v:zz': 1 } }).problems).toEqual([
      { field: 'defaults', reason: 'onMissing: impute needs a default for every feature; missing: v:f1, v:f2' },
      { field: 'defaults["v:zz"]', reason: 'v:zz is not a feature of feature service svc' },
    ]);
  });

  it('checks declared outputs against the model', () => {
    expect(
      check(
        {},
        {
          outputs: [
            { name: 'probability', type: 'float64' },
            { name: 'label', type: 'int64', shape: ['N'] },
          ],
        },
      ).problems,
    ).toEqual([
      { field: 'outputs[0].type', reason: 'output "probability" has element type float32 in the model; declared float64' },
      { field: 'outputs[1]', reason: 'output "label" is not an output of the model; its outputs are: probability' },
    ]);
  });
});

describe('Model document', () => {
  it('names each invalid field', () => {
    let error: unknown;
    try {
      parseModelDocument({ name: 'Bad Name', version: 'one', featureService: 'svc', onMissing: 'guess', requestInputs: [{ name: 'features', type: 'float32', shape: [1, 'M'] }] }, 'metadata');
    } catch (err) {
      error = err;
    }
    expect((error as { code: string }).code).toBe('INVALID_METADATA');
    expect((error as { details: { field: string }[] }).details.map((d) => d.field).sort()).toEqual([
      'metadata.name',
      'metadata.onMissing',
      'metadata.requestInputs[0].name',
      'metadata.requestInputs[0].shape[0]',
      'metadata.requestInputs[0].shape[1]',
      'metadata.version',
    ]);
  });

  it('normalizes the version, keeps unknown fields apart and ignores file', () => {
    const m = parseModelDocument({ apiVersion: 'tessera/v1', kind: 'Model', name: 'm', version: 'v1.2.3', featureService: 'svc', file: 'm.onnx', team: 'x' });
    expect(m.version).toBe('1.2.3');
    expect(m.extra).toEqual({ team: 'x' });
    expect(m.onMissing).toBe('reject');
    expect(JSON.stringify(m)).not.toContain('m.onnx');
  });
});
