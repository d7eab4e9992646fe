import '../support/scoring-ort-realm';
import { trainDemoModel } from '../../scripts/demo-training';
import { TesseraClient } from '../../scripts/tessera-client';
import { readContractDirectory } from '../../src/catalog/apply/read-contract-directory';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { PredictionLogWriter } from '../../src/scoring/prediction-log/prediction-log.writer';
import { ensurePortalBuilt } from '../support/portal-build';
import { expectAccessible, openPortalBrowser, personKey, PortalBrowser, signIn } from '../support/portal-browser';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 12 pages 6 and 7 in headless Chromium against the built portal: an ML engineer opens the
 * features overview (entity, view with its watermark, job, service, training dataset with its
 * provenance), then the model page (card, signature, prediction-log sample, drift per feature
 * against the threshold with its chart, and over time). The example mesh with the demo training dataset saved
 * (the one the committed model card names), one incremental materialization, driver_risk in
 * production and 150 scored rows in its prediction log.
 */
describe('portal: features overview and the model card, signature, prediction log and drift', () => {
  let t: TestApp;
  let pb: PortalBrowser;
  let engineer: string;

  beforeAll(async () => {
    ensurePortalBuilt();
    t = await startTestApp({ TESSERA_REDIS_PREFIX: 't:portal-features:', TESSERA_ONLINE_STORE: 'postgres', TESSERA_SLO_SCHEDULE: 'off' });
    const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: readContractDirectory('contracts') } });
    expect(applied.json()).toMatchObject({ applied: true });
    pb = await openPortalBrowser(t);
    // Ingests the demo rows and saves driver_risk_v1_demo@1 (the model card's trainingDatasetId); the committed model stays.
    const trained = await trainDemoModel(new TesseraClient(pb.base, t.adminKey), { version: '1.0.0', epochs: 20, register: false, root: process.cwd() }, () => undefined);
    expect(trained.datasetId).toBe('driver_risk_v1_demo@1');
    const job = await t.gql<{ materializeIncremental: { status: string } }>(`mutation($end: DateTime!) { materializeIncremental(endTs: $end) { status } }`, { end: new Date().toISOString() });
    expect(job.errors).toBeUndefined();
    expect(job.data!.materializeIncremental.status).toBe('succeeded');
    expect((await t.gql(`mutation { deployModel(name: "driver_risk", version: "1.0.0") { production } }`)).errors).toBeUndefined();
    // 150 drivers, most without online values (imputed): enough logged rows for PSI (100). Twice:
    // the first batch moved one drift window (24 h) back, so drift over time has two windows with points.
    for (const batch of [0, 1]) {
      const predicted = await t.app.inject({ method: 'POST', url: '/v1/models/driver_risk/predict', payload: { entities: { driver_id: Array.from({ length: 150 }, (_, i) => 1001 + i) } } });
      expect(predicted.statusCode).toBe(200);
      await t.app.get(PredictionLogWriter).flush();
      if (batch > 0) continue;
      // flush() can return while a timed flush still holds rows: move the batch once all of it is stored.
      while ((await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM tessera.prediction_log WHERE model = 'driver_risk'`))[0].n < 150) await new Promise((r) => setTimeout(r, 100));
      await t.dataSource.query(`UPDATE tessera.prediction_log SET at = at - interval '24 hours' WHERE model = 'driver_risk'`);
    }
    engineer = await personKey(t, 'mia', 'Mia (risk ML engineer)', [{ role: 'domain_member', domain: 'risk' }]);
  }, 240_000);
  afterAll(async () => {
    await pb?.browser.close();
    await t?.app.get<OnlineStore>(ONLINE_STORE).deleteAll();
    await t?.close();
  });
  afterEach(() => {
    expect(pb.foreign).toEqual([]);
    expect(pb.pageErrors).toEqual([]);
  });

  it('shows the entity, views with watermarks and jobs, the service and the training dataset; the model card, signature, log and drift', async () => {
    const ctx = await pb.context();
    const page = await ctx.newPage();
    await signIn(page, pb.base, engineer);
    await page.getByRole('link', { name: 'Features', exact: true }).click();
    await page.getByRole('heading', { name: 'Features', exact: true }).waitFor();
    expect(page.url()).toBe(`${pb.base}/features`);
    await page.getByRole('table', { name: 'Entities' }).getByText('driver_id').first().waitFor();
    const views = page.getByRole('table', { name: 'Feature views' });
    const hourly = views.getByRole('row').filter({ has: page.getByRole('link', { name: 'driver_hourly_stats', exact: true }) });
    await hourly.getByRole('link', { name: /rides-driver-stats · hourly/ }).waitFor();
    // Its watermark comes from the succeeded incremental job: a date, not a dash.
    expect(await hourly.getByRole('cell').nth(4).innerText()).toMatch(/\d/);
    await page.getByRole('table', { name: 'Materialization jobs' }).getByText('succeeded').first().waitFor();
    await page.getByRole('table', { name: 'Feature services' }).getByText('driver_risk_v1').waitFor();
    const datasets = page.getByRole('table', { name: 'Training datasets' });
    const demo = datasets.getByRole('row').filter({ hasText: 'driver_risk_v1_demo' });
    expect(await demo.innerText()).toMatch(/driver_risk_v1_demo\s+1\s+3080\s+driver_risk_v1/);
    await demo.getByRole('link', { name: /rides-driver-stats · hourly/ }).waitFor();
    await expectAccessible(page, 'features');

    await hourly.getByRole('link', { name: 'driver_hourly_stats', exact: true }).click();
    await page.getByRole('heading', { name: 'Feature view driver_hourly_stats' }).waitFor();
    await page
      .getByTestId('watermark')
      .getByText(/last materialized/)
      .waitFor();
    await page.getByRole('table', { name: 'Recent materialization jobs' }).getByText('succeeded').waitFor();
    await expectAccessible(page, 'feature-view-jobs');

    await page.goto(`${pb.base}/models/driver_risk`);
    const card = page.getByRole('region', { name: 'Model card' });
    await card.getByText(/Decision support for payout holds/).waitFor();
    await card.getByText('auc 0.8963').waitFor();
    await card.getByRole('link', { name: 'driver_risk_v1_demo@1' }).waitFor();
    const signature = page.getByRole('table', { name: 'Signature' });
    expect(await signature.innerText()).toMatch(/output\s+probability\s+float32\s+\[N, 1\]/);
    const log = page.getByRole('table', { name: 'Prediction log' });
    await log.getByText('production').first().waitFor();
    expect(await log.getByRole('row').count()).toBe(21); // header + the last 20
    const drift = page.getByRole('table', { name: 'Drift' });
    await drift.getByText('driver_hourly_stats:conv_rate').waitFor();
    expect(await drift.getByRole('row').count()).toBe(7); // header + six features
    expect(await drift.innerText()).not.toMatch(/too few rows/);
    await page.getByRole('img', { name: /PSI of 6 features against the threshold/ }).waitFor();
    // The threshold is drawn as a reference line inside the plot (recharts drops one outside its axis).
    await page.locator('.recharts-reference-line line').first().waitFor({ state: 'attached' });
    await page
      .getByRole('img', { name: /PSI of 6 features against/ })
      .getByText(/^threshold \d/)
      .waitFor();
    // Drift over time: twelve 24 h windows, two of them with logged rows, six features each.
    const history = page.getByRole('img', { name: /PSI of 6 features over 12 windows \(2 with enough logged rows, 12 points\) against the threshold/ });
    await history.waitFor();
    expect(await history.getAttribute('data-points')).toBe('12');
    expect(await history.getAttribute('data-windows')).toBe('12');
    await history.locator('.recharts-reference-line line').waitFor({ state: 'attached' });
    await history.locator('.recharts-line').nth(5).waitFor({ state: 'attached' });
    expect(await history.locator('.recharts-line').count()).toBe(6);
    expect(await history.locator('.recharts-line-dots circle').count()).toBe(12);
    await expectAccessible(page, 'model-card');

    // The training dataset link lands on the overview's row.
    await card.getByRole('link', { name: 'driver_risk_v1_demo@1' }).click();
    await page.getByRole('table', { name: 'Training datasets' }).waitFor();
    expect(page.url()).toBe(`${pb.base}/features#dataset-driver_risk_v1_demo@1`);
    await ctx.close();
  }, 180_000);
});
