import { z } from 'zod';
import { describeType, preview } from './apply-issue';
import { alwaysRefine, authoritativeDefinitionsSchema, customIssue, customPropertiesSchema, RefineCtx, tagsSchema } from './common.schema';
import { isPlainObject } from './raw-document';

/** ODCS v3.1.0 `DataQuality`, including its if/then rules for library, sql and custom checks. */
export const QUALITY_TYPES = ['text', 'library', 'sql', 'custom'] as const;
export const QUALITY_DIMENSIONS = [
  'accuracy',
  'completeness',
  'conformity',
  'consistency',
  'coverage',
  'timeliness',
  'uniqueness',
] as const;
export const QUALITY_METRICS = ['nullValues', 'missingValues', 'invalidValues', 'duplicateValues', 'rowCount'] as const;
export const QUALITY_OPERATORS = [
  'mustBe',
  'mustNotBe',
  'mustBeGreaterThan',
  'mustBeGreaterOrEqualTo',
  'mustBeLessThan',
  'mustBeLessOrEqualTo',
  'mustBeBetween',
  'mustNotBeBetween',
] as const;
export type QualityOperator = (typeof QUALITY_OPERATORS)[number];

const NUMERIC_OPERATORS: readonly QualityOperator[] = [
  'mustBeGreaterThan',
  'mustBeGreaterOrEqualTo',
  'mustBeLessThan',
  'mustBeLessOrEqualTo',
];
const RANGE_OPERATORS: readonly QualityOperator[] = ['mustBeBetween', 'mustNotBeBetween'];

const baseQualitySchema = z.looseObject({
  id: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must match ^[A-Za-z0-9_-]+$').optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  type: z.enum(QUALITY_TYPES).optional(),
  dimension: z.enum(QUALITY_DIMENSIONS).optional(),
  method: z.string().optional(),
  severity: z.string().optional(),
  businessImpact: z.string().optional(),
  schedule: z.string().optional(),
  scheduler: z.string().optional(),
  unit: z.string().optional(),
  rule: z.string().optional(),
  query: z.string().optional(),
  engine: z.string().optional(),
  arguments: z.record(z.string(), z.unknown()).optional(),
  tags: tagsSchema.optional(),
  customProperties: customPropertiesSchema.optional(),
  authoritativeDefinitions: authoritativeDefinitionsSchema.optional(),
});

export const qualitySchema = alwaysRefine(baseQualitySchema, (rule, ctx) => {
  if (!isPlainObject(rule)) return;
  // Same trigger as the official `if`: explicit type library, or any `metric` string.
  const isLibrary = rule.type === 'library' || typeof rule.metric === 'string';
  if (isLibrary) {
    if (rule.metric === undefined) customIssue(ctx, ['metric'], 'required for a library quality rule');
    else if (!(QUALITY_METRICS as readonly unknown[]).includes(rule.metric)) {
      customIssue(ctx, ['metric'], `must be one of ${QUALITY_METRICS.join(', ')} (got ${preview(rule.metric)})`);
    }
    checkOperators(rule, ctx);
  }
  if (rule.type === 'sql') {
    if (rule.query === undefined) customIssue(ctx, ['query'], 'required for a sql quality rule');
    checkOperators(rule, ctx);
  }
  if (rule.type === 'custom') {
    if (rule.engine === undefined) customIssue(ctx, ['engine'], 'required for a custom quality rule');
    const impl = rule.implementation;
    if (impl === undefined) customIssue(ctx, ['implementation'], 'required for a custom quality rule');
    else if (typeof impl !== 'string' && !isPlainObject(impl)) {
      customIssue(ctx, ['implementation'], `expected string or object, got ${describeType(impl)}`);
    }
  }
});

/** ODCS says `oneOf` the operators: a rule with none, or with two, is invalid. */
function checkOperators(rule: Record<string, unknown>, ctx: RefineCtx): void {
  const present = QUALITY_OPERATORS.filter((op) => rule[op] !== undefined);
  if (present.length !== 1) {
    const found = present.length === 0 ? 'none found' : `found ${present.join(', ')}`;
    customIssue(ctx, [], `must have exactly one operator of ${QUALITY_OPERATORS.join(', ')} (${found})`);
  }
  for (const op of present) {
    const value = rule[op];
    if (NUMERIC_OPERATORS.includes(op) && typeof value !== 'number') {
      customIssue(ctx, [op], `expected number, got ${describeType(value)}`);
    }
    if (RANGE_OPERATORS.includes(op)) {
      const ok =
        Array.isArray(value) &&
        value.length === 2 &&
        value.every((v) => typeof v === 'number') &&
        value[0] !== value[1];
      if (!ok) customIssue(ctx, [op], 'must be an array of two different numbers [low, high]');
    }
  }
}

export const qualityListSchema = z.array(qualitySchema);
export type OdcsQualityRule = z.infer<typeof qualitySchema>;
