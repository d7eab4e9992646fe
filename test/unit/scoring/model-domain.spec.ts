import fc from 'fast-check';
import { resolveModelDomain } from '../../../src/scoring/registry/model-domain';

describe('resolveModelDomain(declared, featureService, sourceDomains)', () => {
  it('takes a declared domain over whatever the features read', () => {
    expect(resolveModelDomain('risk', 'svc', ['rides', 'payments'])).toEqual({ domain: 'risk' });
  });

  it('derives the single source domain, however many views share it', () => {
    expect(resolveModelDomain(null, 'svc', ['shop', 'shop'])).toEqual({ domain: 'shop' });
  });

  it('refuses several or no source domains, naming `domain` and the candidates', () => {
    expect(resolveModelDomain(undefined, 'svc', ['rides', 'payments'])).toEqual({
      candidates: ['payments', 'rides'],
      problem: { field: 'domain', reason: 'feature service svc reads data products of several domains (payments, rides); declare domain: the one that owns the model' },
    });
    expect(resolveModelDomain(null, 'svc', [])).toEqual({
      candidates: [],
      problem: { field: 'domain', reason: "feature service svc reads no data product of a known domain, so the model's domain cannot be derived; declare domain" },
    });
  });

  it('property: derived exactly when undeclared and the sources have one distinct domain', () => {
    const domain = fc.constantFrom('a', 'b', 'c');
    fc.assert(
      fc.property(fc.option(domain, { nil: null }), fc.array(domain, { maxLength: 5 }), (declared, sources) => {
        const r = resolveModelDomain(declared, 'svc', sources);
        if (declared) return 'domain' in r && r.domain === declared;
        const distinct = new Set(sources);
        return distinct.size === 1 ? 'domain' in r && r.domain === sources[0] : 'problem' in r && r.candidates.length === distinct.size && r.problem.field === 'domain';
      }),
    );
  });
});
