import { compare, inUnit } from '../../../src/quality/quality-operators';

describe('ODCS quality operators', () => {
  it.each([
    ['mustBe', 0, 0, true],
    ['mustBe', 1, 0, false],
    ['mustNotBe', 1, 0, true],
    ['mustNotBe', 0, 0, false],
    ['mustBeGreaterThan', 5, 4, true],
    ['mustBeGreaterThan', 4, 4, false],
    ['mustBeGreaterOrEqualTo', 4, 4, true],
    ['mustBeGreaterOrEqualTo', 3.99, 4, false],
    ['mustBeLessThan', 3, 4, true],
    ['mustBeLessThan', 4, 4, false],
    ['mustBeLessOrEqualTo', 4, 4, true],
    ['mustBeLessOrEqualTo', 4.01, 4, false],
    ['mustBeBetween', 100, [100, 120], true],
    ['mustBeBetween', 120, [100, 120], true],
    ['mustBeBetween', 110, [120, 100], true],
    ['mustBeBetween', 99, [100, 120], false],
    ['mustBeBetween', 121, [100, 120], false],
    ['mustNotBeBetween', 99, [100, 120], true],
    ['mustNotBeBetween', 121, [100, 120], true],
    ['mustNotBeBetween', 100, [100, 120], false],
    ['mustNotBeBetween', 110, [100, 120], false],
  ] as const)('%s: %p against %p is %p', (op, measured, threshold, passed) => {
    expect(compare(measured, op, threshold).passed).toBe(passed);
  });

  it('compares floating point percentages with a tolerance', () => {
    const third = inUnit(1, 3, 'percent');
    expect(compare(third, 'mustBe', 33.333333333333336).passed).toBe(true);
    expect(compare(inUnit(1, 10, 'percent') * 3, 'mustBe', 30).passed).toBe(true); // 30.000000000000004
    expect(compare(inUnit(1, 10, 'percent') * 3, 'mustBeGreaterThan', 30).passed).toBe(false);
  });

  it('turns counts into percent of the rows; an empty table is 0 %', () => {
    expect(inUnit(5, 200, 'percent')).toBe(2.5);
    expect(inUnit(5, 200, 'rows')).toBe(5);
    expect(inUnit(0, 0, 'percent')).toBe(0);
    // 2 nulls in 100 rows: 2 %; "less than 1 %" fails, "at most 5 %" passes
    expect(compare(inUnit(2, 100, 'percent'), 'mustBeLessThan', 1, 'percent')).toEqual({ passed: false, expected: '< 1 %' });
    expect(compare(inUnit(2, 100, 'percent'), 'mustBeLessOrEqualTo', 5, 'percent')).toEqual({ passed: true, expected: '<= 5 %' });
  });

  it('compares booleans (sql rules may return one) and counts them as 1/0 against numbers', () => {
    expect(compare(true, 'mustBe', true).passed).toBe(true);
    expect(compare(false, 'mustBe', true).passed).toBe(false);
    expect(compare(false, 'mustNotBe', true).passed).toBe(true);
    expect(compare(true, 'mustBe', 1).passed).toBe(true);
    expect(compare(1, 'mustBe', true).passed).toBe(true);
    expect(compare(true, 'mustBeGreaterThan', 0).passed).toBe(true);
  });

  it('describes the expectation', () => {
    expect(compare(3, 'mustBeBetween', [0, 100], 'percent').expected).toBe('in [0, 100] %');
    expect(compare(3, 'mustNotBeBetween', [5, 1]).expected).toBe('not in [1, 5]');
    expect(compare(3, 'mustNotBe', 0).expected).toBe('!= 0');
  });

  it('refuses thresholds an operator cannot use', () => {
    expect(() => compare(1, 'mustBeGreaterThan', 'ten')).toThrow(/needs a number/);
    expect(() => compare(1, 'mustBeLessThan', true)).toThrow(/needs a number/);
    expect(() => compare(1, 'mustBeBetween', [1])).toThrow(/two numbers/);
    expect(() => compare(1, 'mustBeBetween', 5)).toThrow(/two numbers/);
  });
});
