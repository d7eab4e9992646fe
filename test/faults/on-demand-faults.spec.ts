import '../support/scoring-ort-realm';
import { headers } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { ON_DEMAND_HEADERS, PREDICT_STREAM, predictSubject, RESULTS_STREAM, workerConsumer } from '../../src/scoring/on-demand/on-demand-subjects';
import { goodModel } from '../fixtures/models/scoring-models';
import { modelDoc } from '../fixtures/models/scoring-mesh';
import { ADMIN_KEY, gqlAuth, predict, startPredictApp, upload, writeCustomers } from '../fixtures/models/scoring-predict';
import { startLocalBroker, type LocalBroker } from '../support/local-broker';
import { stopProcess, until } from '../support/local-processes';
import { natsClient, type NatsTest } from '../support/nats-test';
import { publishRequest, results, startWorkerProcess, untilResults } from '../support/on-demand-test';
import type { TestApp } from '../support/test-app';

/**
 * Model-on-demand under faults caused for real (issue 13 point 3), against a nats-server of the
 * suite's own: the broker restarted while requests flow, a worker process (`tessera worker`)
 * SIGKILLed mid-batch and another started, a poison request among good ones. Each time every request
 * is answered exactly once, with the answer REST gives.
 */
describe('model-on-demand under faults', () => {
  let broker: LocalBroker;
  let t: TestApp;
  let nats: NatsTest;
  const model = `faulty_${randomBytes(3).toString('hex')}`;
  const prefix = `t:on-demand-faults:${randomBytes(4).toString('hex')}:`;
  const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  let workerEnv: Record<string, string>;
  const expected = new Map<number, unknown>();

  beforeAll(async () => {
    broker = await startLocalBroker();
    nats = await natsClient(broker.url);
    // This process is an API-only replica: the worker processes do the scoring.
    t = await startPredictApp('on-demand-faults', { NATS_URL: broker.url, TESSERA_PREDICT_WORKERS: 'off', TESSERA_REDIS_PREFIX: prefix });
    await writeCustomers(
      t,
      [1, 2, 3, 4, 5].map((id) => ({ id, ageMs: 60_000, spend: id * 1.5, orders: id })),
    );
    await upload(t, modelDoc({ name: model }), goodModel(2));
    expect((await gqlAuth(t, `mutation($n: String!) { deployModel(name: $n, version: "1.0.0") { production } }`, { n: model })).errors).toBeUndefined();
    for (const id of [1, 2, 3, 4, 5]) expected.set(id, (await predict(t, model, { entities: { customer_id: [id] } })).body.outputs);
    workerEnv = {
      DATABASE_URL: t.db.url,
      REDIS_URL,
      TESSERA_ONLINE_STORE: 'redis',
      TESSERA_REDIS_PREFIX: prefix,
      TESSERA_ADMIN_KEY: ADMIN_KEY,
      NATS_URL: broker.url,
      TESSERA_STREAM_ACK_WAIT_MS: '2000',
      TESSERA_PREDICT_BATCH_MAX: '16',
      TESSERA_PREDICT_BATCH_WAIT_MS: '5',
    };
  });
  afterAll(async () => {
    await nats?.nc.close();
    if (t) {
      await t.app.get<OnlineStore>(ONLINE_STORE).deleteAll();
      await t.close();
    }
    await broker?.stop();
    if (broker) rmSync(broker.dir, { recursive: true, force: true });
  });

  /** Publishes requests `ids`, retrying what the broker did not confirm (its msg id lands a retry once). */
  async function publishAll(ids: number[], during?: (i: number) => Promise<void>): Promise<void> {
    for (const [i, n] of ids.entries()) {
      await during?.(i);
      const h = headers();
      h.set(ON_DEMAND_HEADERS.requestId, `r${n}`);
      h.set(ON_DEMAND_HEADERS.authorization, `Bearer ${ADMIN_KEY}`);
      for (;;) {
        try {
          await nats.js.publish(predictSubject(model), JSON.stringify({ entities: { customer_id: [1 + (n % 5)] } }), { headers: h, msgID: `req-${n}`, timeout: 1000 });
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
  }

  /** Every id answered exactly once, with REST's outputs for its customer. */
  function expectOnceEach(answers: Map<string, { json<T>(): T }[]>, ids: number[]): void {
    for (const n of ids) {
      const got = answers.get(`r${n}`) ?? [];
      expect(got).toHaveLength(1);
      expect(got[0].json<{ outputs: unknown }>().outputs).toEqual(expected.get(1 + (n % 5)));
    }
  }

  const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

  it('the broker restarted while requests flow: each answered once', async () => {
    const worker = await startWorkerProcess(model, workerEnv);
    try {
      const ids = range(0, 300);
      await publishAll(ids, async (i) => {
        if (i !== 100) return;
        await untilResults(nats, model, 1, 30_000); // some answered before the restart
        await broker.stop();
        await new Promise((r) => setTimeout(r, 500));
        await broker.start();
      });
      const answers = await untilResults(nats, model, 300, 60_000);
      await new Promise((r) => setTimeout(r, 2500)); // past the ack wait: a redelivered answer would land now
      expect((await results(nats, model, 400)).length).toBe(300);
      expectOnceEach(answers, ids);
    } finally {
      await stopProcess(worker.proc);
    }
  }, 180_000);

  it('a worker SIGKILLed mid-batch: its requests are redelivered to the next worker and answered once', async () => {
    const ids = range(1000, 1500);
    const before = (await nats.jsm.streams.info(RESULTS_STREAM)).state.messages;
    await publishAll(ids);
    // Killed while it works through the backlog: the workers start before the process answers /health.
    const first = await startWorkerProcess(model, workerEnv, { waitHealthy: false });
    try {
      await until('part of the requests answered', async () => (await nats.jsm.streams.info(RESULTS_STREAM)).state.messages > before + 20, 120_000, 5).catch((e: Error) => {
        throw new Error(`${e.message}\n${first.output().slice(-3000)}`);
      });
      process.kill(first.proc.pid!, 'SIGKILL');
    } finally {
      await stopProcess(first.proc, 'SIGKILL');
    }
    const partial = (await nats.jsm.streams.info(RESULTS_STREAM)).state.messages - before;
    expect(partial).toBeLessThan(1500);
    const second = await startWorkerProcess(model, workerEnv);
    try {
      const answers = await untilResults(nats, model, before + 1500, 90_000);
      await new Promise((r) => setTimeout(r, 2500)); // past the ack wait
      expect((await results(nats, model, before + 1600)).length).toBe(before + 1500);
      expectOnceEach(answers, ids);
      const info = await nats.jsm.consumers.info(PREDICT_STREAM, workerConsumer(model));
      // Requests the killed worker held unacknowledged were delivered again: more deliveries than requests.
      expect(info.delivered.consumer_seq).toBeGreaterThan(before + 1500);
      expect(info.num_pending + info.num_ack_pending).toBe(0);
    } finally {
      await stopProcess(second.proc);
    }
  }, 400_000);

  it('a poison request among good ones: an error result for it, acked, and the batch answered', async () => {
    const worker = await startWorkerProcess(model, workerEnv);
    try {
      const before = (await results(nats, model, 2000)).length;
      await Promise.all([
        publishRequest(nats, model, 'poison', '\u0000{"entities": [', ADMIN_KEY),
        publishRequest(nats, model, 'poison-shape', { entities: { customer_id: [1, 2] }, request_features: { nope: [1] } }, ADMIN_KEY),
        publishRequest(nats, model, 'good', { entities: { customer_id: [3] } }, ADMIN_KEY),
      ]);
      const answers = await untilResults(nats, model, before + 3, 30_000);
      expect(answers.get('poison')?.[0].headers?.get(ON_DEMAND_HEADERS.status)).toBe('400');
      expect(
        answers
          .get('poison-shape')?.[0]
          .json<{ error: { details: { field: string }[] } }>()
          .error.details.map((d) => d.field),
      ).toEqual(['request_features.nope']);
      expect(answers.get('good')?.[0].json<{ outputs: unknown }>().outputs).toEqual(expected.get(3));
      await new Promise((r) => setTimeout(r, 2500));
      const info = await nats.jsm.consumers.info(PREDICT_STREAM, workerConsumer(model));
      expect(info.num_pending + info.num_ack_pending + info.num_redelivered).toBe(0);
    } finally {
      await stopProcess(worker.proc);
    }
  }, 120_000);
});
