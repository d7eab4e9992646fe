import type { QualityOperator } from '../catalog/contracts/documents/odcs-quality.schema';

/** What a rule measured: a number (counts, percentages, sql results) or a boolean (sql results). */
export type Measured = number | boolean;

export interface Comparison {
  passed: boolean;
  /** Human form of the expectation, e.g. `<= 5 %` or `in [100, 120]`. */
  expected: string;
}

const SYMBOLS: Record<QualityOperator, string> = {
  mustBe: '=',
  mustNotBe: '!=',
  mustBeGreaterThan: '>',
  mustBeGreaterOrEqualTo: '>=',
  mustBeLessThan: '<',
  mustBeLessOrEqualTo: '<=',
  mustBeBetween: 'in',
  mustNotBeBetween: 'not in',
};

/** Percentages are computed in floating point: 1/3 of 300 rows must still "be" 33.333...%. */
function same(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function asNumber(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

/**
 * Applies an ODCS operator. Ranges are inclusive (`mustBeBetween: [a, b]` is a <= x <= b,
 * `mustNotBeBetween` is x < a or x > b), as the spec's ∈ symbol and other ODCS tools read them;
 * the bounds may be given in either order. Booleans compare to booleans with mustBe/mustNotBe, and
 * count as 1/0 against numbers. Throws on a threshold the operator cannot use.
 */
export function compare(measured: Measured, operator: QualityOperator, threshold: unknown, unit: 'rows' | 'percent' = 'rows'): Comparison {
  const suffix = unit === 'percent' ? ' %' : '';
  if (operator === 'mustBeBetween' || operator === 'mustNotBeBetween') {
    const [a, b] = Array.isArray(threshold) ? threshold.map(asNumber) : [null, null];
    if (!Array.isArray(threshold) || threshold.length !== 2 || a === null || b === null) throw new Error(`${operator} needs two numbers, got ${JSON.stringify(threshold)}`);
    const low = Math.min(a, b);
    const high = Math.max(a, b);
    const x = asNumber(measured)!;
    const inside = (x > low || same(x, low)) && (x < high || same(x, high));
    return { passed: operator === 'mustBeBetween' ? inside : !inside, expected: `${SYMBOLS[operator]} [${low}, ${high}]${suffix}` };
  }
  if ((operator === 'mustBe' || operator === 'mustNotBe') && typeof threshold === 'boolean') {
    const equal = typeof measured === 'boolean' ? measured === threshold : same(measured, threshold ? 1 : 0);
    return { passed: operator === 'mustBe' ? equal : !equal, expected: `${SYMBOLS[operator]} ${threshold}` };
  }
  const t = asNumber(threshold);
  if (t === null || typeof threshold === 'boolean') throw new Error(`${operator} needs a number, got ${JSON.stringify(threshold)}`);
  const x = asNumber(measured)!;
  const expected = `${SYMBOLS[operator]} ${t}${suffix}`;
  switch (operator) {
    case 'mustBe':
      return { passed: same(x, t), expected };
    case 'mustNotBe':
      return { passed: !same(x, t), expected };
    case 'mustBeGreaterThan':
      return { passed: x > t && !same(x, t), expected };
    case 'mustBeGreaterOrEqualTo':
      return { passed: x > t || same(x, t), expected };
    case 'mustBeLessThan':
      return { passed: x < t && !same(x, t), expected };
    case 'mustBeLessOrEqualTo':
      return { passed: x < t || same(x, t), expected };
  }
}

/** A count as the unit asks: rows as is, percent of the table's rows (0 % of an empty table). */
export function inUnit(count: number, rows: number, unit: 'rows' | 'percent'): number {
  if (unit === 'rows') return count;
  return rows === 0 ? 0 : (100 * count) / rows;
}
