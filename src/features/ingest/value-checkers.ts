import type { OfflineColumn } from '../offline/offline-table.entity';
import { describe, optionChecks } from './value-options';
import { defaultOffsetOf, formatInstant, instantFromEpochMs, Instant, parseDate, parseTime, parseTimestamp } from './temporal-values';

/**
 * Where values come from decides how strictly they are typed:
 * - json: JSON types must match (no "1" for an integer, no 1 for a string);
 * - csv: everything is text, so text is converted to the column's type;
 * - arrow: typed columns; Int64 arrives as bigint, timestamps/dates/times as canonical text.
 */
export type ValueSource = 'json' | 'csv' | 'arrow';

export class Problem {
  constructor(readonly reason: string) {}
}

/** Checks one non-null value; returns its canonical text (what COPY sends and the row hash covers). */
export type ValueChecker = (raw: unknown, source: ValueSource) => string | Problem;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BOOLEAN_TEXT: Record<string, boolean> = { true: true, false: false, '1': true, '0': false };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** PostgreSQL text and jsonb cannot hold NUL, and lone surrogates would be mangled into U+FFFD. */
export function badText(s: string): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character, which PostgreSQL cannot store';
  if (LONE_SURROGATE.test(s)) return 'contains an unpaired UTF-16 surrogate (not valid Unicode)';
  return null;
}

function toBigInt(raw: unknown, source: ValueSource): bigint | Problem {
  if (typeof raw === 'bigint') return raw;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || !Number.isInteger(raw)) return new Problem(`expected an integer, got ${describe(raw)}`);
    if (!Number.isSafeInteger(raw)) return new Problem('integer beyond ±(2^53-1) cannot be sent exactly as a JSON number; send it as a decimal string');
    return BigInt(raw);
  }
  if (typeof raw === 'string' && INT_TEXT.test(raw.trim())) {
    const text = raw.trim();
    // CSV is all text. JSON: a decimal string only where a JSON number cannot be exact (what
    // retrieval answers, too). Arrow sends Int64 as bigint, so a Utf8 column is a type mismatch.
    if (source === 'csv' || (source === 'json' && !Number.isSafeInteger(Number(text)))) return BigInt(text);
  }
  return new Problem(`expected an integer, got ${describe(raw)}`);
}

function toNumber(raw: unknown, source: ValueSource): number | Problem {
  let n: number | undefined;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'bigint') n = Number(raw);
  else if (typeof raw === 'string' && source === 'csv' && NUMBER_TEXT.test(raw.trim())) n = Number(raw.trim());
  if (n === undefined) return new Problem(`expected a number, got ${describe(raw)}`);
  if (!Number.isFinite(n)) return new Problem('not a finite number');
  return n;
}

function toInstant(raw: unknown, source: ValueSource, defaultOffset: number | null): Instant | Problem {
  let parsed;
  if (typeof raw === 'number') parsed = instantFromEpochMs(raw);
  else if (typeof raw === 'bigint') parsed = instantFromEpochMs(Number(raw));
  else if (raw instanceof Date) parsed = instantFromEpochMs(raw.getTime());
  else if (typeof raw === 'string' && source === 'csv' && /^-?\d+$/.test(raw.trim())) parsed = instantFromEpochMs(Number(raw.trim()));
  else if (typeof raw === 'string') parsed = parseTimestamp(raw, defaultOffset);
  else return new Problem(`expected an ISO-8601 timestamp string or epoch milliseconds, got ${describe(raw)}`);
  return 'problem' in parsed ? new Problem(parsed.problem) : parsed.instant;
}

function toJson(raw: unknown, source: ValueSource, want: 'object' | 'array'): unknown {
  let v = raw;
  if (typeof raw === 'string' && source === 'csv') {
    try {
      v = JSON.parse(raw);
    } catch {
      return new Problem(`expected JSON ${want === 'object' ? 'object' : 'array'} text`);
    }
  }
  const ok = want === 'array' ? Array.isArray(v) : v !== null && typeof v === 'object' && !Array.isArray(v);
  return ok ? v : new Problem(`expected ${want === 'object' ? 'an object' : 'an array'}, got ${describe(v)}`);
}

