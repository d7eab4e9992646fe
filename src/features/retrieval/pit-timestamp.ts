/**
 * Timestamps of point-in-time retrieval keep PostgreSQL's microseconds, which a Date cannot: an
 * instant is epoch milliseconds plus the microseconds below them (see common/time/iso-instant, the
 * parser shared with ingestion).
 */
import { Instant, MAX_EPOCH_MS, MIN_EPOCH_MS, parseIsoInstant } from '../../common/time/iso-instant';

export type { Instant };

const inRange = (ms: number): boolean => ms >= MIN_EPOCH_MS && ms <= MAX_EPOCH_MS;

/**
 * An ISO-8601 date-time. `requireZone`: strings from clients must say their zone; PostgreSQL output
 * (session TimeZone pinned to UTC) omits it for `timestamp` columns and dates, which are UTC.
 */
export function parseIso(text: string, requireZone = true): Instant | null {
  const parsed = parseIsoInstant(text, requireZone ? { defaultOffsetMinutes: null } : { defaultOffsetMinutes: 0, allowDateOnly: true });
  return 'instant' in parsed ? parsed.instant : null;
}

/** An entity `event_timestamp`: ISO string with zone, epoch milliseconds (number) or Date; else null. */
export function toInstant(value: unknown): Instant | null {
  if (typeof value === 'string') return parseIso(value, true);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    let ms = Math.floor(value);
    let us = Math.round((value - ms) * 1000);
    if (us === 1000) {
      ms += 1;
      us = 0;
    }
    return inRange(ms) ? { ms, us } : null;
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) || !inRange(ms) ? null : { ms, us: 0 };
  }
  return null;
}

/** `2024-05-01T10:00:00.000Z`, with six fractional digits only when there are sub-millisecond ones. */
export function formatIso(ms: number, us: number): string {
  const iso = new Date(ms).toISOString();
  return us === 0 ? iso : `${iso.slice(0, -1)}${String(us).padStart(3, '0')}Z`;
}

/** The COPY text of a timestamptz: explicit UTC offset, full microseconds. */
export function pgTimestampText(ms: number, us: number): string {
  return `${new Date(ms).toISOString().slice(0, -1)}${String(us).padStart(3, '0')}+00`;
}

/** Epoch microseconds for Arrow's Timestamp(µs). */
export function epochMicros(ms: number, us: number): bigint {
  return BigInt(ms) * 1000n + BigInt(us);
}
