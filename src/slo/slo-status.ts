import type { SloDefinition } from './slo-definition';
import type { EvaluationRow } from './slo-measurements.repository';

export type SloStatus = 'met' | 'at_risk' | 'breached';

/** Share of the window a time-based SLO must be met (its error budget is the rest). */
export const TIME_OBJECTIVE = 0.99;
/** Freshness: at risk from this share of the target on. */
const LATENCY_AT_RISK = 0.8;
/** Frequency: a load may be this late (× target) and still count as on time; at risk up to 2×. */
const FREQUENCY_GRACE = 1.25;
const FREQUENCY_BREACH = 2;
/** Availability: at risk when less than this share of the error budget is left. */
const BUDGET_AT_RISK = 0.25;

export interface Judgement {
  status: SloStatus;
  measured: number | null;
  evidence: Record<string, unknown>;
}

/** Freshness: the age of the newest data against the target. No data at all is a breach. */
export function judgeLatency(def: SloDefinition, ageSeconds: number | null, evidence: Record<string, unknown>): Judgement {
  if (ageSeconds === null) return { status: 'breached', measured: null, evidence: { ...evidence, reason: 'no data yet' } };
  const status = ageSeconds > def.target ? 'breached' : ageSeconds > LATENCY_AT_RISK * def.target ? 'at_risk' : 'met';
  return { status, measured: ageSeconds, evidence };
}

/** Frequency: time since the last load against the expected interval between loads. */
export function judgeFrequency(def: SloDefinition, sinceLastLoad: number | null, evidence: Record<string, unknown>): Judgement {
  if (sinceLastLoad === null) return { status: 'breached', measured: null, evidence: { ...evidence, reason: 'no load recorded yet' } };
  const status = sinceLastLoad > FREQUENCY_BREACH * def.target ? 'breached' : sinceLastLoad > FREQUENCY_GRACE * def.target ? 'at_risk' : 'met';
  return { status, measured: sinceLastLoad, evidence };
}

/**
 * Availability: successful reads / all reads over the window, against the target percentage.
 * Request-based error budget: (1 - target) × reads may fail. No reads: met (nothing failed).
 */
export function judgeAvailability(def: SloDefinition, reads: { ok: number; failed: number }, evidence: Record<string, unknown>): Judgement & { budget: ErrorBudget } {
  const total = reads.ok + reads.failed;
  const allowed = (1 - def.target / 100) * total;
  const budget: ErrorBudget = { kind: 'requests', total: allowed, consumed: reads.failed, remaining: allowed > 0 ? 1 - reads.failed / allowed : reads.failed > 0 ? -Infinity : 1 };
  if (total === 0) return { status: 'met', measured: null, evidence: { ...evidence, reason: 'no reads in the window' }, budget: { ...budget, remaining: 1 } };
  const measured = (100 * reads.ok) / total;
  const status = measured < def.target ? 'breached' : budget.remaining < BUDGET_AT_RISK ? 'at_risk' : 'met';
  return { status, measured, evidence: { ...evidence, ok: reads.ok, failed: reads.failed }, budget };
}

/**
 * Retention: rows inside the retention window must not disappear. Breached when the oldest row is now
 * younger than an oldest row seen earlier in the window while that earlier one was still inside the
 * retention period (data the contract promised to keep was deleted). Measured: age of the oldest row.
 */
export function judgeRetention(def: SloDefinition, oldest: Date | null, earlierOldest: Date | null, now: Date): Judgement {
  const measured = oldest ? (now.getTime() - oldest.getTime()) / 1000 : null;
  const evidence: Record<string, unknown> = { oldestEventTs: oldest?.toISOString() ?? null };
  if (earlierOldest && (!oldest || oldest.getTime() > earlierOldest.getTime())) {
    const stillPromised = now.getTime() - earlierOldest.getTime() < def.target * 1000;
    if (stillPromised) return { status: 'breached', measured, evidence: { ...evidence, earlierOldestEventTs: earlierOldest.toISOString(), reason: 'rows inside the retention period were deleted' } };
  }
  return { status: 'met', measured, evidence };
}

/**
 * Data quality of the stored rows, from the latest quality run: measured = share of evaluated rules
 * that passed. A failed blocking rule is a breach, a failed warning rule puts the SLO at risk; when the
 * contract declares `completeness`, a pass share below it is a breach as well.
 */
export function judgeQuality(def: SloDefinition & { fromContract: boolean }, run: { outcome: string; passed: number; failed: number; errors: number }, evidence: Record<string, unknown>): Judgement {
  const evaluated = run.passed + run.failed + run.errors;
  const measured = evaluated === 0 ? 100 : (100 * run.passed) / evaluated;
  const status: SloStatus = run.outcome === 'failed' || (def.fromContract && measured < def.target) ? 'breached' : run.outcome === 'warned' ? 'at_risk' : 'met';
  return { status, measured, evidence: { ...evidence, outcome: run.outcome, passed: run.passed, failed: run.failed, errors: run.errors } };
}

export interface ErrorBudget {
  /** `time`: seconds of the window the SLO may be breached; `requests`: reads that may fail. */
  kind: 'time' | 'requests';
  total: number;
  consumed: number;
  /** Share left, 1 = untouched, <= 0 = exhausted. */
  remaining: number;
}

/**
 * Time-based error budget over [windowStart, now]: (1 - TIME_OBJECTIVE) of the window, consumed by
 * the time spent breached (each evaluation's status holds until the next one). `history` is oldest
 * first and may start with the last evaluation before the window.
 */
export function timeBudget(history: Pick<EvaluationRow, 'evaluatedAt' | 'status'>[], windowStart: Date, now: Date): ErrorBudget {
  const total = ((1 - TIME_OBJECTIVE) * (now.getTime() - windowStart.getTime())) / 1000;
  let consumed = 0;
  history.forEach((e, i) => {
    if (e.status !== 'breached') return;
    const from = Math.max(e.evaluatedAt.getTime(), windowStart.getTime());
    const to = i + 1 < history.length ? history[i + 1].evaluatedAt.getTime() : now.getTime();
    if (to > from) consumed += (to - from) / 1000;
  });
  return { kind: 'time', total, consumed, remaining: total > 0 ? 1 - consumed / total : 1 };
}
