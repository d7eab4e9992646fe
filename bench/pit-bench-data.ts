/**
 * Deterministic data for bench/pit-join.bench.ts: `drivers` drivers with ~100 feature rows each at
 * distinct random hours over 100 days, 5% of them re-published at the same event time with an
 * earlier or later created time (so the created tie-break matters), 5% with NULL created; entity
 * rows at random seconds over the same span plus a margin, 2% for unknown drivers.
 */
export const BASE_MS = Date.parse('2024-01-01T00:00:00Z');
const HOUR_US = 3_600_000_000;

export interface FeatureRows {
  driver: Int32Array;
  ts: Float64Array; // epoch µs
  created: Float64Array; // epoch µs, NaN = NULL
  conv: Float64Array;
  acc: Float64Array;
  trips: Int32Array;
  length: number;
}

export interface EntityRows {
  driver: Int32Array;
  ts: Float64Array; // epoch µs
  length: number;
}

/** mulberry32: small, seedable, good enough for benchmark data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function featureRows(total: number, seed = 1): FeatureRows {
  const r = rng(seed);
  const perDriver = 100;
  const drivers = Math.max(1, Math.round(total / perDriver));
  const cap = drivers * perDriver;
  const out: FeatureRows = {
    driver: new Int32Array(cap),
    ts: new Float64Array(cap),
    created: new Float64Array(cap),
    conv: new Float64Array(cap),
    acc: new Float64Array(cap),
    trips: new Int32Array(cap),
    length: 0,
  };
  const base = BASE_MS * 1000;
  for (let d = 0; d < drivers; d++) {
    const hours = new Set<number>();
    while (hours.size < 95) hours.add(Math.floor(r() * 2400));
    const list = [...hours];
    for (let i = 0; i < perDriver; i++) {
      const dup = i >= 95;
      const hour = dup ? list[i - 95] : list[i]; // distinct hours: no two rows tie on (ts, created)
      const ts = base + hour * HOUR_US;
      const n = out.length++;
      out.driver[n] = d;
      out.ts[n] = ts;
      // Originals: created ts+5min (5% NULL); re-publications: ts+1min or ts+10min, never equal.
      out.created[n] = dup ? ts + (r() < 0.5 ? 60 : 600) * 1_000_000 : r() < 0.05 ? NaN : ts + 300 * 1_000_000;
      out.conv[n] = Math.round(r() * 1e6) / 1e6;
      out.acc[n] = Math.round(r() * 1e6) / 1e6;
      out.trips[n] = Math.floor(r() * 500);
    }
  }
  return out;
}

export function entityRows(total: number, drivers: number, seed = 2): EntityRows {
  const r = rng(seed);
  const out: EntityRows = { driver: new Int32Array(total), ts: new Float64Array(total), length: total };
  const base = BASE_MS * 1000;
  for (let i = 0; i < total; i++) {
    out.driver[i] = Math.floor(r() * drivers * 1.02);
    out.ts[i] = base + Math.floor(r() * 2500 * 3600) * 1_000_000;
  }
  return out;
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` (UTC, no zone): what both PostgreSQL (TimeZone UTC) and DuckDB read. */
export function tsText(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const us = micros - ms * 1000;
  return `${new Date(ms).toISOString().slice(0, 23).replace('T', ' ')}${String(us).padStart(3, '0')}`;
}
