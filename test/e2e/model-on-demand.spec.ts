import '../support/scoring-ort-realm';
import { randomBytes } from 'node:crypto';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { ModelSessionCache } from '../../src/scoring/prediction/model-session.cache';
import { ON_DEMAND_HEADERS, PREDICT_STREAM, workerConsumer } from '../../src/scoring/on-demand/on-demand-subjects';
import { goodModel } from '../fixtures/models/scoring-models';
import { modelDoc } from '../fixtures/models/scoring-mesh';
import { ADMIN_KEY, gqlAuth, predict, startPredictApp, upload, writeCustomers } from '../fixtures/models/scoring-predict';
import { natsClient, NatsTest, NATS_URL } from '../support/nats-test';
import { publishRequest, results, untilResults } from '../support/on-demand-test';
import type { TestApp } from '../support/test-app';

/**
 * Model-on-demand over the machine's nats-server (issue 13 point 2, ADR 0027): requests on
 * tessera.predict.<model>, answers on tessera.predictions.<model>.<request id>, equal to REST's.
 * The model name is the suite's own, so no other process on the shared broker serves it.
 */
describe('model-on-demand: prediction requests over NATS JetStream', () => {
  let t: TestApp;
  let nats: NatsTest;
  const model = `ondemand_${randomBytes(4).toString('hex')}`;
  const bytes = goodModel(2);

  beforeAll(async () => {
    t = await startPredictApp('on-demand', { NATS_URL, TESSERA_PREDICT_WORKERS: 'all', TESSERA_PREDICT_BATCH_MAX: '16', TESSERA_PREDICT_BATCH_WAIT_MS: '200' });
    nats = await natsClient();
    await writeCustomers(t, [
      { id: 1, ageMs: 60_000, spend: 2.5, orders: 4 },
      { id: 2, ageMs: 60_000, spend: 9, orders: 9 },
      { id: 3, ageMs: 60_000, spend: null, orders: 2 },
      { id: 5, ageMs: 120_000, spend: 0.75, orders: 1 },
    ]);
    await upload(t, modelDoc({ name: model }), bytes);
    expect((await gqlAuth(t, `mutation($n: String!) { deployModel(name: $n, version: "1.0.0") { production } }`, { n: model })).errors).toBeUndefined();
    // The registration's `models` change starts the model's worker (TESSERA_PREDICT_WORKERS=all).
    const end = Date.now() + 10_000;
    while (!(await nats.jsm.consumers.info(PREDICT_STREAM, workerConsumer(model)).catch(() => null))) {
      if (Date.now() > end) throw new Error('no worker consumer for the model');
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(async () => {
    await nats?.jsm.consumers.delete(PREDICT_STREAM, workerConsumer(model)).catch(() => undefined);
    await nats?.nc.close();
    if (!t) return;
    await t.app.get<OnlineStore>(ONLINE_STORE).deleteAll();
    await t.close();
  });

  it('answers every request as REST does, scoring a batch of requests in one ONNX run', async () => {
    const bodies = Array.from({ length: 12 }, (_, i) => ({ entities: { customer_id: i % 3 === 0 ? [1, 3] : [[1, 2, 5][i % 3]] } }));
    const runner = await t.app.get(ModelSessionCache).runner(model, '1.0.0');
    const runsBefore = runner.stats.runs;
    const ids = bodies.map((_, i) => `ok-${i}`);
    await Promise.all(bodies.map((b, i) => publishRequest(nats, model, ids[i], b, ADMIN_KEY)));
    const answers = await untilResults(nats, model, 12);
    for (const [i, body] of bodies.entries()) {
      const [msg] = answers.get(ids[i]) ?? [];
      expect(msg?.headers?.get(ON_DEMAND_HEADERS.status)).toBe('200');
      const rest = await predict(t, model, body);
      const answer = msg.json<typeof rest.body>();
      expect(answer.requestId).toBe(ids[i]);
      expect({ model: answer.model, outputs: answer.outputs, rows: answer.rows }).toEqual({ model: rest.body.model, outputs: rest.body.outputs, rows: rest.body.rows });
      expect(msg.subject).toBe(`tessera.predictions.${model}.${ids[i]}`);
    }
    // 12 requests published at once, batches of up to 16 gathered for 200 ms: far fewer runs than requests.
    // (The 12 REST calls above ran after the answers were counted.)
    expect(runner.stats.runs - runsBefore - bodies.length).toBeLessThanOrEqual(3);
    expect(runner.stats.runs - runsBefore - bodies.length).toBeGreaterThanOrEqual(1);
  });

  it('a bad request gets an error result naming the field, is acknowledged and never redelivered', async () => {
    await publishRequest(nats, model, 'bad-body', { entities: { customer: [1] } }, ADMIN_KEY);
    await publishRequest(nats, model, 'bad-json', '{not json', ADMIN_KEY);
    await publishRequest(nats, model, 'no-key', { entities: { customer_id: [1] } }, null);
    await publishRequest(nats, model, 'wrong-key', { entities: { customer_id: [1] } }, 'not-a-key');
    await publishRequest(nats, model, null, { entities: { customer_id: [1] } }, ADMIN_KEY);
    const created = await gqlAuth<{ createApiKey: { key: string } }>(t, `mutation { createApiKey(principal: { id: "person:no-rights", kind: person }, roles: [], name: "on-demand") { key } }`);
    await publishRequest(nats, model, 'no-right', { entities: { customer_id: [1] } }, created.data!.createApiKey.key);
    const answers = await untilResults(nats, model, 12 + 6);
    const error = (id: string) => {
      const [m] = answers.get(id) ?? [];
      return { status: m?.headers?.get(ON_DEMAND_HEADERS.status), body: m?.json<{ error: { code: string; message: string; details?: { field: string }[] } }>() };
    };
    expect(error('bad-body').status).toBe('400');
    expect(error('bad-body').body?.error.code).toBe('INVALID_PREDICT_REQUEST');
    expect(error('bad-body').body?.error.details?.map((d) => d.field)).toEqual(expect.arrayContaining(['entities.customer_id', 'entities.customer']));
    expect(error('bad-json').body?.error.code).toBe('MALFORMED_BODY');
    expect(error('no-key').status).toBe('401');
    expect(error('wrong-key').status).toBe('401');
    expect(error('no-right').status).toBe('403');
    // Refusals are in the audit trail as REST's hook and guard record them: one per refused request.
    const audit = await gqlAuth<{ auditLog: { principalId: string | null; action: string; requestId: string; operation: string }[] }>(
      t,
      `query($r: String!) { auditLog(filter: { resource: $r, outcome: denied }) { principalId action requestId operation } }`,
      { r: `model:${model}` },
    );
    expect(audit.errors).toBeUndefined();
    expect(audit.data!.auditLog.map((e) => [e.requestId, e.principalId, e.action]).sort()).toEqual([
      ['no-key', null, 'authenticate'],
      ['no-right', 'person:no-rights', 'models.predict'],
      ['wrong-key', null, 'authenticate'],
    ]);
    expect(new Set(audit.data!.auditLog.map((e) => e.operation))).toEqual(new Set([`NATS tessera.predict.${model}`]));
    const noId = [...answers.keys()].find((k) => k.startsWith('invalid-'));
    expect(noId && error(noId).body?.error.message).toMatch(/Tessera-Request-Id: missing/);
    await new Promise((r) => setTimeout(r, 500));
    const info = await nats.jsm.consumers.info(PREDICT_STREAM, workerConsumer(model));
    expect(info.num_pending + info.num_ack_pending).toBe(0);
    expect(info.num_redelivered).toBe(0);
  });

  it('a request sent twice with one request id is answered once (Nats-Msg-Id on the results stream)', async () => {
    const body = { entities: { customer_id: [5] } };
    await publishRequest(nats, model, 'twice', body, ADMIN_KEY);
    await untilResults(nats, model, 19);
    await publishRequest(nats, model, 'twice', body, ADMIN_KEY);
    await new Promise((r) => setTimeout(r, 1000));
    const info = await nats.jsm.consumers.info(PREDICT_STREAM, workerConsumer(model));
    expect(info.num_pending + info.num_ack_pending).toBe(0); // the second was consumed too
    const all = await results(nats, model, 30);
    expect(all.filter((m) => m.headers?.get(ON_DEMAND_HEADERS.requestId) === 'twice')).toHaveLength(1);
  });

  it('reports its batches, latency and outcomes in /metrics', async () => {
    const text = (await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${ADMIN_KEY}` } })).body;
    expect(text).toMatch(new RegExp(`tessera_on_demand_requests_total\\{model="${model}",outcome="answered"\\} 1[3-9]`));
    expect(text).toMatch(new RegExp(`tessera_on_demand_requests_total\\{model="${model}",outcome="error"\\} 6`));
    expect(text).toMatch(new RegExp(`tessera_on_demand_batch_requests_count\\{model="${model}"\\} \\d+`));
    expect(text).toMatch(new RegExp(`tessera_on_demand_latency_seconds_count\\{model="${model}"\\} (19|20)`));
  });
});
