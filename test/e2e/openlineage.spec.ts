import '../support/scoring-ort-realm';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OfflineIngestService } from '../../src/features/ingest/offline-ingest.service';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { OpenLineageDelivery } from '../../src/openlineage/openlineage-delivery';
import { hourlyView, ingestDriverRows, servingMeshFiles } from '../fixtures/serving-mesh';
import { setUpBatchScoring } from '../fixtures/models/batch-scoring-mesh';
import { standardsAvailable, standardsDir, standardsSkipNotice } from '../support/standards-dir';
import { startTestApp, TestApp } from '../support/test-app';

type Event = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The official OpenLineage schemas: the RunEvent definition and each facet file's facet definition. */
function officialValidators(): { runEvent: ValidateFunction; facets: Map<string, ValidateFunction> } {
  const dir = join(standardsDir().dir, 'openlineage');
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const spec = JSON.parse(readFileSync(join(dir, 'OpenLineage.json'), 'utf8')) as { $id: string };
  ajv.addSchema(spec);
  const facets = new Map<string, ValidateFunction>();
  for (const file of readdirSync(join(dir, 'facets'))) {
    const schema = JSON.parse(readFileSync(join(dir, 'facets', file), 'utf8')) as { $id: string };
    ajv.addSchema(schema);
    const name = file.replace(/\.json$/, '');
    facets.set(`${schema.$id}#/$defs/${name}`, ajv.getSchema(`${schema.$id}#/$defs/${name}`)!);
  }
  return { runEvent: ajv.getSchema(`${spec.$id}#/$defs/RunEvent`)!, facets };
}

