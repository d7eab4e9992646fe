import { resolveRate, sampled, unitHash } from '../../../src/scoring/prediction-log/prediction-log-sampler';
import { generateDemoRiskData, generateLiveRows } from '../../../src/scoring/training/demo-risk-data';

describe('prediction log sampling', () => {
  const ids = Array.from({ length: 20_000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

  it('keeps nothing at 0, everything at 1, about the rate in between, even for sequential ids', () => {
    expect(ids.filter((id) => sampled(id, 0))).toHaveLength(0);
    expect(ids.filter((id) => sampled(id, 1))).toHaveLength(ids.length);
    for (const rate of [0.01, 0.1, 0.5, 0.9]) {
      const kept = ids.filter((id) => sampled(id, rate)).length / ids.length;
      expect(Math.abs(kept - rate)).toBeLessThan(0.02);
    }
    expect(Math.min(...ids.map(unitHash))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ids.map(unitHash))).toBeLessThan(1);
  });

  it('is a function of the request id: a lower rate keeps a subset of a higher one', () => {
    const at = (rate: number) => new Set(ids.filter((id) => sampled(id, rate)));
    const low = at(0.2);
    const high = at(0.6);
    for (const id of low) expect(high.has(id)).toBe(true);
    expect(ids.map((id) => sampled(id, 0.3))).toEqual(ids.map((id) => sampled(id, 0.3)));
  });

  it('takes the per-model setting first, then the document rate when valid, else 1', () => {
    expect(resolveRate(0.2, 0.7)).toBe(0.2);
    expect(resolveRate(0, 0.7)).toBe(0);
    expect(resolveRate(null, 0.7)).toBe(0.7);
    expect(resolveRate(null, 1.5)).toBe(1);
    expect(resolveRate(null, '0.5')).toBe(1);
    expect(resolveRate(null, null)).toBe(1);
  });
});

describe('demo risk data (npm run demo:train)', () => {
  it('is deterministic, unique per (driver, hour), labelled by its rule', () => {
    const a = generateDemoRiskData();
    expect(generateDemoRiskData()).toEqual(a);
    const keys = new Set(a.hourly.map((r) => `${r.driver_id}@${r.event_timestamp}`));
    expect(keys.size).toBe(a.hourly.length);
    expect(a.hourly.length).toBe(2 * a.entities.driver_id.length);
    const rate = a.entities.label.reduce((s, l) => s + l, 0) / a.entities.label.length;
    expect(rate).toBeGreaterThan(0.1);
    expect(rate).toBeLessThan(0.5);
    for (const r of a.daily) expect(r.chargeback_count).toBeLessThanOrEqual(r.txn_count);
  });

  it('live rows are the same within an hour and dated at or before now', () => {
    const data = generateDemoRiskData();
    const now = Date.parse('2026-11-28T15:42:00Z');
    const live = generateLiveRows(data, now);
    expect(generateLiveRows(data, now + 60_000)).toEqual(live);
    expect(live.hourly[0]).toMatchObject({ driver_id: 1001, event_timestamp: '2026-11-28T15:00:00.000Z', created: '2026-11-28T15:00:00.000Z' });
    expect(live.daily[0]).toMatchObject({ event_timestamp: '2026-11-28T00:00:00.000Z' });
  });

  it('daily live rows are the same all day (a re-run in a later hour sends no conflicting row), hourly ones change', () => {
    const data = generateDemoRiskData();
    const morning = generateLiveRows(data, Date.parse('2026-11-28T08:10:00Z'));
    const evening = generateLiveRows(data, Date.parse('2026-11-28T21:50:00Z'));
    expect(evening.daily).toEqual(morning.daily);
    expect(evening.hourly).not.toEqual(morning.hourly);
  });
});
