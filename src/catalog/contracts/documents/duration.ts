/**
 * Feature view ttl: `0`, a non-negative integer of seconds, or units in descending order
 * (`90s`, `30m`, `2h`, `1d`, `1h30m`). Days are fixed 86 400 s: ttl is a max age, not a calendar unit.
 */
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const UNIT_SECONDS = [86_400, 3_600, 60, 1];

export function parseDurationSeconds(value: unknown): number | null {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : null;
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return safe(Number(text));
  const match = DURATION.exec(text);
  if (!match || text === '') return null;
  let total = 0;
  match.slice(1).forEach((part, i) => {
    if (part !== undefined) total += Number(part) * UNIT_SECONDS[i];
  });
  return safe(total);
}

function safe(n: number): number | null {
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Shape check only (5 fields, or 6 with seconds): the scheduler that runs it validates ranges.
 * Accepts the usual cron characters and month/day names.
 */
const CRON_FIELD = /^[0-9A-Za-z*?/,#LW-]+$/;

export function isCronExpression(value: string): boolean {
  const fields = value.trim().split(/\s+/);
  return (fields.length === 5 || fields.length === 6) && fields.every((f) => CRON_FIELD.test(f));
}