/** A lineage endpoint like Marquez's that refuses its first `failFirst` requests with 503. */
async function receiver(failFirst: number): Promise<{ server: Server; url: string; events: Event[]; refused: number; paths: Set<string> }> {
  const state = { events: [] as Event[], refused: 0, paths: new Set<string>() };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      state.paths.add(`${req.method} ${req.url} ${req.headers['content-type']}`);
      if (state.refused < failFirst) {
        state.refused++;
        res.writeHead(503).end('busy');
        return;
      }
      state.events.push(JSON.parse(body) as Event);
      res.writeHead(201).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return Object.assign(state, { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
}

async function until<T>(what: string, probe: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const run = standardsAvailable() ? describe : describe.skip;

run(standardsAvailable() ? 'OpenLineage run events (ADR 0034)' : standardsSkipNotice('OpenLineage run events'), () => {
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  let t: TestApp;
  let rx: Awaited<ReturnType<typeof receiver>>;
  let validators: ReturnType<typeof officialValidators>;
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload: payload as object, headers });
  const byJob = (name: string) => rx.events.filter((e) => e.job.name === name);

  beforeAll(async () => {
    validators = officialValidators();
    rx = await receiver(2);
    t = await startTestApp({
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      TESSERA_REDIS_PREFIX: prefix,
      OPENLINEAGE_URL: rx.url,
      OPENLINEAGE_NAMESPACE: 'acme-mesh',
      TESSERA_OPENLINEAGE_RETRY_BASE_MS: '50',
    });
    const apply = await post('/v1/contracts/apply', { files: servingMeshFiles(hourlyView({ ttl: '0' })), dryRun: false });
    expect(apply.statusCode).toBe(200);
    await ingestDriverRows(t.app, [
      { driver_id: 1, event_timestamp: new Date('2024-01-01T10:00:00Z'), conv_rate: 0.1 },
      { driver_id: 1, event_timestamp: new Date('2024-01-02T10:00:00Z'), conv_rate: null },
      { driver_id: 2, event_timestamp: new Date('2024-01-03T10:00:00Z'), conv_rate: 0.3 },
    ]);
    const bad = await post('/v1/data-products/rides-driver-stats/ports/hourly/rows', '{"driver_id":"not a number"}\n', { 'content-type': 'application/x-ndjson' });
    expect(bad.statusCode).toBe(422);
    expect((await post('/materialize', { start_ts: '2024-01-01T00:00:00Z', end_ts: '2024-01-04T00:00:00Z', feature_views: ['driver_hourly_stats'] })).statusCode).toBe(200);
    const saved = await post('/v1/training-datasets', {
      name: 'lineage_train',
      features: ['driver_hourly_stats:conv_rate'],
      entities: { driver_id: [1, 2], event_timestamp: ['2024-01-02T12:00:00Z', '2024-01-04T00:00:00Z'] },
    });
    expect(saved.statusCode).toBe(201);
    // A stream batch as the stream source runner hands it over (its NATS side is tested in streaming-ingest).
    const batch = await t.app.get(OfflineIngestService).ingestStreamBatch('rides-driver-stats', 'hourly', [{ driver_id: 3, event_timestamp: '2024-01-03T11:00:00Z', conv_rate: 0.5 }, { driver_id: 'x' }]);
    expect([batch.inserted, batch.refused.size]).toEqual([1, 1]);
    await t.app.get(OpenLineageDelivery).flush();
    // 2 ingest runs (one failed), 1 materialization, 1 training dataset, 1 stream batch: START and an end each.
    await until('10 delivered events', () => (rx.events.length >= 10 ? true : undefined)).catch(async (e: Error) => {
      const rows = await t.dataSource.query('SELECT id, event_type, attempts, last_error, next_attempt_at FROM tessera.openlineage_outbox');
      throw new Error(`${e.message}: got ${rx.events.length}, refused ${rx.refused}, outbox ${JSON.stringify(rows)}`);
    });
  }, 60_000);

  afterAll(async () => {
    await t.app.get<OnlineStore>(ONLINE_STORE).deleteAll();
    await t?.close();
    rx?.server.close();
  });

  it('every event is a valid RunEvent of the official schema, and every facet valid against its own schema', () => {
    expect(rx.events).toHaveLength(10);
    let facetsChecked = 0;
    for (const e of rx.events) {
      expect(validators.runEvent(e) ? [] : validators.runEvent.errors).toEqual([]);
      const facets = [
        ...Object.values(e.run.facets ?? {}),
        ...Object.values(e.job.facets ?? {}),
        ...[...e.inputs, ...e.outputs].flatMap((d: Event) => [...Object.values(d.facets ?? {}), ...Object.values(d.outputFacets ?? {})]),
      ] as Event[];
      for (const f of facets) {
        const validate = validators.facets.get(f._schemaURL as string);
        expect(validate ? 'known' : `unknown facet schema ${f._schemaURL}`).toBe('known');
        expect(validate!(f) ? [] : validate!.errors).toEqual([]);
        facetsChecked++;
      }
    }
    expect(facetsChecked).toBeGreaterThan(15);
  });

  it('delivers through an endpoint that refused the first attempts, each run START before its end', () => {
    expect(rx.refused).toBe(2);
    expect([...rx.paths]).toEqual(['POST /api/v1/lineage application/json']);
    const seen = new Map<string, string[]>();
    for (const e of rx.events) seen.set(e.run.runId, [...(seen.get(e.run.runId) ?? []), e.eventType]);
    expect([...seen.values()].map((types) => types[0])).toEqual(['START', 'START', 'START', 'START', 'START']);
    expect([...seen.values()].every((types) => types.length === 2 && types[1] !== 'START')).toBe(true);
    expect(new Set(rx.events.map((e) => e.job.namespace))).toEqual(new Set(['acme-mesh']));
  });

  it('an ingest names its port, counts its rows and nulls; a refused one is a FAIL with the reason', () => {
    const [start, complete, failStart, failed] = byJob('ingest.rides-driver-stats.hourly');
    expect(start.eventType).toBe('START');
    expect(complete.eventType).toBe('COMPLETE');
    const out = complete.outputs[0];
    expect(out.name).toBe('rides-driver-stats.hourly');
    expect(out.outputFacets.outputStatistics.rowCount).toBe(3);
    expect(out.facets.dataQualityMetrics.rowCount).toBe(3);
    expect(out.facets.dataQualityMetrics.columnMetrics.conv_rate).toEqual({ nullCount: 1, count: 2 });
    expect(out.facets.schema.fields.map((f: Event) => f.name)).toEqual(expect.arrayContaining(['driver_id', 'event_timestamp', 'conv_rate']));
    expect(out.facets.dataSource.uri).toMatch(/^postgresql:\/\/tessera\/\S+\.\S+$/);
    expect(failStart.eventType).toBe('START');
    expect(failed.eventType).toBe('FAIL');
    expect(failed.run.facets.errorMessage.message).toMatch(/driver_id/);
    expect(failed.outputs[0].outputFacets).toBeUndefined();
  });

  it('materialization reads the source port and writes the feature view; a training dataset reads the port', () => {
    const [, done] = byJob('materialization.driver_hourly_stats');
    expect(done.eventType).toBe('COMPLETE');
    expect(done.inputs.map((d: Event) => d.name)).toEqual(['rides-driver-stats.hourly']);
    expect(done.outputs[0].name).toBe('feature_views.driver_hourly_stats');
    expect(done.outputs[0].outputFacets.outputStatistics.rowCount).toBe(2);
    expect(done.job.facets.jobType).toMatchObject({ processingType: 'BATCH', integration: 'TESSERA', jobType: 'MATERIALIZATION' });
    const [, saved] = byJob('training_dataset.lineage_train');
    expect(saved.eventType).toBe('COMPLETE');
    expect(saved.inputs.map((d: Event) => d.name)).toEqual(['rides-driver-stats.hourly']);
    expect(saved.outputs[0]).toMatchObject({ name: 'training_datasets.lineage_train', outputFacets: { outputStatistics: { rowCount: 2 } } });
  });

  it('a stream batch is a STREAMING run that counts the rows it stored', () => {
    const [start, done] = byJob('stream.rides-driver-stats.hourly');
    expect([start.eventType, done.eventType]).toEqual(['START', 'COMPLETE']);
    expect(done.job.facets.jobType.processingType).toBe('STREAMING');
    expect(done.outputs[0]).toMatchObject({ name: 'rides-driver-stats.hourly', outputFacets: { outputStatistics: { rowCount: 1 } } });
  });

  it('the outbox is empty once delivered, and /metrics counts the retries', async () => {
    const { rows } = await t.dataSource.query<{ n: string }[]>('SELECT count(*)::text AS n FROM tessera.openlineage_outbox').then((r) => ({ rows: r }));
    expect(rows[0].n).toBe('0');
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/tessera_openlineage_events_total\{outcome="retried"\} 2/);
    expect(metrics).toMatch(/tessera_openlineage_events_total\{outcome="delivered"\} 10/);
  });
});

