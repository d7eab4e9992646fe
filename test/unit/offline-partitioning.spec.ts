import fc from 'fast-check';
import { bucketsAhead, bucketStart, dayText, nextBucket, PARTITION_GRANULARITIES, parseDay, partitionName } from '../../src/features/offline/offline-partitioning';

const DAY = 86_400_000;
const instants = fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9998-12-01T00:00:00Z'), noInvalidDate: true });

/**
 * The bucket of an instant is pinned down by these facts alone, so they serve as the reference:
 * it starts at UTC midnight on the granularity's boundary day, holds the instant, and the next
 * bucket starts where it ends, one day / week / calendar month / calendar year later.
 */
describe('offline partitioning: buckets', () => {
  it.each(PARTITION_GRANULARITIES)('%s buckets hold the instant, start on their boundary and tile time', (g) => {
    fc.assert(
      fc.property(instants, (at) => {
        const start = bucketStart(at, g);
        const next = nextBucket(start, g);
        expect(start.getTime()).toBeLessThanOrEqual(at.getTime());
        expect(at.getTime()).toBeLessThan(next.getTime());
        expect(Math.abs(start.getTime() % DAY)).toBe(0); // abs: % of a negative (pre-1970) time is -0
        expect(bucketStart(start, g)).toEqual(start);
        expect(bucketStart(next, g)).toEqual(next);
        expect(bucketStart(new Date(next.getTime() - 1), g)).toEqual(start);
        if (g === 'day') expect(next.getTime() - start.getTime()).toBe(DAY);
        if (g === 'week') {
          expect(start.getUTCDay()).toBe(1); // Monday, as PostgreSQL's date_trunc('week')
          expect(next.getTime() - start.getTime()).toBe(7 * DAY);
        }
        if (g === 'month') {
          expect(start.getUTCDate()).toBe(1);
          expect((next.getUTCMonth() - start.getUTCMonth() + 12) % 12).toBe(1);
        }
        if (g === 'year') {
          expect([start.getUTCMonth(), start.getUTCDate()]).toEqual([0, 1]);
          expect(next.getUTCFullYear()).toBe(start.getUTCFullYear() + 1);
        }
        expect(parseDay(dayText(start))).toEqual(start);
      }),
      { numRuns: 500 },
    );
  });

  it('lists the current bucket and the ones ahead, and names partitions after their start', () => {
    expect(bucketsAhead({ granularity: 'month' }, 2, new Date('2026-12-31T23:59:59Z')).map(dayText)).toEqual(['2026-12-01', '2027-01-01', '2027-02-01']);
    expect(bucketsAhead({ granularity: 'week' }, 1, new Date('2026-12-06T10:00:00Z')).map(dayText)).toEqual(['2026-11-30', '2026-12-07']);
    expect(partitionName('t', new Date('2026-12-01T00:00:00Z'))).toBe('t__p20261201');
    // A table name at PostgreSQL's 63-byte limit still gives distinct partition names per bucket.
    const long = 'x'.repeat(63);
    const names = new Set(bucketsAhead({ granularity: 'day' }, 40, new Date('2026-01-01T00:00:00Z')).map((d) => partitionName(long, d)));
    expect(names.size).toBe(41);
    for (const n of names) expect(Buffer.byteLength(n)).toBeLessThanOrEqual(63);
  });
});
