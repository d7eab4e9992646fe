/**
 * Timestamps of point-in-time retrieval keep PostgreSQL's microseconds, which a Date cannot. An
 * instant is epoch milliseconds (a double holds every millisecond of years 1-9999 exactly) plus the
 * microseconds below it (0-999): epoch microseconds in one double would be exact only until 2255,
 * and a `9999-12-31T23:59:59.999Z` validity sentinel would come back with invented microseconds.
 * Parsing is ours, not Date.parse, so that a string without a zone is refused instead of silently
 * read in the server's zone.
 */
export interface Instant {
  ms: number;
  /** Microseconds below the millisecond, 0-999. */
  us: number;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

const MAX_EPOCH_MS = 253402300799999; // 9999-12-31T23:59:59.999Z
const MIN_EPOCH_MS = -62135596800000; // 0001-01-01T00:00:00Z

/**
 * An ISO-8601 date-time. `requireZone`: strings from clients must say their zone; PostgreSQL output
 * (session TimeZone pinned to UTC) omits it for `timestamp` columns and dates.
 */
export function parseIso(text: string, requireZone = true): Instant | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (requireZone && (h === undefined || zone === undefined)) return null;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), month - 1, day); // unlike Date.UTC, keeps years 0-99 as given
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null; // e.g. 2023-02-29
  date.setUTCHours(hour, minute, second, 0);
  let offsetMinutes = 0;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 15 || om > 59) return null;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const micros = fractionMicros(frac); // 0..1_000_000 (rounding may carry into the next second)
  const ms = date.getTime() - offsetMinutes * 60_000 + Math.floor(micros / 1000);
  return inRange(ms) ? { ms, us: micros % 1000 } : null;
}

/** Six fractional digits, rounded half up on the seventh like PostgreSQL's input routine. */
function fractionMicros(frac: string | undefined): number {
  if (!frac) return 0;
  const micros = Number(`${frac}000000`.slice(0, 6));
  return frac.length > 6 && Number(frac[6]) >= 5 ? micros + 1 : micros;
}

function inRange(ms: number): boolean {
  return ms >= MIN_EPOCH_MS && ms <= MAX_EPOCH_MS;
}

/** An entity `event_timestamp`: ISO string with zone, epoch milliseconds (number) or Date; else null. */
export function toInstant(value: unknown): Instant | null {
  if (typeof value === 'string') return parseIso(value, true);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    let ms = Math.floor(value);
    let us = Math.round((value - ms) * 1000);
    if (us === 1000) (ms += 1), (us = 0);
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
