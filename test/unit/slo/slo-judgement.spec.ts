import fc from 'fast-check';
import { sloDefinitions } from '../../../src/slo/slo-definition';
import { judgeAvailability, judgeFrequency, judgeLatency, judgeQuality, judgeRetention, timeBudget, TIME_OBJECTIVE } from '../../../src/slo/slo-status';

const sla = (property: string, value: unknown, unit: string | null, element: string | null = null) => ({ property, value: value as number, unit, element, driver: null, description: null });

describe('SLO definitions from ODCS slaProperties', () => {
  it('reads durations in any unit as seconds, percentages as percent, and the element’s column', () => {
    const { definitions, skipped } = sloDefinitions([
      sla('latency', 1, 'h', 'hourly.event_timestamp'),
      sla('frequency', '30', 'min'),
      sla('availability', 99.5, 'percent'),
      sla('retention', 400, 'd', 'event_timestamp'),
      sla('generalAvailability', '2024-01-01', null),
    ]);
    expect(definitions).toEqual([
      { slo: 'latency', target: 3600, unit: 'seconds', column: 'event_timestamp', declared: '1 h' },
      { slo: 'frequency', target: 1800, unit: 'seconds', column: null, declared: '30 min' },
      { slo: 'availability', target: 99.5, unit: 'percent', column: null, declared: '99.5 percent' },
      { slo: 'retention', target: 400 * 86400, unit: 'seconds', column: 'event_timestamp', declared: '400 d' },
    ]);
    expect(skipped).toEqual([]);
  });

  it('skips what it cannot measure, saying why', () => {
    const { definitions, skipped } = sloDefinitions([sla('latency', 'soon', 'h'), sla('latency', 2, 'fortnights'), sla('availability', 120, 'percent'), sla('availability', 99, 'h')]);
    expect(definitions).toEqual([]);
    expect(skipped.map((s) => s.reason)).toEqual([
      'value "soon" is not a positive number',
      'unit "fortnights" is not a duration unit (ms, s, m, h, d, w, y)',
      '120 percent is more than 100',
      'unit "h" is not percent',
    ]);
  });
});

describe('SLO judgements', () => {
  const latency = { slo: 'latency' as const, target: 3600, unit: 'seconds' as const, column: null, declared: '1 h' };
  const frequency = { ...latency, slo: 'frequency' as const };
  const availability = { slo: 'availability' as const, target: 99, unit: 'percent' as const, column: null, declared: '99 percent' };
  const retention = { slo: 'retention' as const, target: 10 * 86400, unit: 'seconds' as const, column: null, declared: '10 d' };

  it('latency: met up to 80% of the target, at risk to 100%, breached beyond or with no data', () => {
    expect(judgeLatency(latency, 2880, {}).status).toBe('met');
    expect(judgeLatency(latency, 2881, {}).status).toBe('at_risk');
    expect(judgeLatency(latency, 3600, {}).status).toBe('at_risk');
    expect(judgeLatency(latency, 3601, {}).status).toBe('breached');
    expect(judgeLatency(latency, null, {})).toEqual({ status: 'breached', measured: null, evidence: { reason: 'no data yet' } });
  });

  it('frequency: a load may be 25% late; at risk to twice the interval; breached after', () => {
    expect(judgeFrequency(frequency, 4500, {}).status).toBe('met');
    expect(judgeFrequency(frequency, 4501, {}).status).toBe('at_risk');
    expect(judgeFrequency(frequency, 7201, {}).status).toBe('breached');
    expect(judgeFrequency(frequency, null, {}).status).toBe('breached');
  });

  it('availability: request-based budget; no reads is met', () => {
    expect(judgeAvailability(availability, { ok: 0, failed: 0 }, {}).status).toBe('met');
    const fine = judgeAvailability(availability, { ok: 999, failed: 1 }, {});
    expect(fine).toMatchObject({ status: 'met', measured: 99.9, budget: { kind: 'requests', consumed: 1 } });
    expect(fine.budget.total).toBeCloseTo(10);
    expect(fine.budget.remaining).toBeCloseTo(0.9);
    expect(judgeAvailability(availability, { ok: 991, failed: 9 }, {}).status).toBe('at_risk'); // 10% of the budget left
    expect(judgeAvailability(availability, { ok: 98, failed: 2 }, {}).status).toBe('breached');
  });

  it('availability: breached exactly when measured is below target (property)', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(100_000), (ok, failed) => {
        fc.pre(ok + failed > 0);
        const j = judgeAvailability(availability, { ok, failed }, {});
        expect(j.status === 'breached').toBe((100 * ok) / (ok + failed) < 99);
      }),
    );
  });

  it('retention: breached only when rows still inside the retention period disappeared', () => {
    const now = new Date('2024-06-30T00:00:00Z');
    const day = (d: number) => new Date(now.getTime() - d * 86400_000);
    expect(judgeRetention(retention, day(20), null, now).status).toBe('met');
    // Oldest row moved from 5 days ago to 3 days ago: 5-day-old rows were still promised.
    expect(judgeRetention(retention, day(3), day(5), now)).toMatchObject({ status: 'breached', evidence: { reason: 'rows inside the retention period were deleted' } });
    // Moved from 15 to 11 days ago: only rows past retention were removed.
    expect(judgeRetention(retention, day(11), day(15), now).status).toBe('met');
    expect(judgeRetention(retention, null, day(2), now).status).toBe('breached');
  });

  it('time budget: 1% of the window, consumed by time spent breached', () => {
    const start = new Date('2024-01-01T00:00:00Z');
    const now = new Date('2024-01-02T00:00:00Z'); // a 24 h window: 864 s of budget
    const at = (h: number) => new Date(start.getTime() + h * 3600_000);
    const budget = timeBudget(
      [
        { evaluatedAt: at(-1), status: 'breached' }, // before the window: counts from the window start
        { evaluatedAt: at(0.1), status: 'met' },
        { evaluatedAt: at(10), status: 'breached' },
        { evaluatedAt: at(10.05), status: 'at_risk' },
      ],
      start,
      now,
    );
    expect(budget.total).toBeCloseTo((1 - TIME_OBJECTIVE) * 86400);
    expect(budget.consumed).toBeCloseTo(360 + 180);
    expect(budget.remaining).toBeCloseTo(1 - 540 / 864);
  });
});

describe('data-quality SLO', () => {
  const implicit = { slo: 'completeness' as const, target: 100, unit: 'percent' as const, column: null, declared: 'no blocking quality rule fails', fromContract: false };
  const declared = { ...implicit, target: 90, declared: '90 percent', fromContract: true };
  it('breaches on a failed blocking rule, is at risk on a failed warning rule, and holds a declared completeness target', () => {
    expect(judgeQuality(implicit, { outcome: 'passed', passed: 5, failed: 0, errors: 0 }, {})).toMatchObject({ status: 'met', measured: 100 });
    expect(judgeQuality(implicit, { outcome: 'warned', passed: 4, failed: 1, errors: 0 }, {})).toMatchObject({ status: 'at_risk', measured: 80 });
    expect(judgeQuality(implicit, { outcome: 'failed', passed: 4, failed: 1, errors: 0 }, {})).toMatchObject({ status: 'breached' });
    expect(judgeQuality(declared, { outcome: 'warned', passed: 8, failed: 2, errors: 0 }, {})).toMatchObject({ status: 'breached', measured: 80 });
    expect(judgeQuality(declared, { outcome: 'warned', passed: 19, failed: 1, errors: 0 }, {})).toMatchObject({ status: 'at_risk', measured: 95 });
  });
});
