import '../support/scoring-ort-realm';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { TesseraClient } from '../../scripts/tessera-client';
import { runTour } from '../../scripts/tour';
import { startTestApp, TestApp } from '../support/test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * `npm run tour` end to end, against a fresh service over real HTTP, checking what every step answered
 * (the README shows this output). The service starts as an embedded start does: the shipped policies
 * bootstrapped from contracts/policies, the example mesh applied by the tour's first step.
 */
describe('the README tour (scripts/tour.ts)', () => {
  let t: TestApp;
  let r: Json;
  const printed: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      TESSERA_REDIS_PREFIX: `t:tour:${randomBytes(4).toString('hex')}:`,
      TESSERA_APPLY_ON_START: resolve('contracts'),
      // Step 17 (streaming and model-on-demand) runs only with a broker; the test's service has one.
      ...(process.env.NATS_URL ? { NATS_URL: process.env.NATS_URL } : {}),
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.getHttpServer().address() as { port: number };
    r = await runTour({ client: new TesseraClient(`http://127.0.0.1:${address.port}`, t.adminKey), root: process.cwd(), print: (line) => printed.push(line) });
  }, 180_000);
  afterAll(async () => {
    await t?.app.get<OnlineStore>(ONLINE_STORE).deleteAll();
    await t?.close();
  });

  it('1-5: ready, the mesh applied by the CLI, domains, search, lineage, a product over GraphQL and REST', () => {
    expect(r.ready).toEqual({ status: 'ready', checks: { database: 'ok', onlineStore: 'ok' } });
    expect(r.meshApply).toMatchObject({ exitCode: 0 });
    expect(r.meshApply.stdout).toMatch(/^created \d+, updated 0, unchanged \d+$/m);
    expect(r.domains.data.domains.map((d: Json) => [d.name, d.productCount])).toEqual([
      ['payments', 2],
      ['rides', 3],
      ['risk', 2],
    ]);
    expect(r.search.data.dataProducts).toMatchObject({ totalCount: 1, edges: [{ node: { id: 'rides-driver-stats' } }] });
    expect(r.lineage.data.lineage.nodes).toHaveLength(7);
    expect(r.lineage.data.lineage.nodes.find((n: Json) => n.id === 'rides-trips')).toEqual({ id: 'rides-trips', type: 'sourceAligned', distance: -3 });
    expect(r.product.data.dataProduct.outputPorts[0].contract.slaProperties).toContainEqual({ property: 'latency', value: 1, unit: 'h' });
    expect(r.productRest).toMatchObject({ status: 200, body: { id: 'rides-driver-stats', domain: 'rides' } });
  });

  it('6-7: a breaking change refused with its reasons, an additive one a minor version, a re-apply a no-op, bad input typed', () => {
    expect(r.breaking.exitCode).toBe(1);
    expect(r.breaking.stdout).toMatch(/breaking change: property driver_hourly_stats\.avg_daily_trips removed/);
    expect(r.breaking.stdout).toMatch(/rejected: 3 error\(s\) in 2 file\(s\); nothing was stored/);
    expect(r.additive.exitCode).toBe(0);
    expect(r.additive.stdout).toMatch(/would be updated\s+DataContract rides-driver-stats-hourly-v1@1\.1\.0 \[MINOR, suggested 1\.1\.0\]/);
    expect(r.again.stdout).toMatch(/^nothing changed: \d+ document\(s\) already up to date$/m);
    expect(r.badApply.status).toBe(422);
    expect(r.badApply.body.error.details.errors.map((e: Json) => e.path)).toEqual(['status', 'outputPorts[0].version']);
  });

  it('8-10: rows ingested once, a bad row refused, point-in-time values within the ttl, the online store serving the latest', () => {
    expect(r.ingest).toMatchObject({ status: 200, body: { rows: 16, inserted: 16, duplicates: 0 } });
    expect(r.ingestAgain).toMatchObject({ status: 200, body: { rows: 16, inserted: 0, duplicates: 16 } });
    expect(r.ingestBad.status).toBe(422);
    expect(r.ingestBad.body.error).toMatchObject({ code: 'INGEST_REJECTED', details: { total: 6 } });
    const columns = r.historical.body.columns;
    expect(columns.driver_id).toEqual([1001, 1002, 1003, 1001, 9999]);
    expect(columns.label).toEqual([1, 0, 0, 1, 0]);
    // 1001 now: the row of the previous hour; 1003: newest row 3 h old, past the 2 h ttl; 1001 earlier: the row of 4 h ago.
    expect(columns.driver_hourly_stats__conv_rate).toEqual([0.78, 0.66, null, 0.86, null]);
    expect(r.dataset.body).toMatchObject({ id: 'driver_conv_train@1', rowCount: 5 });
    expect(r.datasetRows.columns.driver_hourly_stats__conv_rate).toEqual([0.78, 0.66, null, 0.86, null]);
    // A training set from the labels port (entities_from): its rows in offer-time order, then by driver.
    expect(r.labelsApplied).toMatchObject({ exitCode: 0 });
    expect(r.labelsIngest.body).toMatchObject({ inserted: 4 });
    expect(r.labelsDataset.body).toMatchObject({ id: 'driver_offers_train@1', rowCount: 4 });
    expect(r.labelsRows.columns.driver_id).toEqual([1001, 1001, 1002, 1003]);
    expect(r.labelsRows.columns.completed).toEqual([1, 1, 0, 0]);
    expect(r.labelsRows.columns.conv_rate).toEqual([0.86, 0.78, 0.66, null]);
    expect(r.materialize.body.job).toMatchObject({ status: 'succeeded', rowsRead: 3, rowsWritten: 2 });
    const [, conv, trips] = r.online.body.results;
    expect(conv).toMatchObject({ values: [0.78, null, null], statuses: ['PRESENT', 'NOT_FOUND', 'NOT_FOUND'] });
    const minute = Math.floor(r.startedAt / 60_000) * 60_000;
    expect(conv.event_timestamps[0]).toBe(new Date(minute - 3_600_000).toISOString().replace('.000Z', 'Z'));
    expect(trips.values).toEqual([11, null, null]);
  });

  it('11-12: the demo model retrained to the same bytes (unchanged), a challenger created, deployed and predicting from fresh features', () => {
    expect(r.train).toMatchObject({ rows: 3080, registration: 'unchanged', datasetId: 'driver_risk_v1_demo@1' });
    expect(r.train.metrics.auc).toBeGreaterThan(0.85);
    expect(r.challenger).toMatchObject({ registration: 'created' });
    expect(r.materializeAll.body.job).toMatchObject({ status: 'succeeded', featureViews: ['driver_daily_payments', 'driver_hourly_stats'] });
    expect(r.materializeAll.body.job.rowsWritten).toBeGreaterThanOrEqual(800);
    expect(r.deploy.data.deployModel).toEqual({ production: '1.0.0', canary: null, shadows: [], revision: 1 });
    expect(r.predict.status).toBe(200);
    const [known, , unknown] = r.predict.body.rows;
    expect(Object.values(known.statuses)).toEqual(Array(6).fill('PRESENT'));
    expect(Object.values(unknown.statuses)).toEqual(Array(6).fill('IMPUTED'));
  });

  it('13-14: canary by entity, shadow only in the log, history, SLOs, drift with enough serving rows, metrics', () => {
    expect(r.canary.data.setCanary).toMatchObject({ canary: { version: '1.1.0', percent: 30 } });
    expect(r.canaryRoles).toHaveLength(10);
    expect(r.canaryRoles).toContain('canary');
    expect(r.canaryRoles).toContain('production');
    expect(r.shadow.data.addShadow).toMatchObject({ production: '1.0.0', shadows: ['1.1.0'] });
    expect(
      r.log.data.predictionLog
        .filter((e: Json) => e.role === 'shadow')
        .map((e: Json) => e.entity.driver_id)
        .sort(),
    ).toEqual([1001, 1007]);
    expect(r.history.data.deploymentHistory.map((h: Json) => h.action)).toEqual(['deploy', 'set_canary', 'clear_canary', 'add_shadow']);
    expect(r.slo.data.sloStatus.map((s: Json) => s.slo)).toEqual(expect.arrayContaining(['availability', 'latency', 'frequency', 'retention']));
    const drift = r.drift.data.modelDrift;
    expect(drift.trainingDataset).toBe('driver_risk_v1_demo@1');
    expect(drift.servingRows).toBeGreaterThanOrEqual(400);
    for (const f of drift.features) expect(typeof f.psi).toBe('number');
    expect(drift.drifted).toBe(false);
    expect(r.metrics.join('\n')).toMatch(/tessera_http_request_duration_seconds_count\{method="POST",route="\/v1\/models\/:name\/predict",status_code="200"\} \d+/);
  });

  it('15: keys and roles, a policy proposed, refused to its proposer, approved by two domains and enforced on a new product', () => {
    expect(r.noKey).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    expect(r.wrongKey).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'invalid API key' } } });
    expect(r.forbidden).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(r.propose.data.proposePolicy).toEqual({ id: 'description-limitations@1', status: 'draft', proposedBy: 'person:ana' });
    expect(r.submit.data.submitPolicyForReview.status).toBe('in_review');
    expect(r.selfVote.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', tesseraCode: 'VOTE_REFUSED' });
    expect(r.benVote.data.votePolicy.status).toBe('in_review');
    expect(r.kimVote.data.votePolicy).toMatchObject({ status: 'active', tally: { outcome: 'approved', approvingDomains: ['payments', 'risk'], quorum: 2 } });
    expect(r.zonesRefused.exitCode).toBe(1);
    expect(r.zonesRefused.stdout).toMatch(
      /^error\s+rides-zones\/rides-zones\.odps\.yaml description\.limitations: policy description-limitations@1 \(blocking, the product cannot be active\) violated by data product rides-zones/m,
    );
    expect(r.zonesRefused.stdout).toMatch(/rejected: 1 error\(s\) in 1 file\(s\); nothing was stored$/);
    expect(r.zonesApplied.exitCode).toBe(0);
    expect(r.zonesApplied.stdout).toMatch(/^created 2, updated 0, unchanged 0$/m);
  });

  it('16: a consumer refused without an agreement, granted by the domain owner, reading the PII column masked online and offline', () => {
    expect(r.view).toMatchObject({ exitCode: 0 });
    expect(r.view.stdout).toMatch(/^created\s+FeatureView driver_profile/m);
    expect(r.profiles).toMatchObject({ rows: 2, inserted: 2 });
    expect(r.profileMaterialized.job).toMatchObject({ status: 'succeeded', rowsWritten: 2 });
    expect(r.denied).toMatchObject({
      status: 403,
      body: { error: { code: 'ACCESS_AGREEMENT_REQUIRED', details: { missing: [{ dataProduct: 'rides-drivers', outputPort: 'profiles', view: 'driver_profile' }] } } },
    });
    expect(r.request.data.requestAccess).toMatchObject({ status: 'requested', piiAccess: false });
    expect(r.approve.data.approveAccess).toEqual({ status: 'approved', decidedBy: 'person:rita' });
    const [, city, email] = r.granted.body.results;
    expect(city.values).toEqual(['sao-paulo', 'berlin']);
    expect(email.values).toHaveLength(2);
    for (const v of email.values) expect(v).toMatch(/^[0-9a-f]{64}$/);
    expect(r.grantedOffline.body.columns.email).toEqual([email.values[1]]);
  });

  it('17: the driver_risk bundle, scored by packages/client in-process and in headless Chromium, equal to /predict', () => {
    expect(r.bundle.status).toBe(200);
    expect(r.bundle.body).toMatchObject({ format: 'tessera.model-bundle/v1', name: 'driver_risk', version: '1.0.0', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(r.clientPredict.model).toEqual(r.serverPredict.model);
    expect(r.clientPredict.outputs).toEqual(r.serverPredict.outputs);
    const expected = r.serverPredict.outputs.probability as (number | null)[];
    expect(expected.filter((p) => p !== null).length).toBeGreaterThan(0);
    const got = r.browserPredict.outputs.probability as (number | null)[];
    expected.forEach((p, i) => (p === null ? expect(got[i]).toBeNull() : expect(Math.abs((got[i] as number) - p)).toBeLessThanOrEqual(1e-6)));
    expect(r.browserPredict.foreign).toEqual([]);
  });

  it('18: every driver scored as of a time by a batch job, the committed contract the derived one plus an SLA, scores read online; a repeat stores nothing', () => {
    expect(r.precomputeApplied).toMatchObject({ exitCode: 0 });
    expect(r.contractDerived).toEqual({ status: 200, extendsDerived: true });
    // Refused until the model holds agreements for the other domains' ports, then approved for each.
    expect(r.batchRefused).toMatchObject({ status: 403, code: 'ACCESS_AGREEMENT_REQUIRED' });
    expect(r.batchRefused.ports.length).toBeGreaterThan(0);
    expect(r.modelAgreements).toEqual(r.batchRefused.ports.map((port: string) => ({ port, status: 'approved' })));
    expect(r.batchQueued.status).toBe(202);
    expect(r.batchJob).toMatchObject({ status: 'succeeded', progress: 1, attempts: 1, error: null });
    expect(r.batchJob.total).toBeGreaterThanOrEqual(2);
    expect(r.batchJob.inserted).toBe(r.batchJob.scored);
    expect(r.batchJob.onlineWritten).toBe(r.batchJob.scored);
    const [probability, version] = r.precomputedOnline as unknown[][];
    expect(probability.slice(0, 2).every((p) => typeof p === 'number' && p > 0 && p < 1)).toBe(true);
    expect(probability[2]).toBeNull();
    expect(version.slice(0, 2)).toEqual(['1.0.0', '1.0.0']);
    expect(r.batchRepeat).toEqual({ status: 'succeeded', inserted: 0 });
  });

  (process.env.NATS_URL ? it : it.skip)('19: readings streamed in are online a moment later; a prediction asked and answered over NATS', () => {
    expect(r.streamApplied).toMatchObject({ exitCode: 0 });
    expect(r.streamOnline.body.results[1].values[1]).toBe(0.93);
    expect(r.onDemand.status).toBe('200');
    expect(r.onDemand.body).toMatchObject({ requestId: 'tour-1', model: { name: 'driver_risk', version: '1.0.0' } });
    expect(r.onDemand.body.outputs.probability).toHaveLength(1);
    expect(r.streamMetrics.streamSources).toContainEqual(expect.objectContaining({ name: 'driver_stats_stream', stored: 1, deadLettered: 0, paused: false }));
  });

  it('prints every step as Markdown, with no key in clear', () => {
    const text = printed.join('\n');
    for (let n = 1; n <= (process.env.NATS_URL ? 19 : 18); n++) expect(text).toContain(`**${n}. `);
    expect(text.split('```').length % 2).toBe(1);
    expect(text).not.toContain(t.adminKey);
    expect(text).not.toMatch(/tsk_[A-Za-z0-9_-]{12,}/);
  });
});
