import { describeType, preview } from './apply-issue';
import { customIssue, RefineCtx } from './common.schema';
import { isPlainObject } from './raw-document';

/**
 * ODCS v3.1.0 restricts `logicalTypeOptions` per `logicalType` (if/then blocks with
 * additionalProperties: false). Encoded as a table because zod cannot express if/then directly.
 */
type OptionRule = 'uint' | 'number' | 'positiveNumber' | 'string' | 'boolean' | 'stringArray' | readonly string[];

const TEMPORAL: Record<string, OptionRule> = {
  format: 'string',
  exclusiveMaximum: 'string',
  maximum: 'string',
  exclusiveMinimum: 'string',
  minimum: 'string',
};
const NUMERIC: Record<string, OptionRule> = {
  multipleOf: 'positiveNumber',
  maximum: 'number',
  exclusiveMaximum: 'number',
  minimum: 'number',
  exclusiveMinimum: 'number',
};

export const LOGICAL_TYPE_OPTIONS: Record<string, Record<string, OptionRule>> = {
  string: { minLength: 'uint', maxLength: 'uint', pattern: 'string', format: 'string' },
  date: TEMPORAL,
  timestamp: { ...TEMPORAL, timezone: 'boolean', defaultTimezone: 'string' },
  time: { ...TEMPORAL, timezone: 'boolean', defaultTimezone: 'string' },
  integer: {
    ...NUMERIC,
    format: ['i8', 'i16', 'i32', 'i64', 'i128', 'u8', 'u16', 'u32', 'u64', 'u128'],
  },
  number: { ...NUMERIC, format: ['f32', 'f64'] },
  object: { maxProperties: 'uint', minProperties: 'uint', required: 'stringArray' },
  array: { maxItems: 'uint', minItems: 'uint', uniqueItems: 'boolean' },
};

export function checkLogicalTypeOptions(logicalType: unknown, options: unknown, ctx: RefineCtx): void {
  if (!isPlainObject(options)) return;
  if (logicalType === undefined) {
    // The official if/then blocks do not require logicalType, so without one every type's block
    // applies at once and no option can satisfy them all.
    for (const key of Object.keys(options)) {
      customIssue(ctx, ['logicalTypeOptions', key], 'logicalTypeOptions need a logicalType to say which options apply');
    }
    return;
  }
  if (typeof logicalType !== 'string') return;
  const rules = LOGICAL_TYPE_OPTIONS[logicalType];
  if (!rules) return; // boolean (or an invalid logicalType, reported elsewhere): no constraint
  for (const [key, value] of Object.entries(options)) {
    const rule = rules[key];
    const path = ['logicalTypeOptions', key];
    if (!rule) {
      customIssue(ctx, path, `unknown option for logicalType ${logicalType}; allowed: ${Object.keys(rules).join(', ')}`);
      continue;
    }
    const problem = optionProblem(rule, value);
    if (problem) customIssue(ctx, path, problem);
  }
}

function optionProblem(rule: OptionRule, value: unknown): string | null {
  // A wrong number is clearer shown as itself ("got -1") than as its type ("got integer").
  const got = typeof value === 'number' ? String(value) : describeType(value);
  if (Array.isArray(rule)) {
    return rule.includes(value) ? null : `must be one of ${rule.join(', ')} (got ${preview(value)})`;
  }
  switch (rule) {
    case 'uint':
      return Number.isInteger(value) && (value as number) >= 0 ? null : `expected integer >= 0, got ${got}`;
    case 'number':
      return typeof value === 'number' ? null : `expected number, got ${got}`;
    case 'positiveNumber':
      return typeof value === 'number' && value > 0 ? null : `expected number > 0, got ${got}`;
    case 'string':
      return typeof value === 'string' ? null : `expected string, got ${got}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `expected boolean, got ${got}`;
    case 'stringArray': {
      const ok =
        Array.isArray(value) &&
        value.length > 0 &&
        value.every((v) => typeof v === 'string') &&
        new Set(value).size === value.length;
      return ok ? null : 'must be a non-empty array of distinct strings';
    }
    default:
      return null;
  }
}
