import { FeaturesError } from '../../src/features/features-error';
import { PointInTimeEngine } from '../../src/features/retrieval/point-in-time.engine';
import { createPitDb, insertRows, PitTableSpec, PitTestDb, resolvedView } from '../support/pit-tables';

/**
 * Hand-written tables with hand-computed answers. The first case is the example of Feast's
 * "Point-in-time joins" concept page (driver_hourly_stats, ttl 2h): one entity row older than every
 * feature row, three joined rows, and one row 11 hours after the driver's latest feature row, outside
 * the ttl; both unjoinable rows get NULLs and keep their place and label.
 */
const hourly: PitTableSpec = {
  view: 'driver_hourly_stats',
  table: 'driver_hourly_stats',
  keys: [{ name: 'driver_id', type: 'integer', sql: 'bigint' }],
  timestamp: { column: 'event_timestamp' },
  created: { column: 'created' },
  ttlSeconds: 2 * 3600,
  features: [
    { name: 'trips_today', type: 'integer', sql: 'bigint' },
    { name: 'earnings_today', type: 'number', sql: 'double precision' },
  ],
};

/** Composite key (driver, city), no created column, no ttl. */
const cityStats: PitTableSpec = {
  view: 'driver_city_stats',
  table: 'driver_city_stats',
  keys: [
    { name: 'driver_id', type: 'integer', sql: 'integer' },
    { name: 'city', type: 'string', sql: 'character varying(16)' },
  ],
  timestamp: { column: 'ts', sql: 'timestamp' },
  created: null,
  ttlSeconds: 0,
  features: [
    { name: 'trips_today', type: 'integer', sql: 'integer' },
    { name: 'surge', type: 'number', sql: 'numeric(6,2)' },
  ],
};

