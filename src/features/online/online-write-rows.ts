import type { OnlineWriteRow } from './online-store';

/** True when a is newer than b: event ts first, then created ts, where a missing created ts is the oldest. */
export function isNewer(a: OnlineWriteRow, b: OnlineWriteRow): boolean {
  const ea = a.eventTs.getTime();
  const eb = b.eventTs.getTime();
  if (ea !== eb) return ea > eb;
  if (a.createdTs === null) return false;
  return b.createdTs === null || a.createdTs.getTime() > b.createdTs.getTime();
}

/**
 * Keeps the newest row per entity key. One INSERT ... ON CONFLICT may not touch a row twice, and a
 * batch with an older duplicate after a newer one would otherwise be decided by position.
 */
export function newestPerEntity<T extends { key: string; row: OnlineWriteRow }>(items: T[]): T[] {
  const byKey = new Map<string, T>();
  for (const it of items) {
    const seen = byKey.get(it.key);
    if (!seen || isNewer(it.row, seen.row)) byKey.set(it.key, it);
  }
  return byKey.size === items.length ? items : [...byKey.values()];
}

/** A row that does not match its view is a bug in the caller, not a store failure. */
export function checkRow(view: { name: string; features: unknown[] }, row: OnlineWriteRow): void {
  if (row.values.length !== view.features.length) throw new Error(`online write to ${view.name}: ${row.values.length} values for ${view.features.length} features`);
  if (Number.isNaN(row.eventTs.getTime())) throw new Error(`online write to ${view.name}: invalid event timestamp`);
}
