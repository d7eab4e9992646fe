import fc from 'fast-check';
import { CommonError, CommonErrorCode } from '../../src/common/errors/common-error';
import { parseBody } from '../../src/common/http/parse-body';
import { checkOnlineFeaturesBody, onlineFeaturesBody } from '../../src/features/serving/serving-request';
import { checkPredictBody } from '../../src/scoring/prediction/prediction.controller';
import { predictBody } from '../../src/scoring/prediction/predict-request';

type Outcome = { ok: true; value: unknown } | { ok: false; code: string; status: number; fields: string[] };

function outcome(check: () => { features?: string[]; feature_service?: string; entities: Record<string, unknown[]>; full_feature_names: boolean }): Outcome {
  try {
    const r = check();
    // zod drops keys it does not know; the handler reads only these.
    return { ok: true, value: { features: r.features, feature_service: r.feature_service, entities: r.entities, full_feature_names: r.full_feature_names } };
  } catch (err) {
    if (!(err instanceof CommonError)) throw err;
    const details = (err.details ?? []) as { field: string }[];
    return { ok: false, code: err.code, status: err.surface.http, fields: [...new Set(details.map((d) => d.field.split('.')[0]))].sort() };
  }
}

const viaZod = (body: unknown) => outcome(() => parseBody(onlineFeaturesBody, structuredClone(body)));
const viaAjv = (body: unknown) => outcome(() => checkOnlineFeaturesBody(structuredClone(body)));

/** The online route's compiled body check (ADR 0037) against the zod schema it is compiled from. */
describe('fast route body check of POST /get-online-features', () => {
  it('accepts exactly what zod accepts, with the same result, and refuses with the same code, naming fields zod names', () => {
    const name = fc.oneof(fc.constantFrom('', 'driver_id', 'v:f', 'customer_daily:spend'), fc.string({ maxLength: 6 }));
    const anyJson = fc.jsonValue({ maxDepth: 2 });
    const features = fc.oneof(fc.array(name, { maxLength: 4 }), anyJson);
    const entities = fc.oneof(fc.dictionary(name, fc.oneof(fc.array(anyJson, { maxLength: 3 }), anyJson), { maxKeys: 3 }), anyJson);
    const body = fc.oneof(fc.record({ features, feature_service: fc.oneof(name, anyJson), entities, full_feature_names: fc.oneof(fc.boolean(), anyJson), other: anyJson }, { requiredKeys: [] }), anyJson);
    fc.assert(
      fc.property(body, (b) => {
        const [z, a] = [viaZod(b), viaAjv(b)];
        if (z.ok || a.ok) expect(a).toEqual(z);
        else expect([a.code, a.status, a.fields.length > 0]).toEqual([z.code, z.status, z.fields.length > 0]);
        // zod also runs the refinement next to some field errors, ajv stops at them: every field named is one zod names too.
        if (!z.ok && !a.ok && z.code === 'BAD_REQUEST') expect(a.fields.filter((f) => !z.fields.includes(f))).toEqual([]);
      }),
      { numRuns: 3000, seed: 16 },
    );
  });

  it('names the field and the reason (the check can fail)', () => {
    expect(viaAjv({ features: ['v:f'], entities: { driver_id: 1 } })).toEqual({ ok: false, code: 'BAD_REQUEST', status: 400, fields: ['entities'] });
    expect(() => checkOnlineFeaturesBody({ features: ['v:f'], entities: { driver_id: 1 } })).toThrow('invalid request: entities.driver_id: must be array');
    expect(() => checkOnlineFeaturesBody({ features: ['v:f'] })).toThrow("invalid request: entities: must have required property 'entities'");
    expect(() => checkOnlineFeaturesBody({ features: ['v:f'], entities: { '': [1] } })).toThrow('invalid request: entities: key "": must NOT have fewer than 1 characters');
    expect(() => checkOnlineFeaturesBody({ features: ['v:f'], feature_service: 's', entities: {} })).toThrow(/features: give exactly one of/);
    expect(() => checkOnlineFeaturesBody('x')).toThrow('request body must be a JSON object');
    expect(checkOnlineFeaturesBody({ features: ['v:f'], entities: { driver_id: [1] } })).toEqual({ features: ['v:f'], entities: { driver_id: [1] }, full_feature_names: false });
  });
});

describe('fast route body check of POST /v1/models/:name/predict', () => {
  const fields = (err: unknown): string[] => [...new Set(((err as CommonError).details as { field: string }[]).map((d) => d.field.split('.')[0]))].sort();
  const run = (check: () => unknown): { ok: true; value: unknown } | { ok: false; code: string; fields: string[] } => {
    try {
      return { ok: true, value: check() };
    } catch (err) {
      if (!(err instanceof CommonError)) throw err;
      return { ok: false, code: err.code, fields: err.code === CommonErrorCode.BAD_REQUEST ? fields(err) : [] };
    }
  };

  it('accepts exactly what zod accepts (strict object: unknown keys refused), with the same result and codes', () => {
    const anyJson = fc.jsonValue({ maxDepth: 2 });
    const columns = fc.oneof(fc.dictionary(fc.oneof(fc.constantFrom('', 'driver_id'), fc.string({ maxLength: 4 })), fc.oneof(fc.array(anyJson, { maxLength: 3 }), anyJson), { maxKeys: 3 }), anyJson);
    const body = fc.oneof(fc.record({ entities: columns, request_features: columns, other: anyJson }, { requiredKeys: [] }), anyJson);
    fc.assert(
      fc.property(body, (b) => {
        const z = run(() => parseBody(predictBody, structuredClone(b)));
        const a = run(() => checkPredictBody(structuredClone(b)));
        if (z.ok || a.ok) expect(a).toEqual(z);
        else {
          expect(a.code).toBe(z.code);
          expect(a.fields.filter((f) => !z.fields.includes(f))).toEqual([]);
        }
      }),
      { numRuns: 3000, seed: 16 },
    );
    expect(() => checkPredictBody({ entities: {}, extra: 1 })).toThrow('invalid request: (body): must NOT have additional properties');
  });
});
