import type { z } from 'zod';
import { IssueSink, describeType, formatPath, preview } from './apply-issue';

type ZodIssue = z.core.$ZodIssue;

/**
 * Turns zod issues into ApplyIssues a contract author can act on: the exact path and a short
 * reason ("required", "must be one of ...", "expected boolean, got string"). The document body is
 * passed in so messages can say what was actually found; zod does not report inputs by default.
 */
export function reportZodIssues(
  issues: readonly ZodIssue[],
  root: unknown,
  sink: IssueSink,
  prefix: readonly PropertyKey[] = [],
): void {
  const seen = new Set(sink.issues.map((i) => `${i.path}\u0000${i.message}`));
  for (const issue of issues) {
    for (const [path, message] of explain(issue, root, prefix)) {
      const key = `${path}\u0000${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      sink.error(path, message);
    }
  }
}

function explain(issue: ZodIssue, root: unknown, prefix: readonly PropertyKey[]): [string, string][] {
  const segments = [...prefix, ...issue.path];
  const path = formatPath(segments);
  const value = valueAt(root, segments);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return [[path, 'required']];
      return [[path, `expected ${typeName(issue.expected)}, got ${describeType(value)}${quoteHint(issue.expected, value)}`]];
    case 'invalid_value': {
      const allowed = issue.values.map((v) => String(v));
      const rule = allowed.length === 1 ? `must be ${allowed[0]}` : `must be one of ${allowed.join(', ')}`;
      if (value === undefined) return [[path, `required; ${rule}`]];
      return [[path, `${rule} (got ${preview(value)})`]];
    }
    case 'invalid_union':
      return explainUnion(issue, root, segments, value, path);
    case 'too_small':
      return [[path, sizeMessage('at least', issue.origin, Number(issue.minimum), issue.inclusive)]];
    case 'too_big':
      return [[path, sizeMessage('at most', issue.origin, Number(issue.maximum), issue.inclusive)]];
    case 'not_multiple_of':
      return [[path, `must be a multiple of ${String(issue.divisor)}`]];
    case 'invalid_format':
      return [[path, issue.message.startsWith('Invalid') ? `invalid ${issue.format} format` : issue.message]];
    default:
      return [[path, issue.message]];
  }
}

/**
 * A union fails with one issue list per branch. When exactly one branch accepted the value's
 * shape (object vs array vs string), its issues are the real problems; otherwise say which
 * shapes are accepted.
 */
function explainUnion(
  issue: Extract<ZodIssue, { code: 'invalid_union' }>,
  root: unknown,
  segments: PropertyKey[],
  value: unknown,
  path: string,
): [string, string][] {
  if (value === undefined) return [[path, 'required']];
  const branches = issue.errors ?? [];
  const shapeMatches = branches.filter(
    (branch) => !branch.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_union')),
  );
  if (shapeMatches.length === 1) return shapeMatches[0].flatMap((i) => explain(i, root, segments));
  const expected = new Set<string>();
  for (const branch of branches) {
    for (const i of branch) if (i.path.length === 0 && i.code === 'invalid_type') expected.add(typeName(i.expected));
  }
  if (expected.size === 0) return [[path, 'does not match any of the allowed forms']];
  return [[path, `expected ${[...expected].join(' or ')}, got ${describeType(value)}`]];
}

function sizeMessage(bound: 'at least' | 'at most', origin: string, limit: number, inclusive = true): string {
  switch (origin) {
    case 'array':
    case 'set':
      return `must have ${bound} ${limit} item${limit === 1 ? '' : 's'}`;
    case 'string':
      if (bound === 'at least' && limit === 1) return 'must not be empty';
      return `must be ${bound} ${limit} characters long`;
    default: {
      const op = bound === 'at least' ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<';
      return `must be ${op} ${limit}`;
    }
  }
}

/** YAML reads `version: 1.0` as the number 1; the fix is quoting, which authors rarely guess. */
function quoteHint(expected: string, value: unknown): string {
  return expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')
    ? ' (quote the value in YAML to keep it a string)'
    : '';
}

function typeName(expected: string): string {
  if (expected === 'int') return 'integer';
  if (expected === 'nonoptional') return 'a value';
  if (expected === 'record') return 'object';
  return expected;
}

function valueAt(root: unknown, segments: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const seg of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[seg as string];
  }
  return current;
}