run(standardsAvailable() ? 'OpenLineage: a batch scoring job is one run' : standardsSkipNotice('OpenLineage batch scoring'), () => {
  it('reads the view sources, writes the predictions port, and reports no run per chunk', async () => {
    const rx = await receiver(0);
    const t = await startTestApp({
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      TESSERA_ONLINE_STORE: 'redis',
      TESSERA_REDIS_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
      OPENLINEAGE_URL: rx.url,
      TESSERA_BATCH_SCORING_CHUNK_ROWS: '2',
    });
    try {
      const { runEvent } = officialValidators();
      await setUpBatchScoring(t);
      const T = Date.UTC(2026, 10, 20, 12);
      await ingestDriverRows(
        t.app,
        [1, 2, 3, 4, 5].map((d) => ({ driver_id: d, event_timestamp: new Date(T - d * 60_000), conv_rate: d / 10, avg_daily_trips: d })),
      );
      const queued = await t.app.inject({ method: 'POST', url: '/v1/models/driver_score/batch-scoring', payload: { version: '1.0.0', as_of: new Date(T).toISOString() } });
      expect(queued.statusCode).toBe(202);
      const id = queued.json<{ job: { id: string } }>().job.id;
      const end = Date.now() + 60_000;
      let status = '';
      while (Date.now() < end && status !== 'succeeded' && status !== 'failed') {
        status = (await t.app.inject({ method: 'GET', url: `/v1/batch-scoring-jobs/${id}` })).json<{ job: { status: string } }>().job.status;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe('succeeded');
      await t.app.get(OpenLineageDelivery).flush();
      const done = await until('the batch scoring COMPLETE', () => rx.events.find((e) => e.job.name === 'batch_scoring.driver_score.1.0.0' && e.eventType === 'COMPLETE'));
      expect(runEvent(done) ? [] : runEvent.errors).toEqual([]);
      expect(done.inputs.map((d: Event) => d.name)).toEqual(['rides-driver-stats.hourly']);
      expect(done.outputs[0]).toMatchObject({ name: 'rides-driver-scores.predictions', outputFacets: { outputStatistics: { rowCount: 5 } } });
      expect(rx.events.filter((e) => e.job.name === 'push.rides-driver-scores.predictions')).toEqual([]);
    } finally {
      await t.app.get<OnlineStore>(ONLINE_STORE).deleteAll();
      await t.close();
      rx.server.close();
    }
  }, 120_000);
});

describe('OpenLineage off (no OPENLINEAGE_URL)', () => {
  it('records nothing', async () => {
    const t = await startTestApp({ REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', TESSERA_REDIS_PREFIX: `test:${randomBytes(6).toString('hex')}:` });
    try {
      expect((await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: servingMeshFiles(), dryRun: false } })).statusCode).toBe(200);
      await ingestDriverRows(t.app, [{ driver_id: 1, event_timestamp: new Date('2024-01-01T10:00:00Z'), conv_rate: 0.1 }]);
      await t.app.get(OpenLineageDelivery).flush();
      const rows = await t.dataSource.query<{ n: string }[]>('SELECT count(*)::text AS n FROM tessera.openlineage_outbox');
      expect(rows[0].n).toBe('0');
    } finally {
      await t.close();
    }
  });
});
