import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { OfflineColumn } from '../offline/offline-table.entity';
import { compareInstants, Instant, parseDate, parseTime, parseTimestamp } from './temporal-values';

/** Checks a typed, non-null value against one contract option; returns the reason when it fails. */
type OptionCheck = (typed: unknown, canonical: string) => string | null;

/** Short, safe description of a rejected value for error reasons. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** ODCS integer formats: the range each one allows (the column itself is int8). */
const INTEGER_FORMATS: Record<string, [bigint, bigint]> = {
  i8: [-(2n ** 7n), 2n ** 7n - 1n],
  i16: [-(2n ** 15n), 2n ** 15n - 1n],
  i32: [-(2n ** 31n), 2n ** 31n - 1n],
  i64: [-(2n ** 63n), 2n ** 63n - 1n],
  i128: [-(2n ** 127n), 2n ** 127n - 1n],
  u8: [0n, 2n ** 8n - 1n],
  u16: [0n, 2n ** 16n - 1n],
  u32: [0n, 2n ** 32n - 1n],
  u64: [0n, 2n ** 64n - 1n],
  u128: [0n, 2n ** 128n - 1n],
};
const F32_MAX = 3.4028234663852886e38;

/** Compares an integer (bigint) or float value with a numeric bound without losing int64 precision. */
function cmp(v: unknown, bound: number): number {
  if (typeof v === 'bigint' && Number.isInteger(bound)) {
    const b = BigInt(bound);
    return v < b ? -1 : v > b ? 1 : 0;
  }
  return Number(v) - bound;
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function numericChecks(o: Record<string, unknown>, type: string): OptionCheck[] {
  const checks: OptionCheck[] = [];
  const num = (k: string): number | undefined => (typeof o[k] === 'number' ? o[k] : undefined);
  const [min, max, xmin, xmax, multipleOf] = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'].map(num);
  if (min !== undefined) checks.push((v) => (cmp(v, min) < 0 ? `below minimum ${min}` : null));
  if (max !== undefined) checks.push((v) => (cmp(v, max) > 0 ? `above maximum ${max}` : null));
  if (xmin !== undefined) checks.push((v) => (cmp(v, xmin) <= 0 ? `must be greater than ${xmin} (exclusiveMinimum)` : null));
  if (xmax !== undefined) checks.push((v) => (cmp(v, xmax) >= 0 ? `must be less than ${xmax} (exclusiveMaximum)` : null));
  if (multipleOf !== undefined && multipleOf > 0) {
    checks.push((v) => {
      if (typeof v === 'bigint' && Number.isInteger(multipleOf)) return v % BigInt(multipleOf) === 0n ? null : `not a multiple of ${multipleOf}`;
      const q = Number(v) / multipleOf;
      return Math.abs(q - Math.round(q)) <= 1e-9 * Math.max(1, Math.abs(q)) ? null : `not a multiple of ${multipleOf}`;
    });
  }
  const format = typeof o.format === 'string' ? o.format : undefined;
  const range = type === 'integer' && format ? INTEGER_FORMATS[format] : undefined;
  if (range) checks.push((v) => ((v as bigint) < range[0] || (v as bigint) > range[1] ? `out of range for format ${format}` : null));
  if (type === 'number' && format === 'f32') checks.push((v) => (Math.abs(v as number) > F32_MAX ? 'out of range for format f32' : null));
  return checks;
}

function stringChecks(o: Record<string, unknown>): OptionCheck[] {
  const checks: OptionCheck[] = [];
  const { minLength, maxLength, pattern, format } = o;
  if (typeof minLength === 'number') checks.push((v) => ((v as string).length < minLength || codePoints(v as string) < minLength ? `shorter than minLength ${minLength}` : null));
  if (typeof maxLength === 'number') checks.push((v) => ((v as string).length > maxLength && codePoints(v as string) > maxLength ? `longer than maxLength ${maxLength}` : null));
  if (typeof pattern === 'string') {
    // JSON Schema semantics: the pattern may match anywhere unless the contract anchors it.
    const re = new RegExp(pattern, 'u');
    checks.push((v) => (re.test(v as string) ? null : `does not match pattern ${pattern}`));
  }
  const known = typeof format === 'string' ? (fullFormats as Record<string, unknown>)[format] : undefined;
  const test = known instanceof RegExp ? (s: string) => known.test(s) : typeof known === 'function' ? (known as (s: string) => boolean) : undefined;
  // Formats Tessera does not know (free text in ODCS) are documentation only.
  if (test) checks.push((v) => (test(v as string) ? null : `not a valid ${format as string}`));
  return checks;
}

/** Temporal bounds are strings in ODCS; zoneless timestamp bounds are read as UTC. */
function temporalChecks(o: Record<string, unknown>, type: string): OptionCheck[] {
  const checks: OptionCheck[] = [];
  const bound = (k: string): { key: string; at: Instant | string } | null => {
    const text = o[k];
    if (typeof text !== 'string') return null;
    if (type === 'timestamp') {
      const p = parseTimestamp(text, 0);
      return 'instant' in p ? { key: k, at: p.instant } : null;
    }
    const at = type === 'date' ? parseDate(text) : parseTime(text);
    return at === null ? null : { key: k, at };
  };
  const compare = (v: unknown, at: Instant | string): number => (typeof at === 'string' ? ((v as string) < at ? -1 : (v as string) > at ? 1 : 0) : compareInstants(v as Instant, at));
  const rules: [string, (c: number) => boolean, string][] = [
    ['minimum', (c) => c < 0, 'before minimum'],
    ['maximum', (c) => c > 0, 'after maximum'],
    ['exclusiveMinimum', (c) => c <= 0, 'not after exclusiveMinimum'],
    ['exclusiveMaximum', (c) => c >= 0, 'not before exclusiveMaximum'],
  ];
  for (const [key, fails, words] of rules) {
    const b = bound(key);
    if (b) checks.push((v) => (fails(compare(v, b.at)) ? `${words} ${o[key] as string}` : null));
  }
  return checks;
}

function jsonChecks(o: Record<string, unknown>, type: string): OptionCheck[] {
  const checks: OptionCheck[] = [];
  if (type === 'object') {
    const { minProperties: min, maxProperties: max, required } = o;
    const size = (v: unknown) => Object.keys(v as object).length;
    if (typeof min === 'number') checks.push((v) => (size(v) < min ? `fewer than minProperties ${min}` : null));
    if (typeof max === 'number') checks.push((v) => (size(v) > max ? `more than maxProperties ${max}` : null));
    if (Array.isArray(required)) {
      checks.push((v) => {
        const missing = required.filter((k) => !Object.hasOwn(v as object, String(k)));
        return missing.length ? `missing required key(s) ${missing.join(', ')}` : null;
      });
    }
  } else {
    const { minItems: min, maxItems: max, uniqueItems } = o;
    if (typeof min === 'number') checks.push((v) => ((v as unknown[]).length < min ? `fewer than minItems ${min}` : null));
    if (typeof max === 'number') checks.push((v) => ((v as unknown[]).length > max ? `more than maxItems ${max}` : null));
    if (uniqueItems === true) {
      checks.push((v) => {
        const items = (v as unknown[]).map((x) => JSON.stringify(x, (_k, y: unknown) => (y && typeof y === 'object' && !Array.isArray(y) ? Object.fromEntries(Object.entries(y).sort()) : y)));
        return new Set(items).size === items.length ? null : 'items are not unique (uniqueItems)';
      });
    }
  }
  return checks;
}

/** Every logicalTypeOptions check of a column, compiled once. `enum` is honoured for any type. */
export function optionChecks(c: OfflineColumn): OptionCheck {
  const o = c.logicalTypeOptions ?? {};
  const checks: OptionCheck[] = [];
  switch (c.logicalType) {
    case 'integer':
    case 'number':
      checks.push(...numericChecks(o, c.logicalType));
      break;
    case 'string':
      checks.push(...stringChecks(o));
      break;
    case 'timestamp':
    case 'date':
    case 'time':
      checks.push(...temporalChecks(o, c.logicalType));
      break;
    case 'object':
    case 'array':
      checks.push(...jsonChecks(o, c.logicalType));
      break;
  }
  if (Array.isArray(o.enum)) {
    const allowed = new Set(o.enum.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))));
    const shown = o.enum.map((v) => JSON.stringify(v)).join(', ');
    checks.push((_v, canonical) => (allowed.has(canonical) ? null : `not one of the allowed values ${shown}`));
  }
  if (checks.length === 0) return () => null;
  return (typed, canonical) => {
    for (const check of checks) {
      const reason = check(typed, canonical);
      if (reason) return reason;
    }
    return null;
  };
}
