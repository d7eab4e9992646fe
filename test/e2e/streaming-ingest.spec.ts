import { randomBytes } from 'node:crypto';
import { DLQ_HEADERS } from '../../src/features/streaming/dead-letter';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { featureFiles } from '../fixtures/feature-mesh';
import { cleanUpNats, deadLetters, NATS_URL, natsClient, NatsTest, streamNames, streamSourceDoc, until } from '../support/nats-test';
import { startTestApp, TestApp } from '../support/test-app';

interface SourceState {
  running: boolean;
  paused: boolean;
  stored: number;
  deadLettered: number;
  lag: number | null;
  batches: number;
  lastError: string | null;
}

describe('stream sources over NATS JetStream', () => {
  let t: TestApp;
  let nats: NatsTest;
  const names = streamNames('readings');
  const minute = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m)).toISOString();
  const publish = async (body: unknown) => nats.js.publish(names.subject, typeof body === 'string' ? body : JSON.stringify(body));

  beforeAll(async () => {
    nats = await natsClient();
    t = await startTestApp({
      NATS_URL,
      TESSERA_STREAM_BATCH_WAIT_MS: '50',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      TESSERA_ONLINE_STORE: 'auto',
      TESSERA_REDIS_PREFIX: `test:${randomBytes(4).toString('hex')}:`,
    });
    const files = [...featureFiles(), { path: 'contracts/shop/stream.yaml', content: streamSourceDoc(names) }];
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files } });
    expect(res.statusCode).toBe(200);
    expect(res.json().changes).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'StreamSource', id: names.source, action: 'created' })]));
    // The consumer starts when the apply's change reaches the streaming service, just after the commit.
    await until('the source running', async () => (await state()).running);
  });
  afterAll(async () => {
    await t?.app.get<OnlineStore>(ONLINE_STORE).deleteAll();
    await t?.close();
    if (nats) await cleanUpNats(nats, names);
  });

  const state = async (): Promise<SourceState> => {
    const res = await t.gql<{ streamSources: (SourceState & { name: string })[] }>('{ streamSources { name running paused stored deadLettered lag batches lastError } }');
    expect(res.errors).toBeUndefined();
    return res.data!.streamSources.find((s) => s.name === names.source)!;
  };
  const offlineRows = async (): Promise<{ customer_id: string; spend: number; event_timestamp: Date }[]> => {
    const [table] = await t.dataSource.query(`SELECT schema_name, table_name FROM tessera.offline_tables WHERE product_id = 'shop-customer-stats'`);
    return t.dataSource.query(`SELECT customer_id, spend, event_timestamp FROM "${table.schema_name}"."${table.table_name}" ORDER BY customer_id, event_timestamp`);
  };
  const online = async (): Promise<{ values: unknown[]; statuses: string[] }[]> =>
    (await t.app.inject({ method: 'POST', url: '/get-online-features', payload: { features: ['customer_daily:spend'], entities: { customer_id: [1, 2, 3] } } })).json().results;

  it('creates the stream and consumes it: valid rows offline and online, bad ones dead-lettered with the reason', async () => {
    expect((await nats.jsm.streams.info(names.stream)).config.subjects).toEqual([names.subject]);
    const now = new Date(Date.now() - 60_000).toISOString();
    await publish({ customer_id: 1, event_timestamp: now, spend: 10 });
    await publish({ customer_id: 2, event_timestamp: now, spend: 20 });
    await publish({ customer_id: 2, event_timestamp: now, spend: 20 }); // the same row again: a duplicate, not an error
    await publish('{"customer_id": 3,'); // not JSON
    await publish({ customer_id: 3, event_timestamp: now, spend: 'lots' }); // the contract says number
    await publish({ customer_id: 3, event_timestamp: now, spend: 1, colour: 'red' }); // not in the contract
    const s = await until('all six messages handled', async () => {
      const x = await state();
      return x.stored + x.deadLettered === 6 && x;
    });
    expect(s).toMatchObject({ running: true, paused: false, stored: 3, deadLettered: 3, lastError: null });
    expect((await offlineRows()).map((r) => [r.customer_id, r.spend])).toEqual([
      ['1', 10],
      ['2', 20],
    ]);
    const served = await online();
    expect(served[1].values).toEqual([10, 20, null]);
    expect(served[1].statuses).toEqual(['PRESENT', 'PRESENT', 'NOT_FOUND']);

    const dead = await deadLetters(nats, names.source, 3);
    expect(dead).toHaveLength(3);
    const reasons = dead.map((m) => [m.headers?.has(DLQ_HEADERS.field) ? m.headers.get(DLQ_HEADERS.field) : null, m.headers?.get(DLQ_HEADERS.reason)]);
    expect(reasons[0]).toEqual([null, expect.stringMatching(/^message is not JSON/)]);
    expect(reasons[1]).toEqual(['spend', expect.stringMatching(/^spend: .*number/)]);
    expect(reasons[2]).toEqual(['colour', 'colour: unknown column: not a property of the contract']);
    expect(new TextDecoder().decode(dead[0].data)).toBe('{"customer_id": 3,');
    expect(dead.every((m) => m.headers?.get(DLQ_HEADERS.subject) === names.subject && Number(m.headers?.get(DLQ_HEADERS.sequence)) > 0)).toBe(true);
  });

  it('never moves an online value back in time, while the older row is still stored offline', async () => {
    await publish({ customer_id: 1, event_timestamp: minute(0), spend: 999 });
    await until('the late row stored', async () => (await state()).stored === 4);
    expect((await offlineRows()).filter((r) => r.customer_id === '1').map((r) => r.spend)).toEqual([999, 10]);
    expect((await online())[1].values[0]).toBe(10);
  });

  it('pauses (messages wait in the stream, lag grows) and resumes where it stopped', async () => {
    const paused = await t.gql<{ pauseStreamSource: SourceState }>('mutation($n: String!) { pauseStreamSource(name: $n) { paused } }', { n: names.source });
    expect(paused.data?.pauseStreamSource.paused).toBe(true);
    const now = new Date(Date.now() - 30_000).toISOString();
    await publish({ customer_id: 3, event_timestamp: now, spend: 33 });
    await until('the lag seen', async () => ((await state()).lag ?? 0) >= 1);
    expect((await state()).stored).toBe(4);
    expect((await online())[1].statuses[2]).toBe('NOT_FOUND');
    await t.gql('mutation($n: String!) { resumeStreamSource(name: $n) { paused } }', { n: names.source });
    await until('the waiting row stored', async () => (await state()).stored === 5);
    expect((await online())[1].values[2]).toBe(33);
    await until('the lag drained', async () => (await state()).lag === 0);
  });

  it('reports per-source metrics and refuses unknown sources by name', async () => {
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(`tessera_stream_messages_total{source="${names.source}",outcome="stored"} 5`);
    expect(metrics).toContain(`tessera_stream_messages_total{source="${names.source}",outcome="dead_lettered"} 3`);
    expect(metrics).toMatch(new RegExp(`tessera_stream_batch_messages_count\\{source="${names.source}"\\} [1-9]`));
    const res = await t.gql('mutation { pauseStreamSource(name: "nope") { paused } }');
    expect(res.errors?.[0]).toMatchObject({ message: 'stream source nope is not running', extensions: expect.objectContaining({ code: 'NOT_FOUND' }) });
  });

  it('refuses a StreamSource document with a bad subject, naming the field', async () => {
    const bad = streamSourceDoc({ ...names, subject: 'has space' });
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: [{ path: 'bad.yaml', content: bad }] } });
    expect(res.statusCode).toBe(422);
    expect(JSON.stringify(res.json())).toMatch(/subject.*must be a NATS subject/);
  });
});
