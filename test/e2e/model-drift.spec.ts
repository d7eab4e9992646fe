import '../support/scoring-ort-realm';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { DriftMonitor } from '../../src/monitoring/drift-monitor';
import { MetricsService } from '../../src/observability/metrics/metrics.service';
import { PredictionLogWriter } from '../../src/scoring/prediction-log/prediction-log.writer';
import { goodModel } from '../fixtures/models/scoring-models';
import { modelDoc } from '../fixtures/models/scoring-mesh';
import { AUTH, DAY, gqlAuth, predict, startPredictApp, upload, writeCustomers } from '../fixtures/models/scoring-predict';
import type { TestApp } from '../support/test-app';

const SPEND = 'customer_daily:spend';
const ORDERS = 'customer_daily:orders';
const TRAINING = 1000;
const SERVED = 400;

/** Deterministic PRNG so the figures below are the same on every run. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const REPORT = `query($since: DateTime, $until: DateTime) { modelDrift(name: "customer_value", since: $since, until: $until) {
  model version trainingDataset trainingRows servingRows threshold drifted notes
  features { feature psi trainingMissingRate servingMissingRate drifted } predictions { output psi drifted } } }`;

describe('model monitoring: drift of a live model version against its training dataset', () => {
  let t: TestApp;
  const since = new Date(Date.now() - 60_000);

  beforeAll(async () => {
    t = await startPredictApp('model-drift', { TESSERA_SLO_SCHEDULE: 'off', TESSERA_PREDICTION_LOG_FLUSH_MS: '100000' });
    // Training: spend uniform in [0, 10), orders uniform in 0..9, one row in ten without spend.
    const r = rng(7);
    const t0 = new Date(Date.now() - 10 * DAY);
    const rows = Array.from({ length: TRAINING }, (_, i) => ({
      customer_id: i + 1,
      event_timestamp: t0.toISOString(),
      spend: i % 10 === 0 ? null : 10 * r(),
      orders: Math.floor(10 * r()),
    }));
    const ingest = await t.app.inject({
      method: 'POST',
      url: '/v1/data-products/shop-customer-stats/ports/daily/rows',
      headers: { ...AUTH, 'content-type': 'application/x-ndjson' },
      payload: rows.map((x) => JSON.stringify(x)).join('\n'),
    });
    expect(ingest.statusCode).toBe(200);
    const at = new Date(t0.getTime() + 3600_000).toISOString();
    const saved = await t.app.inject({
      method: 'POST',
      url: '/v1/training-datasets',
      headers: AUTH,
      payload: { name: 'customer_value_train', feature_service: 'customer_value_v1', full_feature_names: true, entities: { customer_id: rows.map((x) => x.customer_id), event_timestamp: rows.map(() => at) } },
    });
    expect(saved.statusCode).toBe(201);
    expect(saved.json()).toMatchObject({ id: 'customer_value_train@1', rowCount: TRAINING });

    await upload(t, modelDoc({ modelCard: { trainingDatasetId: 'customer_value_train@1' } }), goodModel(2));
    expect((await gqlAuth(t, `mutation { deployModel(name: "customer_value", version: "1.0.0") { production } }`)).errors).toBeUndefined();

    // Serving: spend shifted to [5, 15), orders as in training; every predicted row is logged (rate 1).
    const s = rng(11);
    await writeCustomers(
      t,
      Array.from({ length: SERVED }, (_, i) => ({ id: i + 1, ageMs: 60_000, spend: 5 + 10 * s(), orders: Math.floor(10 * s()) })),
    );
    for (let from = 1; from <= SERVED; from += 100) {
      const res = await predict(t, 'customer_value', { entities: { customer_id: Array.from({ length: 100 }, (_, i) => from + i) } });
      expect(res.status).toBe(200);
    }
    await predict(t, 'customer_value', { entities: { customer_id: [99_999] } }); // not online: rejected, counted as missing
    await t.app.get(PredictionLogWriter).flush();
  });
  afterAll(async () => {
    if (!t) return;
    await t.app.get<OnlineStore>(ONLINE_STORE).deleteAll();
    await t.close();
  });

  it('reports PSI and missing rates per feature, and prediction drift from the model’s own outputs on the training rows', async () => {
    const res = await gqlAuth<{ modelDrift: Record<string, unknown> & { features: Record<string, unknown>[]; predictions: Record<string, unknown>[] } }>(t, REPORT, { since, until: new Date(Date.now() + 1000) });
    expect(res.errors).toBeUndefined();
    const d = res.data!.modelDrift;
    expect(d).toMatchObject({ model: 'customer_value', version: '1.0.0', trainingDataset: 'customer_value_train@1', trainingRows: TRAINING, servingRows: SERVED, threshold: 0.2, drifted: true, notes: [] });
    const spend = d.features.find((f) => f.feature === SPEND)!;
    const orders = d.features.find((f) => f.feature === ORDERS)!;
    expect(spend).toMatchObject({ drifted: true, trainingMissingRate: 0.1 });
    expect(spend.psi as number).toBeGreaterThan(1); // half the serving mass lies above every training value
    expect(orders).toMatchObject({ drifted: false, trainingMissingRate: 0 });
    expect(orders.psi as number).toBeLessThan(0.1);
    expect(spend.servingMissingRate).toBeCloseTo(1 / (SERVED + 1), 6);
    expect(d.predictions).toEqual([{ output: 'probability', psi: expect.any(Number), drifted: expect.any(Boolean) }]);
  });

  it('counts predictions per version and outcome in the Prometheus metrics', async () => {
    const text = (await t.app.get(MetricsService).exposition()).body;
    expect(text).toContain(`tessera_predictions_total{model="customer_value",version="1.0.0",role="production",outcome="scored"} ${SERVED}`);
    expect(text).toContain('tessera_predictions_total{model="customer_value",version="1.0.0",role="production",outcome="rejected"} 1');
    expect(text).toMatch(/tessera_model_latency_seconds_count\{model="customer_value",version="1.0.0"\} 5\n/);
    expect(text).toMatch(/tessera_model_drift_psi\{model="customer_value",version="1.0.0",feature="customer_daily:spend"\} \d/);
  });

  it('says why when the window holds too few rows, and refuses an empty window', async () => {
    const later = new Date(Date.now() + 3600_000);
    const empty = await gqlAuth<{ modelDrift: { servingRows: number; notes: string[]; features: { psi: number | null }[] } }>(t, REPORT, { since: later, until: new Date(later.getTime() + 1000) });
    expect(empty.data!.modelDrift).toMatchObject({ servingRows: 0, notes: ['0 scored rows logged in the window; PSI needs at least 100'] });
    expect(empty.data!.modelDrift.features.every((f) => f.psi === null)).toBe(true);
    const reversed = await gqlAuth(t, REPORT, { since: later, until: since });
    expect(reversed.errors?.[0]).toMatchObject({ message: 'since must be before until', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('records drift in its own table on each check, shows it as SLO states and alerts once per episode', async () => {
    const monitor = t.app.get(DriftMonitor);
    const [report] = await monitor.checkAll(new Date(Date.now() + 1000));
    expect(report).toMatchObject({ model: 'customer_value', drifted: true });
    await monitor.checkAll(new Date(Date.now() + 2000));
    const evaluations = await t.dataSource.query<{ scope: string; status: string; version: string }[]>(
      `SELECT scope, status, version FROM tessera.model_drift_evaluations WHERE model = 'customer_value' ORDER BY evaluated_at, scope`,
    );
    expect(evaluations.filter((e) => e.scope === SPEND).map((e) => e.status)).toEqual(['breached', 'breached']);
    expect(evaluations.filter((e) => e.scope === ORDERS).map((e) => e.status)).toEqual(['met', 'met']);
    expect(new Set(evaluations.map((e) => e.version))).toEqual(new Set(['1.0.0']));
    // Drift no longer poses as a data product in the SLO tables.
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM tessera.slo_evaluations WHERE product_id LIKE 'model:%'`)).toEqual([{ n: 0 }]);
    const alerts = await t.dataSource.query<{ scope: string }[]>(`SELECT scope FROM tessera.slo_alerts WHERE product_id = 'model:customer_value'`);
    expect(alerts.map((a) => a.scope)).toContain(SPEND);
    expect(alerts.filter((a) => a.scope === SPEND)).toHaveLength(1);

    // GraphQL answers as when drift was stored as SLOs: product `model:<name>`, port = version, slo `drift`.
    const FIELDS = 'productId port slo scope status declared target unit measured evidence errorBudget { kind } history { status measured }';
    type State = {
      productId: string;
      port: string;
      slo: string;
      scope: string;
      status: string;
      declared: string;
      target: number;
      unit: string;
      measured: number;
      evidence: Record<string, unknown>;
      errorBudget: { kind: string };
      history: { status: string; measured: number }[];
    };
    const status = await gqlAuth<{ sloStatus: State[] }>(t, `query { sloStatus(productId: "model:customer_value") { ${FIELDS} } }`);
    expect(status.errors).toBeUndefined();
    const spend = status.data!.sloStatus.find((s) => s.scope === SPEND)!;
    expect(spend).toMatchObject({ productId: 'model:customer_value', port: '1.0.0', slo: 'drift', status: 'breached', declared: 'PSI ≤ 0.2', target: 0.2, unit: 'psi', errorBudget: { kind: 'time' } });
    expect(spend.evidence).toMatchObject({ trainingDataset: 'customer_value_train@1', servingRows: SERVED });
    expect(spend.history.map((h) => h.status)).toEqual(['breached', 'breached']);
    expect(spend.measured).toBeGreaterThan(0.2);
    expect(status.data!.sloStatus.find((s) => s.scope === ORDERS)).toMatchObject({ status: 'met', slo: 'drift' });
    // Data products' SLO evaluations on either side of the model in id order (this mesh declares no SLA of its own).
    await t.dataSource.query(
      `INSERT INTO tessera.slo_evaluations (product_id, port, slo, scope, status, measured, target, unit) VALUES
       ('a-product', 'p', 'latency', 'offline', 'met', 1, 60, 'seconds'), ('z-product', 'p', 'latency', 'offline', 'breached', 90, 60, 'seconds')`,
    );
    const mesh = await gqlAuth<{ meshSloStatus: { productId: string; domain: string; met: number; breached: number; slos: { scope: string }[] }[] }>(
      t,
      `{ meshSloStatus { productId domain met breached slos { scope } } }`,
    );
    const model = mesh.data!.meshSloStatus.find((p) => p.productId === 'model:customer_value')!;
    expect(model).toMatchObject({ domain: '', breached: status.data!.sloStatus.filter((s) => s.status === 'breached').length, met: status.data!.sloStatus.filter((s) => s.status === 'met').length });
    expect(model.slos.map((x) => x.scope).sort()).toEqual(status.data!.sloStatus.map((x) => x.scope).sort());
    // In product id order (the database's collation), as when every evaluation came from one table.
    const ids = mesh.data!.meshSloStatus.map((p) => p.productId);
    expect(ids).toEqual(expect.arrayContaining(['a-product', 'model:customer_value', 'z-product']));
    const sorted = await t.dataSource.query<{ id: string }[]>(`SELECT id FROM unnest($1::text[]) AS id ORDER BY id`, [ids]);
    expect(ids).toEqual(sorted.map((r) => r.id));
  });
});
