/**
 * Timestamps, dates and times as ingestion accepts and stores them. Timestamps are parsed by the
 * service's one ISO parser (common/time/iso-instant: zone required unless the contract names a default,
 * microseconds kept, rounded like PostgreSQL); dates and times of day are checked here.
 */
import { civilFromDays, DAY_MS, Instant, MAX_EPOCH_MS, MIN_EPOCH_MS, parseIsoInstant, parseOffset, validDate } from '../../common/time/iso-instant';

export { MAX_EPOCH_MS, MIN_EPOCH_MS };
export type { Instant };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?$/;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export type ParsedTimestamp = { instant: Instant } | { problem: string };

/**
 * ISO-8601 date-time. A value without a zone is refused unless `defaultOffsetMinutes` says how to
 * read it (the contract's defaultTimezone, or UTC for the contract's own bounds).
 */
export function parseTimestamp(text: string, defaultOffsetMinutes: number | null = null): ParsedTimestamp {
  return parseIsoInstant(text, { defaultOffsetMinutes });
}

/**
 * The contract's `defaultTimezone` as a fixed offset: UTC names and numeric offsets only. A named
 * zone (Europe/Oslo) has daylight-saving rules, so it is not guessed: such values still need a zone.
 */
export function defaultOffsetOf(option: unknown): number | null {
  if (typeof option !== 'string') return null;
  const text = option.trim();
  if (/^(Z|UTC|GMT|Etc\/UTC|Etc\/GMT)$/i.test(text)) return 0;
  return /^[+-]\d{2}(:?\d{2})?$/.test(text) ? parseOffset(text) : null;
}

export function instantFromEpochMs(ms: number): ParsedTimestamp {
  if (!Number.isInteger(ms)) return { problem: 'epoch milliseconds must be an integer' };
  if (ms < MIN_EPOCH_MS || ms > MAX_EPOCH_MS) return { problem: 'timestamp outside years 0001-9999' };
  return { instant: { ms, us: 0 } };
}

/** Canonical form, also what COPY sends: `YYYY-MM-DDTHH:MM:SS.ffffffZ` (always UTC, always 6 digits). */
export function formatInstant(i: Instant): string {
  const days = Math.floor(i.ms / DAY_MS);
  const [y, m, d] = civilFromDays(days);
  let rest = i.ms - days * DAY_MS;
  const ms = rest % 1000;
  rest = (rest - ms) / 1000;
  const frac = String(ms * 1000 + i.us).padStart(6, '0');
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}T${pad2(Math.floor(rest / 3600))}:${pad2(Math.floor(rest / 60) % 60)}:${pad2(rest % 60)}.${frac}Z`;
}

/** Canonical date text of epoch milliseconds (Arrow date columns). */
export function formatEpochDay(ms: number): string {
  const [y, m, d] = civilFromDays(Math.floor(ms / DAY_MS));
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

export function compareInstants(a: Instant, b: Instant): number {
  return a.ms - b.ms || a.us - b.us;
}

/** Epoch microseconds (Arrow timestamps) as an instant; floor division so pre-1970 values stay exact. */
export function instantFromEpochMicros(us: bigint): Instant {
  let ms = us / 1000n;
  let rest = us % 1000n;
  if (rest < 0n) {
    ms -= 1n;
    rest += 1000n;
  }
  return { ms: Number(ms), us: Number(rest) };
}

/** `YYYY-MM-DD`, a real calendar day; returns the canonical text or null. */
export function parseDate(text: string): string | null {
  const m = DATE.exec(text.trim());
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** `HH:MM[:SS[.ffffff]]` without a zone (the column is `time`); canonical `HH:MM:SS.ffffff` or null. */
export function parseTime(text: string): string | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  const [, h, mi, s, frac] = m;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return null;
  return `${h}:${mi}:${s ?? '00'}.${(frac ?? '').slice(0, 6).padEnd(6, '0')}`;
}

/** Microseconds since midnight as canonical time text (Arrow time columns). */
export function formatTimeOfDay(us: bigint): string | null {
  if (us < 0n || us >= 86_400_000_000n) return null;
  const total = Number(us);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const secs = Math.floor(total / 1e6);
  return `${pad(Math.floor(secs / 3600))}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}.${pad(total % 1e6, 6)}`;
}
