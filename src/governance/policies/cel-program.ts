import { celEnv, isCelError, isCelList, isCelMap, listType, mapType, parse, plan, CelScalar } from '@bufbuild/cel';
import type { CelEnv, CelMap, CelValue } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

/**
 * The variables a policy rule sees (documented in docs/adr/0010-policies-as-code.md). Declared as
 * dynamic maps/lists: documents are JSON-like, so static types would reject optional fields.
 */
export const POLICY_VARIABLES = {
  product: mapType(CelScalar.STRING, CelScalar.DYN),
  ports: listType(CelScalar.DYN),
  contracts: mapType(CelScalar.STRING, CelScalar.DYN),
  properties: listType(CelScalar.DYN),
  changes: listType(CelScalar.DYN),
} as const;

export type PolicyBindings = { [K in keyof typeof POLICY_VARIABLES]: unknown };

export interface Violation {
  path: string;
  reason: string;
}

/** pass: the rule holds; fail: violations found; error: the rule could not be evaluated (reported, never thrown). */
export type RuleOutcome = { outcome: 'pass'; violations: [] } | { outcome: 'fail'; violations: Violation[] } | { outcome: 'error'; violations: []; error: string };

type Program = (bindings: Record<string, unknown>) => unknown;

const ENV: CelEnv = celEnv({ variables: POLICY_VARIABLES, funcs: strings });
/** Compiled rules by source text: a policy revision's rule never changes, so it compiles once. */
const CACHE = new Map<string, Program>();
const CACHE_LIMIT = 1000;

/** Parses and plans a rule; throws an Error with CEL's message when it does not compile. */
export function compileRule(rule: string): Program {
  const cached = CACHE.get(rule);
  if (cached) return cached;
  const program = plan(ENV, parse(rule)) as unknown as Program;
  if (CACHE.size >= CACHE_LIMIT) CACHE.delete(CACHE.keys().next().value as string);
  CACHE.set(rule, program);
  return program;
}

/** CEL's message when the rule does not compile, else null (used by document validation). */
export function celCompileError(rule: string): string | null {
  try {
    compileRule(rule);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export function compiledRuleCount(): number {
  return CACHE.size;
}

/**
 * Evaluates a rule. It may return a bool (false: one violation at `defaultPath` with `message`) or a
 * list of violations, each a path string or a map {path, reason}; an empty list passes.
 */
export function evaluateRule(rule: string, bindings: PolicyBindings, message: string, defaultPath = ''): RuleOutcome {
  let result: unknown;
  try {
    result = compileRule(rule)(bindings);
  } catch (err) {
    return { outcome: 'error', violations: [], error: err instanceof Error ? err.message : String(err) };
  }
  if (isCelError(result)) return { outcome: 'error', violations: [], error: result.message };
  if (typeof result === 'boolean') return result ? { outcome: 'pass', violations: [] } : { outcome: 'fail', violations: [{ path: defaultPath, reason: message }] };
  if (isCelList(result)) {
    const violations: Violation[] = [];
    for (const item of result as Iterable<CelValue>) {
      if (typeof item === 'string') violations.push({ path: item, reason: message });
      else if (isCelMap(item)) violations.push(violationOf(item, defaultPath, message));
      else return { outcome: 'error', violations: [], error: `rule returned a list holding ${typeof item}; expected path strings or {path, reason} maps` };
    }
    return violations.length === 0 ? { outcome: 'pass', violations: [] } : { outcome: 'fail', violations };
  }
  return { outcome: 'error', violations: [], error: `rule must return a bool or a list of violations, got ${describe(result)}` };
}

function violationOf(map: CelMap, defaultPath: string, message: string): Violation {
  const path = map.get('path');
  const reason = map.get('reason');
  return { path: typeof path === 'string' ? path : defaultPath, reason: typeof reason === 'string' && reason !== '' ? reason : message };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'double';
  if (isCelMap(value)) return 'map';
  return typeof value;
}
