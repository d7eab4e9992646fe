import { createServer, Server, Socket } from 'node:net';
import { hourlyView, ingestDriverRows, servingMeshFiles } from '../fixtures/serving-mesh';
import { startTestApp, TestApp } from '../support/test-app';

/** A port nothing listens on: bound then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const timed = async <T>(op: () => Promise<T>): Promise<{ result: T; ms: number }> => {
  const start = Date.now();
  const result = await op();
  return { result, ms: Date.now() - start };
};

describe.each([
  ['refuses connections (nothing listens)', 'closed'],
  ['accepts connections but never answers', 'silent'],
] as const)('online store on a Redis that %s', (_what, mode) => {
  let t: TestApp;
  let silent: Server | undefined;
  const sockets: Socket[] = [];
  let startupMs = 0;
  let baselineMs = 0;

  beforeAll(async () => {
    let port: number;
    if (mode === 'silent') {
      silent = createServer((s) => sockets.push(s)); // reads nothing, writes nothing
      await new Promise<void>((r) => silent!.listen(0, '127.0.0.1', r));
      port = (silent.address() as { port: number }).port;
    } else {
      port = await closedPort();
    }
    // The same start-up without Redis, just before: on a loaded machine a fresh database alone can take
    // seconds, so the Redis wait is judged against it rather than against a fixed time.
    const baseline = await timed(() => startTestApp({ TESSERA_ONLINE_STORE: 'postgres' }));
    baselineMs = baseline.ms;
    await baseline.result.close();
    ({ result: t, ms: startupMs } = await timed(() => startTestApp({ REDIS_URL: `redis://127.0.0.1:${port}` })));
    const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: servingMeshFiles(hourlyView()), dryRun: false } });
    expect(applied.statusCode).toBe(200);
    await ingestDriverRows(t.app, [{ driver_id: 1, event_timestamp: new Date(Date.now() - 60_000), conv_rate: 0.5 }]);
  });
  afterAll(async () => {
    await t?.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => (silent ? silent.close(() => r()) : r()));
  });

  it('still starts, without waiting long for Redis', () => {
    // The Redis wait is bounded at 1.5 s; the margin absorbs a loaded machine, not a connect timeout (10 s+).
    expect(startupMs - baselineMs).toBeLessThan(5_000);
  });

  it('is not ready, saying the online store is unavailable', async () => {
    const { result: res, ms } = await timed(() => t.app.inject({ method: 'GET', url: '/ready' }));
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'not ready', checks: { database: 'ok', onlineStore: 'unavailable: online store (redis) unavailable: not connected' } });
    expect(ms).toBeLessThan(3000);
  });

  it('answers online reads with 503 ONLINE_STORE_UNAVAILABLE within a bounded time', async () => {
    const { result: res, ms } = await timed(() => t.app.inject({ method: 'POST', url: '/get-online-features', payload: { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] } } }));
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toEqual({ code: 'ONLINE_STORE_UNAVAILABLE', message: 'online store (redis) unavailable: not connected' });
    expect(ms).toBeLessThan(3000);
    const gql = await t.gql(`{ onlineFeatures(features: ["driver_hourly_stats:conv_rate"], entities: {driver_id: [1]}) { metadata { featureNames } } }`);
    expect(gql.errors?.[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', tesseraCode: 'ONLINE_STORE_UNAVAILABLE' });
  });

  it('fails a materialization with 503 and records the failed job', async () => {
    const { result: res, ms } = await timed(() => t.app.inject({ method: 'POST', url: '/materialize-incremental', payload: { end_ts: new Date().toISOString(), feature_views: ['driver_hourly_stats'] } }));
    expect(res.statusCode).toBe(503);
    const error = res.json().error;
    expect(error.code).toBe('ONLINE_STORE_UNAVAILABLE');
    expect(error.details.job).toMatchObject({ status: 'failed', featureViews: ['driver_hourly_stats'], rowsWritten: 0 });
    expect(ms).toBeLessThan(5000);
    const [row] = await t.dataSource.query(`SELECT status, error FROM tessera.materialization_jobs WHERE id = $1`, [error.details.job.id]);
    expect(row).toEqual({ status: 'failed', error: expect.stringMatching(/online store \(redis\) unavailable/) });
  });
});

describe('online store on a Redis that stops answering after connecting', () => {
  let t: TestApp;
  let proxy: Server;
  let frozen = false;
  const pairs: Socket[] = [];

  beforeAll(async () => {
    // A TCP proxy to the real Redis that can stop forwarding: a hung server, seen from the client.
    const upstream = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    proxy = createServer((client) => {
      const server = new Socket();
      server.connect(Number(upstream.port || 6379), upstream.hostname);
      pairs.push(client, server);
      client.on('data', (d) => void (frozen || server.write(d)));
      server.on('data', (d) => void (frozen || client.write(d)));
      client.on('error', () => server.destroy());
      server.on('error', () => client.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    t = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${(proxy.address() as { port: number }).port}`, TESSERA_REDIS_PREFIX: `test:hung-${process.pid}:` });
    const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: servingMeshFiles(hourlyView()), dryRun: false } });
    expect(applied.statusCode).toBe(200);
  });
  afterAll(async () => {
    frozen = false;
    await t?.close();
    for (const s of pairs) s.destroy();
    await new Promise<void>((r) => proxy.close(() => r()));
  });

  it('is ready while Redis answers, then answers 503 after the command timeout instead of hanging', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    const read = () => t.app.inject({ method: 'POST', url: '/get-online-features', payload: { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] } } });
    expect((await read()).statusCode).toBe(200);
    frozen = true;
    const { result: res, ms } = await timed(read);
    expect(res.statusCode).toBe(503);
    expect(res.json().error.message).toBe('online store (redis) unavailable: no answer within 2000 ms');
    expect(ms).toBeGreaterThanOrEqual(1900);
    expect(ms).toBeLessThan(4000);
  });
});
