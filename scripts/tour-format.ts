/** How the tour prints answers: compact JSON, long arrays and strings shortened so a step fits a screen. */
export interface ClipOptions {
  /** Items of an array shown before `…`. */
  items: number;
  /** Characters of a string shown before `…`. */
  chars: number;
}

const DEFAULT_CLIP: ClipOptions = { items: 6, chars: 120 };

export function clip(value: unknown, o: ClipOptions = DEFAULT_CLIP): unknown {
  if (Array.isArray(value)) {
    const shown = value.slice(0, o.items).map((v) => clip(v, o));
    return value.length > o.items ? [...shown, `… ${value.length - o.items} more`] : shown;
  }
  if (typeof value === 'string') return value.length > o.chars ? `${value.slice(0, o.chars)}…` : value;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clip(v, o)]));
  return value;
}

export function json(value: unknown, o?: Partial<ClipOptions>): string {
  return JSON.stringify(clip(value, { ...DEFAULT_CLIP, ...o }));
}

/** Hides all but the first characters of a secret (API keys shown once by the service). */
export function secret(key: string): string {
  return `${key.slice(0, 8)}…`;
}

/**
 * `{{now}}`, `{{now-3h}}`, `{{now-3h+20m}}` in the example files: the tour's start, to the minute, shifted.
 * The tour's inputs are files in the repository, their times relative to the day it runs. Relative to
 * the minute rather than the hour, so no row crosses a ttl while the tour runs.
 */
export function fillTimes(template: string, now: number): string {
  const minute = Math.floor(now / 60_000) * 60_000;
  return template.replace(/\{\{now((?:[+-]\d+[hm])*)\}\}/g, (_m, shifts: string) => {
    let t = minute;
    for (const [, sign, n, unit] of shifts.matchAll(/([+-])(\d+)([hm])/g)) t += (sign === '-' ? -1 : 1) * Number(n) * (unit === 'h' ? 3_600_000 : 60_000);
    return new Date(t).toISOString();
  });
}
