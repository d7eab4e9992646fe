import fc from 'fast-check';
import {
  defaultOffsetOf,
  formatEpochDay,
  formatInstant,
  formatTimeOfDay,
  instantFromEpochMicros,
  MAX_EPOCH_MS,
  MIN_EPOCH_MS,
  parseDate,
  parseTime,
  parseTimestamp,
} from '../../src/features/ingest/temporal-values';

const instant = (text: string, defaultOffset: number | null = null) => {
  const p = parseTimestamp(text, defaultOffset);
  return 'instant' in p ? formatInstant(p.instant) : p.problem;
};

describe('ingest timestamps, dates and times', () => {
  it('formats every instant of years 1-9999 as Date does, plus microseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_EPOCH_MS, max: MAX_EPOCH_MS }), fc.integer({ min: 0, max: 999 }), (ms, us) => {
        const text = formatInstant({ ms, us });
        expect(text).toBe(`${new Date(ms).toISOString().slice(0, 23)}${String(us).padStart(3, '0')}Z`);
        expect(parseTimestamp(text)).toEqual({ instant: { ms, us } });
      }),
      { numRuns: 2000 },
    );
  });

  it('reads offsets, rounds below microseconds as PostgreSQL does, and refuses what it cannot place in time', () => {
    expect(instant('2024-05-01T12:00:00.1234567+02:00')).toBe('2024-05-01T10:00:00.123457Z');
    expect(instant('2024-05-01T12:00:00.1234564+02:00')).toBe('2024-05-01T10:00:00.123456Z');
    expect(instant('2024-12-31T23:59:59.9999995Z')).toBe('2025-01-01T00:00:00.000000Z'); // the carry crosses the year
    expect(instant('2024-05-01')).toBe('expected an ISO-8601 timestamp (e.g. 2024-05-01T12:00:00Z) or epoch milliseconds');
    expect(instant('2024-05-01 00:30:00-0130')).toBe('2024-05-01T02:00:00.000000Z');
    expect(instant('2024-02-29T23:59:59,5z')).toBe('2024-02-29T23:59:59.500000Z');
    expect(instant('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00.000000Z');
    expect(instant('2024-05-01T12:00:00')).toBe('timestamp has no timezone; add Z or an offset such as +02:00');
    expect(instant('2024-05-01T12:00:00', 0)).toBe('2024-05-01T12:00:00.000000Z');
    expect(instant('2024-05-01T12:00:00', defaultOffsetOf('+02:00'))).toBe('2024-05-01T10:00:00.000000Z');
    expect(instant('2024-05-01T12:00:00Z', defaultOffsetOf('+02:00'))).toBe('2024-05-01T12:00:00.000000Z');
    expect([defaultOffsetOf('UTC'), defaultOffsetOf('Etc/UTC'), defaultOffsetOf('-0130'), defaultOffsetOf('Europe/Oslo'), defaultOffsetOf(3)]).toEqual([0, 0, -90, null, null]);
    expect(instant('2023-02-29T00:00:00Z')).toBe('not a valid date and time');
    expect(instant('2024-05-01T24:00:00Z')).toBe('not a valid date and time');
    expect(instant('2024-05-01T12:00:00+16:00')).toBe('invalid timezone offset +16:00');
    expect(instant('0001-01-01T00:00:00+01:00')).toBe('timestamp outside years 0001-9999');
    expect(instant('2024-05-01')).toMatch(/^expected an ISO-8601 timestamp/);
  });

  it('converts epoch microseconds with floor division, so instants before 1970 stay exact', () => {
    expect(formatInstant(instantFromEpochMicros(-1n))).toBe('1969-12-31T23:59:59.999999Z');
    expect(formatInstant(instantFromEpochMicros(1714723200123456n))).toBe('2024-05-03T08:00:00.123456Z');
  });

  it('accepts real calendar dates and times of day only', () => {
    expect(parseDate('2024-02-29')).toBe('2024-02-29');
    expect(parseDate('1900-02-29')).toBeNull();
    expect(parseDate('2024-5-1')).toBeNull();
    expect(parseTime('08:30')).toBe('08:30:00.000000');
    expect(parseTime('23:59:59.9999999')).toBe('23:59:59.999999');
    expect(parseTime('12:00:00Z')).toBeNull();
    expect(parseTime('24:00')).toBeNull();
    expect(formatTimeOfDay(45296000001n)).toBe('12:34:56.000001');
    expect(formatTimeOfDay(86_400_000_000n)).toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: -719162, max: 2932896 }), (days) => {
        expect(formatEpochDay(days * 86_400_000)).toBe(new Date(days * 86_400_000).toISOString().slice(0, 10));
      }),
    );
  });
});
