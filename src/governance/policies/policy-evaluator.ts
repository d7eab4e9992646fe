import type { ProductSnapshot } from '../../catalog/apply/product-snapshot';
import { evaluateRule, Violation } from './cel-program';
import { policyBindings } from './policy-context';
import type { PolicyRecord } from './policy-record';

export interface PolicyResult {
  policyId: string;
  name: string;
  title: string;
  category: string;
  severity: 'blocking' | 'warning';
  outcome: 'pass' | 'fail' | 'error';
  violations: Violation[];
  error: string | null;
}

/** Every policy over one product. A rule that errors is an `error` result, never an exception. */
export function evaluateProduct(snapshot: ProductSnapshot, policies: readonly PolicyRecord[]): PolicyResult[] {
  const bindings = policyBindings(snapshot);
  return policies.map((p) => {
    const r = evaluateRule(p.policy.rule, bindings, p.policy.message, p.policy.path ?? '');
    return {
      policyId: p.id,
      name: p.name,
      title: p.policy.title,
      category: p.policy.category,
      severity: p.policy.severity,
      outcome: r.outcome,
      violations: r.violations,
      error: r.outcome === 'error' ? r.error : null,
    };
  });
}

/** Fail and error results as violations to report: an erroring rule is a violation carrying the error. */
export function violationsOf(r: PolicyResult): Violation[] {
  if (r.outcome === 'error') return [{ path: '', reason: `rule could not be evaluated: ${r.error}` }];
  return r.violations;
}

/** A product complies when no blocking policy fails or errors. */
export const isCompliant = (results: readonly PolicyResult[]): boolean => !results.some((r) => r.severity === 'blocking' && r.outcome !== 'pass');
