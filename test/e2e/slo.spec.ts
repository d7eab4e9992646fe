import Fastify, { FastifyInstance } from 'fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { TesseraConfig } from '../../src/config/tessera-config';
import { createApp } from '../../src/create-app';
import { SloAlerts } from '../../src/slo/slo-alerts';
import { SloRuntime } from '../../src/slo/slo-runtime';
import { hourlyView, ingestDriverRows, servingMeshFiles } from '../fixtures/serving-mesh';
import { startTestApp, TestApp } from '../support/test-app';

const SLA = `
slaProperties:
  - { property: latency, value: 1, unit: h, element: hourly.event_timestamp }
  - { property: frequency, value: 1, unit: h }
  - { property: availability, value: 99.5, unit: percent }
  - { property: retention, value: 30, unit: d, element: hourly.event_timestamp }
`;
const SECRET = 'slo-webhook-secret-0123456789';

interface Received {
  id: string;
  attempt: string;
  signature: string;
  body: Record<string, unknown>;
  answered: number;
}

const STATE_FIELDS = 'port slo scope status declared target unit measured evaluatedAt evidence errorBudget { kind total consumed remaining } history { status measured }';

describe('SLOs measured from real data, with breach alerts delivered to a webhook', () => {
  let t: TestApp;
  let hook: FastifyInstance;
  const received: Received[] = [];
  const attemptsById = new Map<string, number>();

  const slos = async () => {
    const res = await t.gql<{ sloStatus: Record<string, unknown>[] }>(`query { sloStatus(productId: "rides-driver-stats") { ${STATE_FIELDS} } }`);
    expect(res.errors).toBeUndefined();
    return res.data!.sloStatus;
  };
  const evaluate = async () => {
    const res = await t.gql<{ evaluateSlos: Record<string, unknown>[] }>(`mutation { evaluateSlos(productId: "rides-driver-stats") { ${STATE_FIELDS} } }`);
    expect(res.errors).toBeUndefined();
    return res.data!.evaluateSlos;
  };
  const find = (states: Record<string, unknown>[], slo: string, scope: string) => states.find((s) => s.slo === slo && s.scope === scope)!;
  const waitFor = async (what: () => Promise<boolean>, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!(await what())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    // The receiver fails each alert's first attempt, so every delivery has to be retried.
    hook = Fastify();
    hook.post('/hook', async (req, reply) => {
      const id = String(req.headers['x-tessera-alert-id']);
      const n = (attemptsById.get(id) ?? 0) + 1;
      attemptsById.set(id, n);
      const answered = n === 1 ? 500 : 200;
      received.push({ id, attempt: String(req.headers['x-tessera-attempt']), signature: String(req.headers['x-tessera-signature']), body: req.body as Record<string, unknown>, answered });
      return reply.status(answered).send({});
    });
    await hook.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/hook`;
    t = await startTestApp({
      TESSERA_ONLINE_STORE: 'postgres',
      TESSERA_SLO_SCHEDULE: 'off',
      TESSERA_ALERT_WEBHOOKS: url,
      TESSERA_ALERT_WEBHOOK_SECRET: SECRET,
      TESSERA_ALERT_RETRY_BASE_MS: '50',
    });
    const files = servingMeshFiles(hourlyView({ ttl: '0' })).map((f) => (f.path.endsWith('hourly.odcs.yaml') ? { ...f, content: f.content + SLA } : f));
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files, dryRun: false } });
    expect(res.json()).toMatchObject({ applied: true });
  });
  afterAll(async () => {
    await hook.close();
    await t?.close();
  });

  it('sloStatus only reads: before any evaluation it answers nothing and writes no slo_* row, sends no alert', async () => {
    const counts = async () =>
      await t.dataSource.query<Record<string, number>[]>(
        `SELECT (SELECT count(*) FROM tessera.slo_evaluations)::int AS evaluations, (SELECT count(*) FROM tessera.slo_alerts)::int AS alerts,
                (SELECT count(*) FROM tessera.alert_deliveries)::int AS deliveries, (SELECT count(*) FROM tessera.slo_schedule_claims)::int AS claims`,
      );
    const before = await counts();
    expect(before).toEqual([{ evaluations: 0, alerts: 0, deliveries: 0, claims: 0 }]);
    expect(await slos()).toEqual([]);
    const mesh = await t.gql<{ meshSloStatus: unknown[] }>(`{ meshSloStatus { productId } }`);
    expect(mesh.data!.meshSloStatus).toEqual([]);
    // Delivery is asynchronous: give a webhook that an evaluation would have sent time to arrive.
    await new Promise((r) => setTimeout(r, 300));
    expect(await counts()).toEqual(before);
    expect(received).toEqual([]);
  });

  it('measures an empty port as breached (no data, never loaded, never materialized) and alerts once per breach, retried until delivered', async () => {
    const states = await evaluate(); // evaluation is a mutation (or the schedule), never a read
    const stable = (xs: Record<string, unknown>[]) => xs.map((x) => ({ slo: x.slo, scope: x.scope, status: x.status, measured: x.measured, evaluatedAt: x.evaluatedAt }));
    expect(stable(await slos())).toEqual(stable(states)); // the read answers the last evaluation
    expect(find(states, 'latency', 'offline')).toMatchObject({
      status: 'breached',
      declared: '1 h',
      target: 3600,
      unit: 'seconds',
      measured: null,
      evidence: expect.objectContaining({ reason: 'no data yet', column: 'event_timestamp' }),
    });
    expect(find(states, 'latency', 'online:driver_hourly_stats')).toMatchObject({ status: 'breached', measured: null });
    expect(find(states, 'frequency', 'offline')).toMatchObject({ status: 'breached', evidence: expect.objectContaining({ reason: 'no load recorded yet' }) });
    expect(find(states, 'availability', 'reads')).toMatchObject({ status: 'met', declared: '99.5 percent', errorBudget: { kind: 'requests', remaining: 1 } });
    expect(find(states, 'retention', 'offline')).toMatchObject({ status: 'met' });

    const breaches = states.filter((s) => s.status === 'breached');
    await waitFor(async () => {
      const rows = await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM tessera.alert_deliveries WHERE status = 'delivered'`);
      return rows[0].n === breaches.length;
    });
    const delivered = received.filter((r) => r.answered === 200);
    expect(delivered).toHaveLength(breaches.length);
    for (const r of delivered) {
      expect(r.attempt).toBe('2');
      expect(r.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(JSON.stringify(r.body)).digest('hex')}`);
      expect(r.body).toMatchObject({ id: r.id, kind: 'slo.breach', productId: 'rides-driver-stats', domain: 'rides', port: 'hourly', contract: { id: 'rides-driver-stats-v1', version: '1.0.0' } });
    }
    expect(new Set(delivered.map((r) => `${String(r.body.slo)}/${String(r.body.scope)}`))).toEqual(new Set(breaches.map((s) => `${String(s.slo)}/${String(s.scope)}`)));

    // Still breached on the next evaluation: same episode, no new alert.
    await evaluate();
    const alerts = await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM tessera.slo_alerts`);
    expect(alerts[0].n).toBe(breaches.length);
  });

  it('re-evaluates after an ingest and after a materialization: fresh data and a recent load meet latency and frequency', async () => {
    const now = Date.now();
    await ingestDriverRows(t.app, [
      { driver_id: 1, event_timestamp: new Date(now - 10 * 60_000), conv_rate: 0.5 },
      { driver_id: 2, event_timestamp: new Date(now - 20 * 86400_000), conv_rate: 0.6 },
    ]);
    const runtime = t.app.get(SloRuntime);
    await runtime.settled();
    let states = await slos();
    expect(find(states, 'latency', 'offline')).toMatchObject({ status: 'met' });
    expect(find(states, 'latency', 'offline').measured as number).toBeGreaterThanOrEqual(600);
    expect(find(states, 'latency', 'offline').measured as number).toBeLessThan(700);
    expect(find(states, 'frequency', 'offline')).toMatchObject({ status: 'met', evidence: expect.objectContaining({ lastLoadRows: 2 }) });
    expect(find(states, 'latency', 'online:driver_hourly_stats')).toMatchObject({ status: 'breached' });

    const mat = await t.app.inject({ method: 'POST', url: '/materialize-incremental', payload: { end_ts: new Date(now).toISOString(), feature_views: ['driver_hourly_stats'] } });
    expect(mat.json().job.status).toBe('succeeded');
    await runtime.settled();
    states = await slos();
    expect(find(states, 'latency', 'online:driver_hourly_stats')).toMatchObject({ status: 'met' });
    // History is newest first and shows the breach that was.
    expect((find(states, 'latency', 'offline').history as { status: string }[]).map((h) => h.status).slice(0, 2)).toEqual(['met', 'met']);
    expect((find(states, 'latency', 'offline').history as { status: string }[]).at(-1)!.status).toBe('breached');
    const budget = find(states, 'latency', 'offline').errorBudget as { consumed: number; total: number };
    expect(budget.consumed).toBeGreaterThan(0);
  });

  it('counts reads for availability: failures of a replica whose online store is down breach it', async () => {
    for (let i = 0; i < 5; i++) {
      const ok = await t.app.inject({ method: 'POST', url: '/get-online-features', payload: { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] } } });
      expect(ok.statusCode).toBe(200);
    }
    // A replica on the same database whose Redis is unreachable: its reads fail with 503.
    const config = TesseraConfig.fromEnv({ DATABASE_URL: t.db.url, TESSERA_APPLY_ON_START: 'false', TESSERA_ADMIN_KEY: t.adminKey, REDIS_URL: 'redis://127.0.0.1:1', TESSERA_SLO_SCHEDULE: 'off' });
    const broken: NestFastifyApplication = await createApp(config, t.dataSource, { logger: false });
    try {
      const res = await broken.inject({
        method: 'POST',
        url: '/get-online-features',
        headers: { authorization: `Bearer ${t.adminKey}` },
        payload: { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] } },
      });
      expect(res.statusCode).toBe(503);
      await broken.get(SloRuntime).flushReads();
    } finally {
      await broken.close();
    }
    await t.app.get(SloRuntime).flushReads();
    const states = await evaluate();
    expect(find(states, 'availability', 'reads')).toMatchObject({
      status: 'breached',
      measured: (100 * 5) / 6,
      evidence: expect.objectContaining({ ok: 5, failed: 1 }),
      errorBudget: { kind: 'requests', consumed: 1 },
    });
  });

  it('detects deleted rows that the retention SLO promised to keep', async () => {
    expect(find(await evaluate(), 'retention', 'offline')).toMatchObject({ status: 'met' });
    const [{ schema_name, table_name }] = await t.dataSource.query<{ schema_name: string; table_name: string }[]>(
      `SELECT schema_name, table_name FROM tessera.offline_tables WHERE product_id = 'rides-driver-stats'`,
    );
    await t.dataSource.query(`DELETE FROM "${schema_name}"."${table_name}" WHERE driver_id = 2`); // the 20-day-old row; retention is 30 days
    expect(find(await evaluate(), 'retention', 'offline')).toMatchObject({ status: 'breached', evidence: expect.objectContaining({ reason: 'rows inside the retention period were deleted' }) });
  });

  it('shows the whole mesh with counts per status', async () => {
    const res = await t.gql<{ meshSloStatus: { productId: string; domain: string; met: number; atRisk: number; breached: number; slos: unknown[] }[] }>(
      `{ meshSloStatus { productId domain met atRisk breached slos { slo scope status } } }`,
    );
    expect(res.errors).toBeUndefined();
    const [product] = res.data!.meshSloStatus;
    expect(product).toMatchObject({ productId: 'rides-driver-stats', domain: 'rides' });
    expect(product.met + product.atRisk + product.breached).toBe(product.slos.length);
    expect(product.breached).toBeGreaterThanOrEqual(2); // availability and retention
    expect(t.app.get(SloAlerts)).toBeDefined();
  });
});
