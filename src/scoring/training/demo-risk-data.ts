/**
 * The example data behind the demo driver_risk model (`npm run demo:train`): rows for the example
 * mesh's rides-driver-stats/hourly and payments-driver-activity/daily ports, and labelled entity rows
 * (driver_id, event_timestamp, label) to build the point-in-time training set from. Seeded and on a
 * fixed calendar, so every run produces the same rows, the same training set and the same model bytes.
 *
 * The labelling rule (documented in the model card): every driver has a hidden risk r in [0, 1]
 * (seeded, skewed towards 0). Behaviour follows r with noise: risky drivers convert and accept less,
 * and see more declines, refunds and chargebacks. An observation of a driver at time T is labelled
 * fraudulent (1) with probability sigmoid(-3 + 6 r), drawn from the same seeded generator. The model
 * never sees r: it has to learn it back from the point-in-time features.
 */

export const DEMO_SEED = 20251128;
export const DEMO_DRIVERS = 400;
export const DEMO_OBSERVATIONS_PER_DRIVER = 8;
/** The calendar: 14 days of payments, observations in the last 13 (so the daily row of the day before exists). */
export const DEMO_START = Date.UTC(2026, 10, 1);
const DAYS = 14;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface HourlyStatsRow {
  driver_id: number;
  event_timestamp: string;
  created: string;
  conv_rate: number;
  acc_rate: number;
  avg_daily_trips: number;
}

export interface DailyPaymentsRow {
  driver_id: number;
  event_timestamp: string;
  created: string;
  txn_count: number;
  gross_amount_usd: number;
  declined_rate: number;
  refund_rate: number;
  chargeback_count: number;
}

export interface DemoRiskData {
  hourly: HourlyStatsRow[];
  daily: DailyPaymentsRow[];
  /** Entity rows of the training set, as POST /v1/historical-features takes them. */
  entities: { driver_id: number[]; event_timestamp: string[]; label: number[] };
  /** The hidden risk and trip level per driver (index = driver_id - 1001), for the live rows. */
  drivers: { risk: number; trips: number }[];
}

/** Deterministic PRNG (mulberry32). */
export function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));
const round = (v: number, digits: number): number => Number(v.toFixed(digits));
const iso = (ms: number): string => new Date(ms).toISOString();

export function generateDemoRiskData(seed = DEMO_SEED): DemoRiskData {
  const rand = mulberry32(seed);
  const noise = (scale: number) => (rand() + rand() + rand() - 1.5) * scale; // roughly normal, bounded
  const hourly: HourlyStatsRow[] = [];
  const daily: DailyPaymentsRow[] = [];
  const entities: DemoRiskData['entities'] = { driver_id: [], event_timestamp: [], label: [] };
  const taken = new Set<string>();
  const drivers: DemoRiskData['drivers'] = [];

  for (let d = 0; d < DEMO_DRIVERS; d++) {
    const driver = 1001 + d;
    const risk = rand() ** 2.5;
    const trips = 5 + Math.floor(30 * rand());
    drivers.push({ risk, trips });

    // Payments: one row per UTC day, event time = end of the day, published two hours later.
    for (let day = 0; day < DAYS; day++) {
      const end = DEMO_START + (day + 1) * DAY;
      const txn = Math.max(1, Math.round(trips * (0.8 + 0.4 * rand())));
      const chargebacks = Math.min(txn, Math.floor(4 * risk * rand() + (rand() < risk / 3 ? 1 : 0)));
      daily.push({
        driver_id: driver,
        event_timestamp: iso(end),
        created: iso(end + 2 * HOUR),
        txn_count: txn,
        gross_amount_usd: round(txn * (12 + 10 * rand()), 2),
        declined_rate: round(clamp01(0.03 + 0.35 * risk + noise(0.08)), 4),
        refund_rate: round(clamp01(0.02 + 0.2 * risk + noise(0.05)), 4),
        chargeback_count: chargebacks,
      });
    }

    // Rides: observation hours; the stats row of the hour before T (within the 2 h ttl) and one of the
    // hour after T, which a point-in-time join must never leak into the row at T.
    for (let k = 0; k < DEMO_OBSERVATIONS_PER_DRIVER; k++) {
      const hour = DEMO_START + DAY + Math.floor(rand() * (DAYS - 1) * 24) * HOUR;
      const stats = (at: number): HourlyStatsRow => ({
        driver_id: driver,
        event_timestamp: iso(at),
        created: iso(at + 5 * 60_000),
        conv_rate: round(clamp01(0.9 - 0.5 * risk + noise(0.12)), 4),
        acc_rate: round(clamp01(0.85 - 0.45 * risk + noise(0.12)), 4),
        avg_daily_trips: Math.max(0, trips + Math.round(noise(4))),
      });
      const before = stats(hour);
      const after = stats(hour + HOUR);
      if (taken.has(`${driver}@${before.event_timestamp}`) || taken.has(`${driver}@${after.event_timestamp}`)) continue; // hours overlap: skip
      for (const r of [before, after]) taken.add(`${driver}@${r.event_timestamp}`);
      hourly.push(before, after);
      entities.driver_id.push(driver);
      entities.event_timestamp.push(iso(hour + 30 * 60_000));
      entities.label.push(rand() < 1 / (1 + Math.exp(-(-3 + 6 * risk))) ? 1 : 0);
    }
  }
  return { hourly, daily, entities, drivers };
}

