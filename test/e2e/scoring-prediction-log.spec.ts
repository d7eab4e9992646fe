import '../support/scoring-ort-realm';
import { randomUUID } from 'node:crypto';
import { tableFromIPC } from 'apache-arrow';
import { PREDICTION_LOG_SINK, PredictionLogEntry, PredictionLogSink } from '../../src/scoring/prediction-log/prediction-log-entry';
import { PredictionLogRepository } from '../../src/scoring/prediction-log/prediction-log.repository';
import { PredictionLogWriter } from '../../src/scoring/prediction-log/prediction-log.writer';
import { goodModel } from '../fixtures/models/scoring-models';
import { modelDoc, recordOfflineTable, scoringMeshFiles } from '../fixtures/models/scoring-mesh';
import { uploadModel } from '../fixtures/models/scoring-upload';
import { startTestApp, TestApp } from '../support/test-app';

const T0 = Date.parse('2026-11-28T10:00:00.000Z');
const ADMIN_KEY = 'prediction-log-admin';
const auth = { authorization: `Bearer ${ADMIN_KEY}` };

function entry(i: number, over: Partial<PredictionLogEntry> = {}): PredictionLogEntry {
  return {
    requestId: `req-${i}`,
    model: 'customer_value',
    version: '1.0.0',
    role: 'production',
    entity: { customer_id: 1000 + i },
    features: { 'customer_daily:spend': 10.5 + i, 'customer_daily:orders': i % 4 },
    statuses: { 'customer_daily:spend': 'PRESENT', 'customer_daily:orders': i % 2 ? 'PRESENT' : 'IMPUTED' },
    outputs: { probability: 0.25 + i / 100, scores: [i, -i / 2] },
    latencyMs: 1.5 + i / 10,
    at: new Date(T0 + i * 60_000),
    ...over,
  };
}

interface GqlEntry {
  requestId: string;
  version: string;
  role: string;
  entity: Record<string, unknown>;
  features: Record<string, number>;
  statuses: Record<string, string>;
  outputs: Record<string, unknown>;
  rejected: string | null;
  latencyMs: number;
  at: string;
}
const FIELDS = 'requestId version role entity features statuses outputs rejected latencyMs at';

async function count(t: TestApp, version: string): Promise<number> {
  const [row] = await t.dataSource.query(`SELECT count(*)::int AS n FROM tessera.prediction_log WHERE model = 'customer_value' AND version = $1`, [version]);
  return row.n;
}

