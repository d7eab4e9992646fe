import '../support/scoring-ort-realm';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { MetricsService } from '../../src/observability/metrics/metrics.service';
import { PredictionLogWriter } from '../../src/scoring/prediction-log/prediction-log.writer';
import { goodModel } from '../fixtures/models/scoring-models';
import { modelDoc } from '../fixtures/models/scoring-mesh';
import { AUTH, DAY, gqlAuth, predict, startPredictApp, upload, writeCustomers } from '../fixtures/models/scoring-predict';
import type { TestApp } from '../support/test-app';

const SPEND = 'customer_daily:spend';
const ORDERS = 'customer_daily:orders';
const TRAINING = 1000;
const PER_WINDOW = 200;
const HOUR = 3_600_000;
/** Serving spend per logged window, oldest first: as in training, then shifted by 2.5, then by 5. */
const SHIFTS = [0, 2.5, 5];

/** Deterministic PRNG so the figures below are the same on every run. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * PSI written out here from its definition (as src/monitoring/psi.ts documents it: decile edges of the training values
 * by linear interpolation, deduplicated; bin i = (edge[i-1], edge[i]]; empty shares floored at 1e-4),
 * so the service's figures are checked against a second implementation, not against themselves.
 */
function expectedPsi(training: number[], serving: number[]): number {
  const sorted = [...training].sort((a, b) => a - b);
  const edges: number[] = [];
  for (let q = 1; q < 10; q++) {
    const pos = (q / 10) * (sorted.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, sorted.length - 1);
    const e = sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  }
  const shares = (xs: number[]) => {
    const counts = new Array<number>(edges.length + 1).fill(0);
    for (const x of xs) {
      const i = edges.findIndex((e) => x <= e);
      counts[i === -1 ? edges.length : i]++;
    }
    return counts.map((c) => Math.max(c / xs.length, 1e-4));
  };
  const r = shares(training);
  const c = shares(serving);
  return r.reduce((s, ri, i) => s + (c[i] - ri) * Math.log(c[i] / ri), 0);
}

const HISTORY = `query($until: DateTime, $windowMinutes: Int, $windows: Int!) {
  modelDriftHistory(name: "customer_value", until: $until, windowMinutes: $windowMinutes, windows: $windows) {
    model version trainingDataset trainingRows threshold windowMinutes
    windows { since until servingRows drifted notes features { feature psi drifted servingMissingRate } predictions { output psi drifted } } } }`;

interface Window {
  since: string;
  until: string;
  servingRows: number;
  drifted: boolean;
  notes: string[];
  features: { feature: string; psi: number | null; drifted: boolean; servingMissingRate: number }[];
  predictions: { output: string; psi: number; drifted: boolean }[];
}

