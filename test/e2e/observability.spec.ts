import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../src/database';
import { TesseraConfig } from '../../src/config/tessera-config';
import { createApp } from '../../src/create-app';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { requestContext } from '../../src/observability/logging/request-context';
import { hourlyView, ingestDriverRows, servingMeshFiles } from '../fixtures/serving-mesh';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const KEY = 'observability-test-admin-key-0123456789';
const AUTH = { authorization: `Bearer ${KEY}` };

/** The value of one sample line of the Prometheus exposition (labels given in any order), or undefined. */
function sample(exposition: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of exposition.split('\n')) {
    const m = /^([a-z_:]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('observability: Prometheus metrics, JSON logs with request ids', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let app: NestFastifyApplication;
  const lines: Record<string, unknown>[] = [];
  const prefix = `test:obs:${randomBytes(4).toString('hex')}:`;

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
  });
  afterAll(async () => {
    await app.get<OnlineStore>(ONLINE_STORE).deleteAll();
    await app.close();
    await dataSource.destroy();
    await db.drop();
  });

  it('exports request, GraphQL, online store, PostgreSQL and materialization metrics in Prometheus format', async () => {
    const mat = await app.inject({ method: 'POST', url: '/materialize', headers: AUTH, payload: { start_ts: '2024-01-01T00:00:00Z', end_ts: '2024-01-02T00:00:00Z', feature_views: ['driver_hourly_stats'] } });
    expect(mat.statusCode).toBe(200);
    const read = await app.inject({ method: 'POST', url: '/get-online-features', headers: AUTH, payload: { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] } } });
    expect(read.json().results[1].values).toEqual([0.5]);
    const gql = await app.inject({ method: 'POST', url: '/graphql', headers: AUTH, payload: { query: '{ materializationJobs(first: 1) { id } }' } });
    expect(gql.statusCode).toBe(200);

    const res = await app.inject({ method: 'GET', url: '/metrics', headers: AUTH });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = res.body;
    expect(sample(m, 'tessera_http_request_duration_seconds_count', { method: 'POST', route: '/get-online-features', status_code: '200' })).toBe(1);
    expect(sample(m, 'tessera_graphql_operation_duration_seconds_count', { operation_type: 'query', root_field: 'materializationJobs', outcome: 'ok' })).toBe(1);
    expect(sample(m, 'tessera_online_store_duration_seconds_count', { store: 'redis', operation: 'read', outcome: 'ok' })).toBe(1);
    expect(sample(m, 'tessera_online_store_duration_seconds_count', { store: 'redis', operation: 'write', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sample(m, 'tessera_postgres_query_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThan(5);
    expect(sample(m, 'tessera_postgres_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(sample(m, 'tessera_materialization_rows_total', { feature_view: 'driver_hourly_stats', direction: 'read' })).toBe(1);
    expect(sample(m, 'tessera_materialization_rows_total', { feature_view: 'driver_hourly_stats', direction: 'written' })).toBe(1);
    expect(sample(m, 'tessera_materialization_job_duration_seconds_count', { trigger: 'api', outcome: 'succeeded' })).toBe(1);
    expect(m).toMatch(/^tessera_process_resident_memory_bytes \d+/m);
  });

  it('gives every request an id, echoed in X-Request-Id and on every log line written while serving it; keys are never logged', async () => {
    const given = await app.inject({ method: 'POST', url: '/materialize', headers: { ...AUTH, 'x-request-id': 'client-id-42' }, payload: { start_ts: '2024-01-02T00:00:00Z', end_ts: '2024-01-01T00:00:00Z' } });
    expect(given.statusCode).toBe(400);
    expect(given.headers['x-request-id']).toBe('client-id-42');
    const hostile = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'x\ninjected {"level":"fatal"}' } });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    const access = lines.filter((l) => l.requestId === 'client-id-42');
    expect(access).toEqual([expect.objectContaining({ level: 'info', service: 'tessera', msg: 'request completed', method: 'POST', route: '/materialize', statusCode: 400 })]);
    // Lines written through Nest's Logger (as services do) inside a request's context carry its id.
    requestContext.run({ requestId: 'svc-7' }, () => new Logger('Materialization').warn('chunk retried'));
    expect(lines.find((l) => l.requestId === 'svc-7')).toMatchObject({ level: 'warn', context: 'Materialization', msg: 'chunk retried' });
    const ingestBad = await app.inject({
      method: 'POST',
      url: '/v1/data-products/rides-driver-stats/ports/hourly/rows',
      headers: { ...AUTH, 'content-type': 'application/x-ndjson', 'x-request-id': 'ingest-9' },
      payload: '{"driver_id": "x"}',
    });
    expect(ingestBad.statusCode).toBe(422);
    expect(lines.filter((l) => l.requestId === 'ingest-9').length).toBeGreaterThanOrEqual(1);
    expect(lines.every((l) => typeof l.time === 'string' && typeof l.level === 'string')).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(KEY);
    // Probes are not logged.
    expect(lines.some((l) => l.route === '/health')).toBe(false);
  });
});