describe('prediction log', () => {
  let t: TestApp;
  let sink: PredictionLogSink;
  let writer: PredictionLogWriter;
  beforeAll(async () => {
    t = await startTestApp({ TESSERA_ADMIN_KEY: ADMIN_KEY });
    expect((await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', headers: auth, payload: { files: scoringMeshFiles() } })).statusCode).toBe(200);
    await recordOfflineTable(t.dataSource);
    expect((await uploadModel(t, modelDoc(), goodModel(2), {}, auth)).status).toBe(201);
    // A version whose document asks for no logging at all (no per-model setting overrides it).
    expect((await uploadModel(t, modelDoc({ version: '2.0.0', predictionLog: { sampleRate: 0 } }), goodModel(2, { seed: 2 }), {}, auth)).status).toBe(201);
    sink = t.app.get(PREDICTION_LOG_SINK);
    writer = t.app.get(PredictionLogWriter);
  });
  afterAll(() => t.close());

  it('is the provider bound to PREDICTION_LOG_SINK', () => {
    expect(sink).toBe(writer);
  });

  it('writes recorded entries in the background and serves them over GraphQL', async () => {
    const entries = [entry(1), entry(2, { role: 'canary', version: '1.1.0' }), entry(3, { rejected: 'customer_daily:spend is NOT_FOUND', outputs: {} })];
    sink.record(entries);
    // No explicit flush: the timer (1 s by default) writes them.
    const deadline = Date.now() + 5_000;
    while ((await count(t, '1.0.0')) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await count(t, '1.0.0')).toBe(2);

    const r = await t.gql<{ predictionLog: GqlEntry[] }>(`{ predictionLog(model: "customer_value", limit: 10) { ${FIELDS} } }`, {}, auth);
    expect(r.errors).toBeUndefined();
    expect(r.data!.predictionLog.map((e) => e.requestId)).toEqual(['req-3', 'req-2', 'req-1']); // newest first
    expect(r.data!.predictionLog[2]).toEqual({
      requestId: 'req-1',
      version: '1.0.0',
      role: 'production',
      entity: { customer_id: 1001 },
      features: { 'customer_daily:spend': 11.5, 'customer_daily:orders': 1 },
      statuses: { 'customer_daily:spend': 'PRESENT', 'customer_daily:orders': 'PRESENT' },
      outputs: { probability: 0.26, scores: [1, -0.5] },
      rejected: null,
      latencyMs: 1.6,
      at: '2026-11-28T10:01:00.000Z',
    });
    expect(r.data!.predictionLog[0]).toMatchObject({ rejected: 'customer_daily:spend is NOT_FOUND', outputs: {} });

    const filtered = await t.gql<{ predictionLog: GqlEntry[] }>(
      `{ byVersion: predictionLog(model: "customer_value", version: "1.1.0") { requestId role }
         byRange: predictionLog(model: "customer_value", since: "2026-11-28T10:02:00Z", until: "2026-11-28T10:03:00Z") { requestId }
         byRole: predictionLog(model: "customer_value", role: production, order: asc, limit: 1) { requestId } }`,
      {},
      auth,
    );
    expect(filtered.data).toEqual({ byVersion: [{ requestId: 'req-2', role: 'canary' }], byRange: [{ requestId: 'req-2' }], byRole: [{ requestId: 'req-1' }] });
  });

  it('exports as a typed Arrow IPC stream that decodes to the same values as JSON', async () => {
    const json = await t.app.inject({ method: 'GET', url: '/v1/models/customer_value/prediction-log?order=asc&until=2026-11-28T11:00:00Z', headers: auth });
    expect(json.statusCode).toBe(200);
    const entries = json.json().entries as (GqlEntry & { model: string })[];
    expect(entries.map((e) => e.requestId)).toEqual(['req-1', 'req-2', 'req-3']);

    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/models/customer_value/prediction-log?order=asc&until=2026-11-28T11:00:00Z',
      headers: { ...auth, accept: 'application/vnd.apache.arrow.stream' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(res.rawPayload);
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toEqual({
      request_id: 'Utf8',
      model: 'Utf8',
      version: 'Utf8',
      role: 'Utf8',
      at: 'Timestamp<MICROSECOND, UTC>',
      latency_ms: 'Float64',
      rejected: 'Utf8',
      'entity.customer_id': 'Int64',
      'feature.customer_daily:orders': 'Float64',
      'feature.customer_daily:spend': 'Float64',
      'output.probability': 'Float64',
      'output.scores': 'List<Float64>',
      'status.customer_daily:orders': 'Utf8',
      'status.customer_daily:spend': 'Utf8',
    });
    expect(table.numRows).toBe(3);
    const vectors = (name: string) => table.getChild(name)!;
    // get(i), not toArray(): typed arrays of numeric columns have no nulls
    const col = (name: string) => ({ length: table.numRows, ...Object.fromEntries(Array.from({ length: table.numRows }, (_, i) => [i, vectors(name).get(i)])) }) as ArrayLike<unknown>;
    entries.forEach((e, i) => {
      expect(col('request_id')[i]).toBe(e.requestId);
      expect(col('version')[i]).toBe(e.version);
      expect(col('role')[i]).toBe(e.role);
      expect(col('at')[i]).toBe(Date.parse(e.at)); // arrow-js reads timestamps as epoch ms
      expect(col('latency_ms')[i]).toBe(e.latencyMs);
      expect(col('rejected')[i]).toBe(e.rejected ?? null);
      expect(col('entity.customer_id')[i]).toBe(BigInt(e.entity.customer_id as number));
      for (const f of ['customer_daily:spend', 'customer_daily:orders']) {
        expect(col(`feature.${f}`)[i]).toBe(e.features[f]);
        expect(col(`status.${f}`)[i]).toBe(e.statuses[f]);
      }
      expect(col('output.probability')[i]).toBe(e.outputs.probability ?? null);
      const scores = table.getChild('output.scores')!.get(i);
      expect(scores === null ? null : Array.from(scores.toArray() as Float64Array)).toEqual(e.outputs.scores ?? null);
    });

    const viaParam = await t.app.inject({ method: 'GET', url: '/v1/models/customer_value/prediction-log?format=arrow&limit=2', headers: auth });
    expect(tableFromIPC(viaParam.rawPayload).numRows).toBe(2);
  });

  it('answers typed errors for unknown models and bad parameters', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: '/v1/models/ghost/prediction-log', headers: auth });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('MODEL_NOT_FOUND');
    const limit = await t.app.inject({ method: 'GET', url: '/v1/models/customer_value/prediction-log?limit=20000', headers: auth });
    expect(limit.statusCode).toBe(400);
    expect(limit.json().error.details).toEqual([{ field: 'limit', reason: 'must be between 1 and 10000' }]);
    const since = await t.app.inject({ method: 'GET', url: '/v1/models/customer_value/prediction-log?since=yesterday', headers: auth });
    expect(since.statusCode).toBe(400);
    expect(since.json().error.details[0].field).toBe('since');
    const rate = await t.gql(`mutation { setPredictionLogSampleRate(model: "customer_value", sampleRate: 1.5) { sampleRate } }`, {}, auth);
    expect(rate.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });

  describe('sampling per model', () => {
    const requests = (n: number, version: string, rows = 1): PredictionLogEntry[] =>
      Array.from({ length: n }, () => randomUUID()).flatMap((id, i) => Array.from({ length: rows }, (_, r) => entry(i, { requestId: id, version, entity: { customer_id: r } })));
    const setRate = (rate: number | null) =>
      t.gql<{ setPredictionLogSampleRate: { sampleRate: number | null; updatedBy: string | null } }>(
        `mutation($r: Float) { setPredictionLogSampleRate(model: "customer_value", sampleRate: $r) { sampleRate updatedBy } }`,
        { r: rate },
        auth,
      );

    it('rate 0 logs nothing, rate 1 everything', async () => {
      expect((await setRate(0)).data!.setPredictionLogSampleRate).toEqual({ sampleRate: 0, updatedBy: 'admin' });
      const before = writer.stats().sampledOut;
      sink.record(requests(300, 's0'));
      await writer.flush();
      expect(await count(t, 's0')).toBe(0);
      expect(writer.stats().sampledOut - before).toBe(300);

      await setRate(1);
      sink.record(requests(300, 's1'));
      await writer.flush();
      expect(await count(t, 's1')).toBe(300);
    });

    it('rate 0.5 keeps about half of the requests, all rows of a request together', async () => {
      await setRate(0.5);
      sink.record(requests(2000, 's05', 3));
      await writer.flush();
      const kept = (await count(t, 's05')) / 3;
      // Binomial(2000, 0.5): sd ≈ 22; ±150 is ~6.7 sd.
      expect(kept).toBeGreaterThan(850);
      expect(kept).toBeLessThan(1150);
      const perRequest: { n: number }[] = await t.dataSource.query(`SELECT count(*)::int AS n FROM tessera.prediction_log WHERE version = 's05' GROUP BY request_id`);
      expect(new Set(perRequest.map((r) => r.n))).toEqual(new Set([3]));
    });

    it("without a setting, a version uses its document's predictionLog.sampleRate, else 1", async () => {
      expect((await setRate(null)).data!.setPredictionLogSampleRate.sampleRate).toBeNull();
      sink.record([...requests(50, '2.0.0'), ...requests(50, '1.0.0')]);
      await writer.flush();
      expect(await count(t, '2.0.0')).toBe(0);
      expect(await count(t, '1.0.0')).toBe(2 + 50);
      const q = await t.gql<{ predictionLogSampleRate: { sampleRate: number | null } }>(`{ predictionLogSampleRate(model: "customer_value") { sampleRate } }`, {}, auth);
      expect(q.data!.predictionLogSampleRate.sampleRate).toBeNull();
    });
  });

  describe('writer bounds', () => {
    const options = { maxBuffered: 10, flushIntervalMs: 3_600_000, batchSize: 4, rateCacheMs: 60_000 };

    it('drops and counts when the buffer is full, never blocks, and writes the rest on close', async () => {
      const w = new PredictionLogWriter(t.app.get(PredictionLogRepository), { ...options, batchSize: 1000 });
      const started = performance.now();
      w.record(Array.from({ length: 25 }, (_, i) => entry(i, { version: 'bound' })));
      expect(performance.now() - started).toBeLessThan(50);
      expect(w.stats()).toMatchObject({ buffered: 10, dropped: 15, written: 0 });
      await w.close();
      expect(w.stats()).toMatchObject({ buffered: 0, written: 10, dropped: 15, failed: 0 });
      expect(await count(t, 'bound')).toBe(10);
      w.record([entry(99, { version: 'bound' })]); // after close: counted, not kept
      expect(w.stats()).toMatchObject({ buffered: 0, dropped: 16 });
    });

    it('flushes in batches of batchSize as soon as a batch is ready', async () => {
      const w = new PredictionLogWriter(t.app.get(PredictionLogRepository), options);
      w.record(Array.from({ length: 9 }, (_, i) => entry(i, { version: 'batch' })));
      const deadline = Date.now() + 5_000;
      while (w.stats().written < 9 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(w.stats()).toMatchObject({ written: 9, buffered: 0, flushes: 3 });
      await w.close();
    });
  });

  it('flushes what is buffered when the application closes (graceful shutdown)', async () => {
    const other = await startTestApp({ TESSERA_PREDICTION_LOG_FLUSH_MS: '3600000' }); // only the shutdown can write them
    try {
      other.app.get<PredictionLogSink>(PREDICTION_LOG_SINK).record(Array.from({ length: 7 }, (_, i) => entry(i, { model: 'unregistered', version: 'close' })));
      const [before] = await other.dataSource.query(`SELECT count(*)::int AS n FROM tessera.prediction_log`);
      expect(before.n).toBe(0);
      await other.app.close();
      const [after] = await other.dataSource.query(`SELECT count(*)::int AS n FROM tessera.prediction_log WHERE version = 'close'`);
      expect(after.n).toBe(7);
    } finally {
      await other.dataSource.destroy();
      await other.db.drop();
    }
  });
});