/**
 * Rows "as of now" for the same drivers, so the README tour can materialize and predict with fresh
 * features (the training calendar lies in the past, beyond the views' ttl). Not part of the training
 * set: its entity rows are all earlier. Seeded by the hour, so a re-run within the hour stores nothing twice.
 */
export function generateLiveRows(data: DemoRiskData, now = Date.now()): { hourly: HourlyStatsRow[]; daily: DailyPaymentsRow[] } {
  const hour = Math.floor(now / HOUR) * HOUR;
  const day = Math.floor(now / DAY) * DAY;
  const rand = mulberry32(DEMO_SEED ^ Math.floor(hour / HOUR));
  const noise = (scale: number) => (rand() + rand() + rand() - 1.5) * scale;
  // The daily row of a day is drawn from its own day-seeded stream: seeded by the hour, a re-run later
  // the same day sent other values under the same (driver, day, created) key and was refused (422).
  const dayRand = mulberry32(DEMO_SEED ^ Math.floor(day / DAY));
  const dayNoise = (scale: number) => (dayRand() + dayRand() + dayRand() - 1.5) * scale;
  const hourly: HourlyStatsRow[] = [];
  const daily: DailyPaymentsRow[] = [];
  data.drivers.forEach(({ risk, trips }, d) => {
    const driver = 1001 + d;
    hourly.push({
      driver_id: driver,
      event_timestamp: iso(hour),
      created: iso(hour),
      conv_rate: round(clamp01(0.9 - 0.5 * risk + noise(0.12)), 4),
      acc_rate: round(clamp01(0.85 - 0.45 * risk + noise(0.12)), 4),
      avg_daily_trips: Math.max(0, trips + Math.round(noise(4))),
    });
    const txn = Math.max(1, Math.round(trips * (0.8 + 0.4 * dayRand())));
    daily.push({
      driver_id: driver,
      event_timestamp: iso(day),
      created: iso(day),
      txn_count: txn,
      gross_amount_usd: round(txn * (12 + 10 * dayRand()), 2),
      declined_rate: round(clamp01(0.03 + 0.35 * risk + dayNoise(0.08)), 4),
      refund_rate: round(clamp01(0.02 + 0.2 * risk + dayNoise(0.05)), 4),
      chargeback_count: Math.min(txn, Math.floor(4 * risk * dayRand() + (dayRand() < risk / 3 ? 1 : 0))),
    });
  });
  return { hourly, daily };
}

/** Rows as NDJSON, the body of POST /v1/data-products/{id}/ports/{port}/rows. */
export function toNdjson(rows: readonly object[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
