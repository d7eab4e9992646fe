import type { ScoringProblem } from '../scoring-error';

export type ModelDomainResolution = { domain: string } | { problem: ScoringProblem; candidates: string[] };

/**
 * The domain of a model version: the one its document declares, else the single domain owning the
 * source products of its feature service's views. Pure, so registration and authorization (which
 * sees the documents of an apply before they are stored) decide alike.
 */
export function resolveModelDomain(declared: string | null | undefined, featureService: string, sourceDomains: Iterable<string>): ModelDomainResolution {
  if (declared) return { domain: declared };
  const candidates = [...new Set(sourceDomains)].sort();
  if (candidates.length === 1) return { domain: candidates[0] };
  if (candidates.length === 0) {
    return { candidates, problem: { field: 'domain', reason: `feature service ${featureService} reads no data product of a known domain, so the model's domain cannot be derived; declare domain` } };
  }
  return {
    candidates,
    problem: { field: 'domain', reason: `feature service ${featureService} reads data products of several domains (${candidates.join(', ')}); declare domain: the one that owns the model` },
  };
}

/** Why only an admin may act on a model registered before models had domains. */
export const UNOWNED_MODEL_REASON = 'it was registered before models had domains; an admin registers a version that declares its domain';
