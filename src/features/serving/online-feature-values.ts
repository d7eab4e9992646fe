import type { OnlineEntry } from '../online/online-store';
import type { FeatureStatus, OnlineFeatureColumn } from './serving-request';

/** Feast's event timestamp of a value that is not there. */
export const NOT_FOUND_TS = '1970-01-01T00:00:00Z';

/** Feast prints protobuf Timestamps: whole seconds without a fraction. */
export function feastTimestamp(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** A stored value as JSON: timestamps as ISO (like the offline JSON), big integers as decimal text. */
export function jsonValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

export function emptyColumn(n: number): OnlineFeatureColumn {
  return { values: new Array<unknown>(n), statuses: new Array<FeatureStatus>(n), event_timestamps: new Array<string>(n) };
}

/**
 * Fills row `row` of a feature column from the entity's entry. The ttl is enforced against `nowMs`
 * (Feast ignores it online): an entry older than ttl is OUTSIDE_MAX_AGE and its value withheld.
 * `stamp` is the entry's formatted event time when the caller has it already (one per entity, not per cell).
 */
export function fillCell(col: OnlineFeatureColumn, row: number, entry: OnlineEntry | null, valueIndex: number, ttlMs: number, nowMs: number, stamp?: string): void {
  const value = entry?.values[valueIndex];
  if (!entry || value === undefined) {
    col.values[row] = null;
    col.statuses[row] = 'NOT_FOUND';
    col.event_timestamps[row] = NOT_FOUND_TS;
    return;
  }
  col.event_timestamps[row] = stamp ?? feastTimestamp(entry.eventTs);
  if (ttlMs > 0 && entry.eventTs.getTime() < nowMs - ttlMs) {
    col.values[row] = null;
    col.statuses[row] = 'OUTSIDE_MAX_AGE';
  } else if (value === null) {
    col.values[row] = null;
    col.statuses[row] = 'NULL_VALUE';
  } else {
    col.values[row] = jsonValue(value);
    col.statuses[row] = 'PRESENT';
  }
}
