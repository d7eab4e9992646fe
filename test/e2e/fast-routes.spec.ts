import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DiscoveryService, ModulesContainer } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../src/database';
import { TesseraConfig } from '../../src/config/tessera-config';
import { createApp } from '../../src/create-app';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { fastRoutes } from '../../src/governance/auth/fast-routes';
import { hourlyView, ingestDriverRows, servingMeshFiles } from '../fixtures/serving-mesh';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const KEY = 'fast-routes-test-admin-key-0123456789';
const AUTH = { authorization: `Bearer ${KEY}` };
const READ = { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] } };

/**
 * The hot routes served as plain Fastify routes (ADR 0037) keep what Nest's chain gave them: the
 * authorization decision and its audited denial, the rate limiter, the access line with the request
 * id, the error shapes. The other guards of these routes are the suites that already test them
 * (serving-online-features, access-agreements, observability, auth-keys, route-guards, openapi, fuzz).
 */
describe('fast routes (plain Fastify hot routes)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let app: NestFastifyApplication;
  const lines: Record<string, unknown>[] = [];
  const prefix = `test:fast:${randomBytes(4).toString('hex')}:`;
  const gql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const res = await app.inject({ method: 'POST', url: '/graphql', headers: AUTH, payload: { query, variables } });
    const body = res.json<{ data: T; errors?: unknown }>();
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const key = async (id: string, roles: { role: string; domain?: string }[]): Promise<string> =>
    (await gql<{ createApiKey: { key: string } }>(`mutation($p: PrincipalInput!, $r: [RoleGrantInput!]) { createApiKey(principal: $p, roles: $r) { key } }`, { p: { id, kind: 'service' }, r: roles })).createApiKey
      .key;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await openDatabase(db.url);
    const config = TesseraConfig.fromEnv({
      DATABASE_URL: db.url,
      TESSERA_APPLY_ON_START: 'false',
      TESSERA_ADMIN_KEY: KEY,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      TESSERA_REDIS_PREFIX: prefix,
      LOG_LEVEL: 'info',
      // A principal of its own with a tiny budget: the limiter must refuse its fourth request.
      TESSERA_RATE_LIMIT_PRINCIPALS: 'service:limited=3',
    });
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    app = await createApp(config, dataSource, { logDestination: sink });
    await app.getHttpAdapter().getInstance().ready();
    const applied = await app.inject({ method: 'POST', url: '/v1/contracts/apply', headers: AUTH, payload: { files: servingMeshFiles(hourlyView({ ttl: '0' })), dryRun: false } });
    expect(applied.statusCode).toBe(200);
    await ingestDriverRows(app, [{ driver_id: 1, event_timestamp: new Date('2024-01-01T10:00:00Z'), conv_rate: 0.5 }], AUTH);
    const mat = await app.inject({ method: 'POST', url: '/materialize', headers: AUTH, payload: { start_ts: '2024-01-01T00:00:00Z', end_ts: '2024-01-02T00:00:00Z', feature_views: ['driver_hourly_stats'] } });
    expect(mat.statusCode).toBe(200);
  });
  afterAll(async () => {
    await app.get<OnlineStore>(ONLINE_STORE).deleteAll();
    await app.close();
    await dataSource.destroy();
    await db.drop();
  });

  it('serves the online route and the probes as fast routes, registered once, outside Nest', () => {
    expect(
      fastRoutes(app.get(ModulesContainer))
        .map((r) => `${r.method} ${r.url} ${r.handler}`)
        .sort(),
    ).toEqual([
      'GET /health HealthController.health',
      'GET /ready HealthController.ready',
      'POST /get-online-features ServingController.getOnlineFeatures',
      'POST /v1/models/:name/predict PredictionController.predict',
    ]);
    // Not Nest controllers: Nest routes none of them (Fastify would refuse a second registration at start-up anyway).
    const controllers = new DiscoveryService(app.get(ModulesContainer)).getControllers().map((w) => (w.metatype as { name: string }).name);
    expect(controllers).toEqual(expect.arrayContaining(['MetricsController', 'ApplyController']));
    expect(controllers.filter((n) => ['ServingController', 'HealthController', 'PredictionController'].includes(n))).toEqual([]);
  });

  it('answers the Feast JSON through the compiled serializer, with its id echoed and one access line carrying it', async () => {
    const res = await app.inject({ method: 'POST', url: '/get-online-features', headers: { ...AUTH, 'x-request-id': 'fast-1' }, payload: READ });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-request-id']).toBe('fast-1');
    expect(res.body).toBe(
      JSON.stringify({
        metadata: { feature_names: ['driver_id', 'conv_rate'] },
        results: [
          { values: [1], statuses: ['PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z'] },
          { values: [0.5], statuses: ['PRESENT'], event_timestamps: ['2024-01-01T10:00:00Z'] },
        ],
      }),
    );
    expect(lines.filter((l) => l.requestId === 'fast-1')).toEqual([expect.objectContaining({ level: 'info', msg: 'request completed', method: 'POST', route: '/get-online-features', statusCode: 200 })]);
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
  });

  it('refuses a principal without features.read.online with 403, and records the denial with the request id', async () => {
    const governance = await key('service:gov', [{ role: 'governance_member', domain: 'rides' }]);
    for (const id of ['deny-1', 'deny-2']) {
      const res = await app.inject({ method: 'POST', url: '/get-online-features', headers: { authorization: `Bearer ${governance}`, 'x-request-id': id }, payload: READ });
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/^forbidden: /), details: { action: 'features.read.online' } });
    }
    const log = await gql<{ auditLog: { principalId: string; action: string; outcome: string; requestId: string; operation: string; resource: string }[] }>(
      `{ auditLog(filter: { action: "features.read.online" }, limit: 5) { principalId action outcome requestId operation resource } }`,
    );
    expect(log.auditLog.map((e) => e.requestId).sort()).toEqual(['deny-1', 'deny-2']);
    expect(log.auditLog[0]).toMatchObject({ principalId: 'service:gov', outcome: 'denied', operation: 'POST /get-online-features', resource: 'mesh' });
    // A member of the port's own domain is allowed (and needs no access agreement there).
    const member = await key('service:member', [{ role: 'domain_member', domain: 'rides' }]);
    expect((await app.inject({ method: 'POST', url: '/get-online-features', headers: { authorization: `Bearer ${member}` }, payload: READ })).statusCode).toBe(200);
  });

  it('is counted by the rate limiter: the fourth request of a principal limited to 3/min is refused with 429', async () => {
    const limited = await key('service:limited', [{ role: 'domain_member', domain: 'rides' }]);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await app.inject({ method: 'POST', url: '/get-online-features', headers: { authorization: `Bearer ${limited}` }, payload: READ }));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 429]);
    expect(answers[3].json().error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(answers[3].headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses bad bodies with typed errors naming the field, before touching the store', async () => {
    const bad = await app.inject({ method: 'POST', url: '/get-online-features', headers: AUTH, payload: { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: 'x' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'BAD_REQUEST', details: [{ field: 'entities.driver_id', reason: 'must be array' }] });
    const notObject = await app.inject({ method: 'POST', url: '/get-online-features', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '[1]' });
    expect(notObject.statusCode).toBe(400);
    expect(notObject.json().error.code).toBe('BAD_REQUEST');
    const broken = await app.inject({ method: 'POST', url: '/get-online-features', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{"features": [' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('MALFORMED_BODY');
    const anonymous = await app.inject({ method: 'POST', url: '/get-online-features', payload: READ });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
  });
});