describe('model monitoring: drift over consecutive windows of the prediction log', () => {
  let t: TestApp;
  let until: Date;
  const trainingSpend: number[] = [];
  const trainingOrders: number[] = [];
  const served: { spend: number[]; orders: number[] }[] = [];

  beforeAll(async () => {
    t = await startPredictApp('model-drift-history', { TESSERA_SLO_SCHEDULE: 'off', TESSERA_PREDICTION_LOG_FLUSH_MS: '100000' });
    const r = rng(3);
    const t0 = new Date(Date.now() - 10 * DAY);
    const rows = Array.from({ length: TRAINING }, (_, i) => ({ customer_id: i + 1, event_timestamp: t0.toISOString(), spend: i % 10 === 0 ? null : 10 * r(), orders: Math.floor(10 * r()) }));
    for (const x of rows) {
      if (x.spend !== null) trainingSpend.push(x.spend);
      trainingOrders.push(x.orders);
    }
    const ingest = await t.app.inject({
      method: 'POST',
      url: '/v1/data-products/shop-customer-stats/ports/daily/rows',
      headers: { ...AUTH, 'content-type': 'application/x-ndjson' },
      payload: rows.map((x) => JSON.stringify(x)).join('\n'),
    });
    expect(ingest.statusCode).toBe(200);
    const at = new Date(t0.getTime() + HOUR).toISOString();
    const saved = await t.app.inject({
      method: 'POST',
      url: '/v1/training-datasets',
      headers: AUTH,
      payload: { name: 'customer_value_train', feature_service: 'customer_value_v1', full_feature_names: true, entities: { customer_id: rows.map((x) => x.customer_id), event_timestamp: rows.map(() => at) } },
    });
    expect(saved.statusCode).toBe(201);
    await upload(t, modelDoc({ modelCard: { trainingDatasetId: 'customer_value_train@1' } }), goodModel(2));
    expect((await gqlAuth(t, `mutation { deployModel(name: "customer_value", version: "1.0.0") { production } }`)).errors).toBeUndefined();

    // One batch per window: predicted now, then every row logged so far moves one hour back, so the
    // first batch lands two windows before the last one.
    const s = rng(17);
    for (const [w, shift] of SHIFTS.entries()) {
      const batch = Array.from({ length: PER_WINDOW }, (_, i) => ({ id: i + 1, ageMs: 60_000, spend: shift + 10 * s(), orders: Math.floor(10 * s()) }));
      served.push({ spend: batch.map((b) => b.spend), orders: batch.map((b) => b.orders) });
      await writeCustomers(t, batch);
      for (let from = 1; from <= PER_WINDOW; from += 100) {
        const res = await predict(t, 'customer_value', { entities: { customer_id: Array.from({ length: 100 }, (_, i) => from + i) } });
        expect(res.status).toBe(200);
      }
      await t.app.get(PredictionLogWriter).flush();
      if (w < SHIFTS.length - 1) await t.dataSource.query(`UPDATE tessera.prediction_log SET at = at - interval '1 hour' WHERE model = 'customer_value'`);
    }
    until = new Date(Date.now() + 60_000);
  }, 120_000);
  afterAll(async () => {
    if (!t) return;
    await t.app.get<OnlineStore>(ONLINE_STORE).deleteAll();
    await t.close();
  });

  it('answers one report per window, oldest first, with PSI per feature as computed independently', async () => {
    const gauge = async () => (await t.app.get(MetricsService).exposition()).body.match(/tessera_model_drift_psi\{[^}]*\}.*/g) ?? [];
    const before = await gauge();
    const res = await gqlAuth<{ modelDriftHistory: Record<string, unknown> & { windows: Window[] } }>(t, HISTORY, { until, windowMinutes: 60, windows: 4 });
    expect(res.errors).toBeUndefined();
    const h = res.data!.modelDriftHistory;
    expect(h).toMatchObject({ model: 'customer_value', version: '1.0.0', trainingDataset: 'customer_value_train@1', trainingRows: TRAINING, threshold: 0.2, windowMinutes: 60 });
    expect(h.windows.map((w) => [new Date(w.since).getTime(), new Date(w.until).getTime()])).toEqual([4, 3, 2, 1].map((k) => [until.getTime() - k * HOUR, until.getTime() - (k - 1) * HOUR]));
    expect(h.windows.map((w) => w.servingRows)).toEqual([0, PER_WINDOW, PER_WINDOW, PER_WINDOW]);

    // The oldest window holds nothing: no PSI, and it says why.
    expect(h.windows[0]).toMatchObject({ drifted: false, notes: ['0 scored rows logged in the window; PSI needs at least 100'], predictions: [] });
    expect(h.windows[0].features.map((f) => f.psi)).toEqual([null, null]);

    const spendPsi = h.windows.slice(1).map((w) => w.features.find((f) => f.feature === SPEND)!.psi!);
    SHIFTS.forEach((_, i) => {
      expect(spendPsi[i]).toBeCloseTo(expectedPsi(trainingSpend, served[i].spend), 6);
      expect(h.windows[i + 1].features.find((f) => f.feature === ORDERS)!.psi).toBeCloseTo(expectedPsi(trainingOrders, served[i].orders), 6);
    });
    // The shift shows over time: stable, then growing past the threshold.
    expect(spendPsi[0]).toBeLessThan(0.1);
    expect(spendPsi[1]).toBeGreaterThan(spendPsi[0]);
    expect(spendPsi[2]).toBeGreaterThan(spendPsi[1]);
    expect(h.windows.map((w) => w.features.find((f) => f.feature === SPEND)!.drifted)).toEqual([false, ...spendPsi.map((p) => p > 0.2)]);
    expect(spendPsi[2]).toBeGreaterThan(0.2);
    for (const w of h.windows.slice(1)) expect(w.predictions).toEqual([{ output: 'probability', psi: expect.any(Number), drifted: expect.any(Boolean) }]);
    // History reads the past: the gauge (the present) is left as it was.
    expect(await gauge()).toEqual(before);
  });

  it('gives for each window exactly what modelDrift answers for it', async () => {
    const res = await gqlAuth<{ modelDriftHistory: { windows: Window[] } }>(t, HISTORY, { until, windowMinutes: 60, windows: 3 });
    const FIELDS = 'since until servingRows drifted notes features { feature psi drifted servingMissingRate } predictions { output psi drifted }';
    for (const w of res.data!.modelDriftHistory.windows) {
      const one = await gqlAuth<{ modelDrift: Window }>(t, `query($since: DateTime, $until: DateTime) { modelDrift(name: "customer_value", since: $since, until: $until) { ${FIELDS} } }`, {
        since: w.since,
        until: w.until,
      });
      expect(one.errors).toBeUndefined();
      expect(one.data!.modelDrift).toEqual(w);
    }
  });

  it('refuses a window count or length out of bounds with a typed error naming the field', async () => {
    for (const [vars, field] of [
      [{ windows: 0 }, 'windows'],
      [{ windows: 49 }, 'windows'],
      [{ windows: 2, windowMinutes: 0 }, 'windowMinutes'],
      [{ windows: 2, windowMinutes: 366 * 24 * 60 + 1 }, 'windowMinutes'],
    ] as const) {
      const res = await gqlAuth(t, HISTORY, { until, ...vars });
      expect(res.data).toBeNull();
      expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', details: { field } } });
    }
    const unknown = await gqlAuth(t, `{ modelDriftHistory(name: "nope", windows: 2) { version } }`);
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
  });
});