/**
 * JSON with sorted keys (jsonb forgets key order, so the row hash must too), refusing what jsonb
 * cannot store exactly: NUL, lone surrogates, non-finite numbers.
 */
export function canonicalJson(v: unknown): string | Problem {
  let problem: string | null = null;
  const walk = (x: unknown): unknown => {
    if (problem) return null;
    if (typeof x === 'string') problem = badText(x) ?? problem;
    else if (typeof x === 'number' && !Number.isFinite(x)) problem = 'contains a non-finite number';
    else if (typeof x === 'bigint') return Number.isSafeInteger(Number(x)) ? Number(x) : x.toString();
    else if (Array.isArray(x)) return x.map(walk);
    else if (x && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) {
        problem = badText(k) ?? problem;
        out[k] = walk((x as Record<string, unknown>)[k]);
      }
      return out;
    }
    return x;
  };
  const tree = walk(v);
  return problem ? new Problem(problem) : JSON.stringify(tree);
}

/** The checker of one column, with its logicalTypeOptions compiled once per request. */
export function compileChecker(c: OfflineColumn): ValueChecker {
  const opts = optionChecks(c);
  const check = (canonical: string | Problem, typed: unknown): string | Problem => {
    if (canonical instanceof Problem) return canonical;
    const reason = opts(typed, canonical);
    return reason ? new Problem(reason) : canonical;
  };
  switch (c.logicalType) {
    case 'integer':
      return (raw, source) => {
        const v = toBigInt(raw, source);
        if (v instanceof Problem) return v;
        if (v < INT64_MIN || v > INT64_MAX) return new Problem('out of range for a 64-bit integer');
        return check(v.toString(), v);
      };
    case 'number':
      return (raw, source) => {
        const v = toNumber(raw, source);
        // -0 is stored as 0: it equals 0, and the row hash must not tell them apart.
        return v instanceof Problem ? v : check(Object.is(v, -0) ? '0' : String(v), Object.is(v, -0) ? 0 : v);
      };
    case 'boolean':
      return (raw, source) => {
        const b = typeof raw === 'boolean' ? raw : typeof raw === 'string' && source === 'csv' ? BOOLEAN_TEXT[raw.trim().toLowerCase()] : undefined;
        return b === undefined ? new Problem(`expected a boolean, got ${describe(raw)}`) : check(String(b), b);
      };
    case 'timestamp': {
      const defaultOffset = defaultOffsetOf(c.logicalTypeOptions?.defaultTimezone);
      return (raw, source) => {
        const i = toInstant(raw, source, defaultOffset);
        return i instanceof Problem ? i : check(formatInstant(i), i);
      };
    }
    case 'date':
      return (raw) => {
        const d = typeof raw === 'string' ? parseDate(raw) : null;
        return d === null ? new Problem(`expected a date YYYY-MM-DD, got ${describe(raw)}`) : check(d, d);
      };
    case 'time':
      return (raw) => {
        const t = typeof raw === 'string' ? parseTime(raw) : null;
        return t === null ? new Problem(`expected a time HH:MM[:SS[.ffffff]] without timezone, got ${describe(raw)}`) : check(t, t);
      };
    case 'object':
    case 'array': {
      const want = c.logicalType;
      return (raw, source) => {
        const v = toJson(raw, source, want);
        return v instanceof Problem ? v : check(canonicalJson(v), v);
      };
    }
    default:
      return (raw) => {
        if (typeof raw !== 'string') return new Problem(`expected a string, got ${describe(raw)}`);
        const bad = badText(raw);
        return bad ? new Problem(bad) : check(raw, raw);
      };
  }
}