describe('point-in-time retrieval: golden examples', () => {
  let t: PitTestDb;
  let engine: PointInTimeEngine;
  const H = resolvedView(hourly);
  const C = resolvedView(cityStats);

  beforeAll(async () => {
    t = await createPitDb([hourly, cityStats]);
    engine = new PointInTimeEngine(t.pool);
    await insertRows(t.pool, hourly, [
      { driver_id: 1001, event_timestamp: '2021-04-12T08:00:00Z', created: '2021-04-12T08:05:00Z', trips_today: 3, earnings_today: 35.5 },
      { driver_id: 1001, event_timestamp: '2021-04-12T10:00:00Z', created: '2021-04-12T10:05:00Z', trips_today: 8, earnings_today: 97.25 },
      { driver_id: 1002, event_timestamp: '2021-04-12T08:00:00Z', created: '2021-04-12T08:05:00Z', trips_today: 1, earnings_today: 12 },
      { driver_id: 1002, event_timestamp: '2021-04-12T09:00:00Z', created: '2021-04-12T09:05:00Z', trips_today: 5, earnings_today: 60.75 },
      // 1003: one row, used for the exact ttl edges.
      { driver_id: 1003, event_timestamp: '2021-04-12T08:00:00Z', created: null, trips_today: 2, earnings_today: 20 },
      // 1004: three versions of the 12:00 row; the latest created wins, NULL created sorts lowest.
      { driver_id: 1004, event_timestamp: '2021-04-12T12:00:00Z', created: null, trips_today: 100, earnings_today: 1 },
      { driver_id: 1004, event_timestamp: '2021-04-12T12:00:00Z', created: '2021-04-12T13:00:00Z', trips_today: 7, earnings_today: 70 },
      { driver_id: 1004, event_timestamp: '2021-04-12T12:00:00Z', created: '2021-04-12T12:30:00Z', trips_today: 6, earnings_today: 60 },
      // 1005: a newer row with only NULL features still wins (NULLs are values, not "no row").
      { driver_id: 1005, event_timestamp: '2021-04-12T08:00:00Z', created: null, trips_today: 4, earnings_today: 40 },
      { driver_id: 1005, event_timestamp: '2021-04-12T09:00:00Z', created: null, trips_today: null, earnings_today: null },
    ]);
    await insertRows(t.pool, cityStats, [
      { driver_id: 1001, city: 'paris', ts: '2021-04-12T07:00:00Z', trips_today: 10, surge: '1.50' },
      { driver_id: 1001, city: 'lyon', ts: '2021-04-12T07:30:00Z', trips_today: 20, surge: '2.25' },
      { driver_id: 1001, city: 'paris', ts: '2021-04-11T07:00:00Z', trips_today: 9, surge: '1.00' },
    ]);
  });
  afterAll(() => t.close());

  it("reproduces Feast's documented example: before the first row and beyond the ttl give NULLs", async () => {
    const out = await engine.retrieve({
      entities: {
        driver_id: [1001, 1001, 1002, 1001, 1002],
        event_timestamp: ['2021-04-12T07:00:00Z', '2021-04-12T08:30:00Z', '2021-04-12T09:15:00Z', '2021-04-12T10:00:00Z', '2021-04-12T20:00:00Z'],
        trip_success: [0, 1, 1, 0, 1],
      },
      features: [
        { view: H, feature: 'trips_today' },
        { view: H, feature: 'earnings_today' },
      ],
    });
    expect(out.columns).toEqual({
      driver_id: [1001, 1001, 1002, 1001, 1002],
      event_timestamp: ['2021-04-12T07:00:00.000Z', '2021-04-12T08:30:00.000Z', '2021-04-12T09:15:00.000Z', '2021-04-12T10:00:00.000Z', '2021-04-12T20:00:00.000Z'],
      trip_success: [0, 1, 1, 0, 1],
      trips_today: [null, 3, 5, 8, null],
      earnings_today: [null, 35.5, 60.75, 97.25, null],
    });
    expect(Object.keys(out.columns)).toEqual(['driver_id', 'event_timestamp', 'trip_success', 'trips_today', 'earnings_today']);
  });

  it('includes a row exactly ttl old and exactly at T, excludes one a microsecond older than the ttl', async () => {
    const out = await engine.retrieve({
      entities: {
        driver_id: [1003, 1003, 1003, 1003],
        // Row at 08:00, ttl 2h: 10:00 is exactly T - ttl; epoch ms and an offset zone are accepted inputs.
        event_timestamp: ['2021-04-12T10:00:00Z', '2021-04-12T10:00:00.000001Z', Date.parse('2021-04-12T08:00:00Z'), '2021-04-12T09:59:59.999999+00:00'],
      },
      features: [{ view: H, feature: 'trips_today' }],
    });
    expect(out.columns.trips_today).toEqual([2, null, 2, 2]);
    expect(out.columns.event_timestamp).toEqual(['2021-04-12T10:00:00.000Z', '2021-04-12T10:00:00.000001Z', '2021-04-12T08:00:00.000Z', '2021-04-12T09:59:59.999999Z']);
  });

  it('breaks event-time ties by the greatest created timestamp, NULL lowest; a newer all-NULL row still wins', async () => {
    const out = await engine.retrieve({
      entities: { driver_id: [1004, 1005, 1005], event_timestamp: ['2021-04-12T12:00:00Z', '2021-04-12T09:30:00Z', '2021-04-12T08:30:00Z'] },
      features: [
        { view: H, feature: 'trips_today' },
        { view: H, feature: 'earnings_today' },
      ],
    });
    expect(out.columns.trips_today).toEqual([7, null, 4]);
    expect(out.columns.earnings_today).toEqual([70, null, 40]);
  });

  it('keeps duplicate and out-of-order entity rows, unknown and null keys, in input order', async () => {
    const out = await engine.retrieve({
      entities: {
        event_timestamp: ['2021-04-12T10:30:00+02:00', '2021-04-12T09:30:00Z', '2021-04-12T09:30:00Z', '2021-04-12T09:30:00Z', '2021-04-12T09:30:00Z'],
        driver_id: ['1001', 1001, 1001, 999999, null],
        row_label: ['a', 'b', 'b', { nested: true }, null],
      },
      features: [{ view: H, feature: 'trips_today' }],
    });
    expect(out.columns).toEqual({
      event_timestamp: ['2021-04-12T08:30:00.000Z', '2021-04-12T09:30:00.000Z', '2021-04-12T09:30:00.000Z', '2021-04-12T09:30:00.000Z', '2021-04-12T09:30:00.000Z'],
      driver_id: [1001, 1001, 1001, 999999, null],
      row_label: ['a', 'b', 'b', { nested: true }, null],
      trips_today: [3, 3, 3, null, null],
    });
  });

  it('joins several views with composite keys and names outputs view__feature with full feature names', async () => {
    const out = await engine.retrieve({
      entities: {
        driver_id: [1001, 1001, 1001],
        city: ['paris', 'lyon', 'nice'],
        event_timestamp: ['2021-04-12T08:30:00Z', '2021-04-12T08:30:00Z', '2021-04-12T08:30:00Z'],
      },
      features: [
        { view: C, feature: 'surge' },
        { view: H, feature: 'trips_today' },
        { view: C, feature: 'trips_today' },
      ],
      fullFeatureNames: true,
    });
    expect(out.columns).toEqual({
      driver_id: [1001, 1001, 1001],
      city: ['paris', 'lyon', 'nice'],
      event_timestamp: ['2021-04-12T08:30:00.000Z', '2021-04-12T08:30:00.000Z', '2021-04-12T08:30:00.000Z'],
      driver_city_stats__surge: [1.5, 2.25, null],
      driver_hourly_stats__trips_today: [3, 3, 3],
      driver_city_stats__trips_today: [10, 20, null],
    });
  });

  it('refuses two features with one output name unless full feature names are asked for', async () => {
    const request = {
      entities: { driver_id: [1001], city: ['paris'], event_timestamp: ['2021-04-12T08:30:00Z'] },
      features: [
        { view: H, feature: 'trips_today' },
        { view: C, feature: 'trips_today' },
      ],
    };
    const err = await engine.retrieve(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeaturesError);
    expect((err as FeaturesError).code).toBe('INVALID_REQUEST');
    expect((err as FeaturesError).message).toContain('driver_hourly_stats:trips_today and driver_city_stats:trips_today would both be output as trips_today');
    expect((err as FeaturesError).surface.http).toBe(400);
  });
});
