import fc from 'fast-check';
import { FeaturesError } from '../../src/features/features-error';
import { PointInTimeEngine } from '../../src/features/retrieval/point-in-time.engine';
import type { PitRequest } from '../../src/features/retrieval/pit-request';
import { formatIso, parseIso, pgTimestampText, toInstant } from '../../src/features/retrieval/pit-timestamp';
import { createPitDb, PitTableSpec, PitTestDb, resolvedView } from '../support/pit-tables';

const stats: PitTableSpec = {
  view: 'stats',
  table: 'stats',
  keys: [{ name: 'driver_id', type: 'integer', sql: 'bigint' }],
  timestamp: { column: 'event_timestamp' },
  created: null,
  ttlSeconds: 0,
  features: [{ name: 'trips', type: 'integer', sql: 'bigint' }],
};

describe('point-in-time timestamps', () => {
  const instant = fc.record({ ms: fc.bigInt({ min: -62135596800000n, max: 253402300799999n }).map(Number), us: fc.integer({ min: 0, max: 999 }) });

  it('round-trips every microsecond of years 1-9999 through the ISO output and the COPY text', () => {
    fc.assert(
      fc.property(instant, ({ ms, us }) => {
        expect(parseIso(formatIso(ms, us))).toEqual({ ms, us });
        expect(parseIso(pgTimestampText(ms, us))).toEqual({ ms, us });
      }),
      { numRuns: 2000 },
    );
    // A far-future validity sentinel keeps its exact milliseconds (epoch µs in a double would not).
    expect(formatIso(parseIso('9999-12-31T23:59:59.999Z')!.ms, 0)).toBe('9999-12-31T23:59:59.999Z');
  });

  it('reads zones, epoch milliseconds and Dates as the same instant; refuses what has no zone or does not exist', () => {
    const ms = Date.parse('2024-05-01T10:00:00Z');
    for (const same of ['2024-05-01T10:00:00Z', '2024-05-01 12:30:00+02:30', '2024-05-01T05:00:00-0500', ms, new Date(ms)]) expect(toInstant(same)).toEqual({ ms, us: 0 });
    expect(toInstant('2024-05-01T10:00:00.0000015Z')).toEqual({ ms, us: 2 }); // rounded to µs like PostgreSQL
    expect(toInstant('2024-05-01T09:59:59.9999996Z')).toEqual({ ms, us: 0 }); // ... carrying into the second
    expect(toInstant(ms + 0.25)).toEqual({ ms, us: 250 });
    for (const bad of ['2024-05-01T10:00:00', '2024-05-01', '2023-02-29T00:00:00Z', '2024-05-01T24:00:00Z', '10000-01-01T00:00:00Z', 'yesterday', '', null, true, Number.NaN, new Date(Number.NaN), {}]) {
      expect(toInstant(bad)).toBeNull();
    }
  });
});

describe('point-in-time request validation', () => {
  let t: PitTestDb;
  let engine: PointInTimeEngine;
  const S = resolvedView(stats);
  const base = (entities: Record<string, unknown[]>): PitRequest => ({ entities, features: [{ view: S, feature: 'trips' }] });

  beforeAll(async () => {
    t = await createPitDb([stats]);
    engine = new PointInTimeEngine(t.pool);
  });
  afterAll(() => t.close());

  async function refusal(request: PitRequest): Promise<FeaturesError> {
    const err = await engine.retrieve(request).catch((e: unknown) => e);
    if (!(err instanceof FeaturesError)) throw new Error(`expected a FeaturesError, got ${String(err)}`);
    return err;
  }

  it('names a missing join key column and a missing event_timestamp', async () => {
    const err = await refusal(base({ label: [1] }));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.surface.http).toBe(400);
    expect(err.details).toEqual([
      { field: 'entities.driver_id', reason: 'join key column is missing' },
      { field: 'entities.event_timestamp', reason: 'column is missing' },
    ]);
  });

  it('names the columns whose length differs', async () => {
    const err = await refusal(base({ driver_id: [1, 2, 3], event_timestamp: ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'], label: [1, 2] }));
    expect(err.details).toEqual([{ field: 'entities.driver_id', reason: 'has 3 values but event_timestamp has 2' }]);
  });

  it('refuses an empty entity set', async () => {
    const err = await refusal(base({ driver_id: [], event_timestamp: [] }));
    expect(err.message).toBe('entities must have at least one row');
  });

  it('names each row with an invalid timestamp or key', async () => {
    const err = await refusal(base({ driver_id: [1, '2', 2.5, '99999999999999999999', 'x'], event_timestamp: ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00', 1704067200000, 'soon', null] }));
    expect(err.details).toEqual([
      { field: 'entities.event_timestamp[1]', reason: 'row 1: "2024-01-01T00:00:00" is not an ISO-8601 timestamp with a zone, epoch milliseconds or a Date' },
      { field: 'entities.event_timestamp[3]', reason: 'row 3: "soon" is not an ISO-8601 timestamp with a zone, epoch milliseconds or a Date' },
      { field: 'entities.event_timestamp[4]', reason: 'row 4: null is not an ISO-8601 timestamp with a zone, epoch milliseconds or a Date' },
      { field: 'entities.driver_id[2]', reason: 'row 2: 2.5 is not a 64-bit integer' },
      { field: 'entities.driver_id[3]', reason: 'row 3: "99999999999999999999" is not a 64-bit integer' },
      { field: 'entities.driver_id[4]', reason: 'row 4: "x" is not a 64-bit integer' },
    ]);
    expect(err.message).toContain('entities.event_timestamp[1]');
  });

  it('names an unknown feature of a view', async () => {
    const err = await refusal({ entities: { driver_id: [1], event_timestamp: [0] }, features: [{ view: S, feature: 'nope' }] });
    expect(err.code).toBe('FEATURE_NOT_FOUND');
    expect(err.message).toBe('feature stats:nope not found: view stats has trips');
  });

  it('refuses a feature named like an entity column', async () => {
    const err = await refusal(base({ driver_id: [1], event_timestamp: [0], trips: [3] }));
    expect(err.message).toContain('entity column trips and stats:trips would both be output as trips');
  });

  it('reports a view whose offline table or column is missing as a 409 naming it', async () => {
    const noTable = { ...S, name: 'ghost', table: { schema: 'pit', name: 'ghost' } };
    let err = await refusal({ entities: { driver_id: [1], event_timestamp: [0] }, features: [{ view: noTable, feature: 'trips' }] });
    expect(err.code).toBe('OFFLINE_TABLE_MISSING');
    expect(err.surface.http).toBe(409);
    expect(err.message).toBe('feature view ghost: offline table pit.ghost does not exist');
    const noColumn = { ...S, features: [...S.features, { name: 'rating', column: 'rating', type: 'number' as const }] };
    err = await refusal({ entities: { driver_id: [1], event_timestamp: [0] }, features: [{ view: noColumn, feature: 'rating' }] });
    expect(err.message).toBe('feature view stats: offline table pit.stats has no column rating');
  });

  it('refuses views that disagree on the type of a shared join key', async () => {
    const asText = { ...S, name: 'stats_text', joinKeys: [{ name: 'driver_id', column: 'driver_id', type: 'string' as const }] };
    const err = await refusal({
      entities: { driver_id: [1], event_timestamp: [0] },
      features: [
        { view: S, feature: 'trips' },
        { view: asText, feature: 'trips' },
      ],
      fullFeatureNames: true,
    });
    expect(err.message).toContain('join key driver_id is integer in view stats but string in view stats_text');
  });
});
