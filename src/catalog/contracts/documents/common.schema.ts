import { z } from 'zod';
import { describeType } from './apply-issue';
import { isPlainObject } from './raw-document';

/** Names Tessera uses in URLs, Redis keys and SQL identifiers (63 = PostgreSQL identifier limit). */
export const NAME_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/;
export const nameSchema = z
  .string()
  .regex(NAME_PATTERN, 'must match ^[a-z][a-z0-9_-]{0,62}$ (lowercase letter first, then letters, digits, _ or -)');

/**
 * Column-like names (join keys, features, timestamp fields) become columns of the offline and
 * online stores, so they must be plain identifiers; ODCS property names such as `DataValue` fit.
 */
export const COLUMN_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
export const columnSchema = z
  .string()
  .regex(COLUMN_PATTERN, 'must be a column name matching ^[A-Za-z_][A-Za-z0-9_]{0,62}$');

export const nonEmptyString = z.string().min(1);
export const tagsSchema = z.array(z.string());

/** Both standards: `value` is required but may be anything, including null. */
export const customPropertySchema = z.looseObject({
  property: z.string(),
  value: z.unknown(),
  description: z.string().optional(),
});
export const customPropertiesSchema = z.array(customPropertySchema);

export const authoritativeDefinitionsSchema = z.array(
  z.looseObject({ type: z.string(), url: z.string(), description: z.string().optional() }),
);

/** ISO 8601 timestamp with a zone, as JSON Schema's `date-time` format requires. */
export const dateTimeSchema = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' });
export const dateSchema = z.iso.date({ error: 'must be a date (YYYY-MM-DD)' });

export type RefineCtx = z.core.$RefinementCtx<unknown>;

/**
 * Cross-field rules must run even when sibling fields are invalid (we report every problem at
 * once), so the callback sees the unvalidated value and must check shapes itself.
 */
export function alwaysRefine<T extends z.ZodType>(schema: T, check: (value: unknown, ctx: RefineCtx) => void): T {
  return schema.superRefine((value, ctx) => check(value, ctx), { when: () => true });
}

export function customIssue(ctx: RefineCtx, path: PropertyKey[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

/** Index and value of the first `{property: name}` entry of a customProperties list, if any. */
export function findCustomProperty(list: unknown, name: string): { index: number; value: unknown } | null {
  if (!Array.isArray(list)) return null;
  const index = list.findIndex((entry) => isPlainObject(entry) && entry.property === name);
  return index < 0 ? null : { index, value: (list[index] as Record<string, unknown>).value };
}

/** Rule for Tessera flags stored as customProperties (ODPS ports allow no other extension point). */
export function checkBooleanCustomProperty(list: unknown, name: string, ctx: RefineCtx): void {
  const found = findCustomProperty(list, name);
  if (found && typeof found.value !== 'boolean') {
    customIssue(ctx, [found.index, 'value'], `${name} must be a boolean: expected boolean, got ${describeType(found.value)}`);
  }
}

/** Reports the later entries of `items` whose key repeats an earlier one. */
export function checkUnique(
  items: unknown,
  key: (item: unknown) => string | null,
  ctx: RefineCtx,
  describe: (k: string) => string,
  subPath: PropertyKey[] = [],
): void {
  if (!Array.isArray(items)) return;
  const firstIndex = new Map<string, number>();
  items.forEach((item, index) => {
    const k = key(item);
    if (k === null) return;
    const first = firstIndex.get(k);
    if (first === undefined) firstIndex.set(k, index);
    else customIssue(ctx, [index, ...subPath], `duplicate ${describe(k)} (first at index ${first})`);
  });
}

export const nameOf = (item: unknown): string | null =>
  isPlainObject(item) && typeof item.name === 'string' ? item.name : null;
