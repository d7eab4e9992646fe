import { tableFromIPC } from 'apache-arrow';
import { createHmac } from 'node:crypto';
import { ReadRouter } from '../../src/common/database/read-router';
import { until } from '../support/local-processes';
import { startReplicaPair, LocalReplicaPair } from '../support/local-replica';
import { dailyRows, hourlyRows, pitMeshFiles } from '../support/pit-mesh';
import { startTestApp, TestApp } from '../support/test-app';

const ARROW = 'application/vnd.apache.arrow.stream';
const SECRET = 'replica-pii-secret-0123456789abcdef';
const token = (v: string) => createHmac('sha256', SECRET).update(v, 'utf8').digest('hex');

/** The retrieval mesh with `city` classified as personal data: read without PII access, it is masked in SQL. */
const meshFiles = () =>
  pitMeshFiles().map((f) => (f.path.endsWith('hourly.odcs.yaml') ? { ...f, content: f.content.replace('{ name: city, logicalType: string }', '{ name: city, logicalType: string, classification: pii }') } : f));
const CATCH_UP_MS = 3000; // generous: replay on a loaded 2-core machine must not make the routing assertions flaky
const MAX_LAG_MS = 2000;

/**
 * DATABASE_READ_URL against a real streaming standby (ADR 0031): heavy reads (catalog search, dataset
 * exports, point-in-time retrieval) run on the replica once it has replayed what the primary had committed; a replica whose
 * replay is paused makes them wait (bounded), then skip it; a replica stopped sends them to the primary,
 * and /ready and /metrics say so while the service stays ready.
 */
describe('read replica (a real PostgreSQL 15 streaming standby)', () => {
  let pair: LocalReplicaPair;
  let t: TestApp;
  let router: ReadRouter;
  const entities = { driver_id: [1001, 1002, 1001], event_timestamp: ['2021-04-12T08:30:00Z', '2021-04-12T09:15:00Z', '2021-04-12T10:00:00Z'] };
  const features = ['driver_hourly:trips_today', 'driver_daily:rating'];
  /** The export as the replica answered it, to compare with the primary's answer once the replica is down. */
  let replicaPage: unknown;

  const search = async (text: string): Promise<string[]> => {
    const res = await t.gql<{ dataProducts: { edges: { node: { id: string } }[] } }>(`query($s: String) { dataProducts(search: $s, first: 100) { edges { node { id } } } }`, { s: text });
    expect(res.errors).toBeUndefined();
    return res.data!.dataProducts.edges.map((e) => e.node.id);
  };
  const metric = async (line: RegExp): Promise<number> => {
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const m = text.split('\n').find((l) => line.test(l));
    return m ? Number(m.split(' ').pop()) : 0;
  };
  const reads = (target: string, reason: string) => metric(new RegExp(`^tessera_postgres_heavy_reads_total\\{target="${target}",reason="${reason}"\\}`));
  const ready = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/ready' });
    return { status: res.statusCode, body: res.json<{ status: string; checks: Record<string, string> }>() };
  };
  /** A product written on the primary now (an apply), to be found by a search at once. */
  let applied = 0;
  const applyProduct = async (): Promise<string> => {
    const id = `replica-probe-${++applied}`;
    const doc = `apiVersion: v1.0.0\nkind: DataProduct\nid: ${id}\nname: Zebrafinch ${applied}\ndomain: rides\nstatus: active\n`;
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: [...meshFiles(), { path: `products/${id}.yaml`, content: doc }] } });
    expect(res.statusCode).toBe(200);
    return id;
  };

  beforeAll(async () => {
    pair = await startReplicaPair();
    t = await startTestApp(
      {
        TESSERA_REDIS_PREFIX: 't:read-replica:',
        DATABASE_READ_URL: pair.replicaUrl,
        DATABASE_READ_CATCH_UP_MS: String(CATCH_UP_MS),
        DATABASE_READ_MAX_LAG_MS: String(MAX_LAG_MS),
        // Probed by the test (and /ready) only, so each step sees exactly the state it set up.
        DATABASE_READ_PROBE_MS: '0',
        TESSERA_PII_HMAC_SECRET: SECRET,
      },
      { db: { name: 'tessera_replica_test', url: pair.primaryUrl, drop: () => Promise.resolve() } },
    );
    router = t.app.get(ReadRouter);
    expect((await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: meshFiles() } })).statusCode).toBe(200);
    for (const [port, rows] of [
      ['hourly', hourlyRows],
      ['daily', dailyRows],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/v1/data-products/pit-driver-stats/ports/${port}/rows`,
        headers: { 'content-type': 'application/x-ndjson' },
        payload: rows.map((r) => JSON.stringify(r)).join('\n'),
      });
      expect(res.json()).toMatchObject({ inserted: rows.length });
    }
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await pair?.stop();
  });

  it('routes to the replica, a hot standby reached as the non-superuser service role', async () => {
    const status = await router.probe();
    expect(status).toMatchObject({ configured: true, up: true, lagBytes: 0, lagSeconds: 0, replayPaused: false, problem: null });
    const route = await router.route();
    expect(route).toMatchObject({ target: 'replica', reason: 'replica' });
    const [who] = await route.dataSource.query<{ standby: boolean; role: string }[]>('SELECT pg_is_in_recovery() AS standby, current_user AS role');
    expect(who).toEqual({ standby: true, role: 'replica_service' });
    expect((await ready()).body.checks.databaseReplica).toBe('ok');
    expect(await metric(/^tessera_postgres_replica_up\{replica="127\.0\.0\.1:\d+"\} 1$/)).toBe(1);
  });

  it('a product just applied is found by a search on the replica (read-your-writes by waiting for replay)', async () => {
    const before = await reads('replica', 'replica');
    const id = await applyProduct();
    expect(await search('zebrafinch')).toContain(id);
    expect(await reads('replica', 'replica')).toBe(before + 1);
  });

  it('a dataset just saved exports from the replica, equal to the primary', async () => {
    const saved = await t.app.inject({ method: 'POST', url: '/v1/training-datasets', payload: { name: 'replica_train', features, entities } });
    expect(saved.statusCode).toBe(201);
    const before = await reads('replica', 'replica');
    const page = await t.app.inject({ method: 'GET', url: '/v1/training-datasets/replica_train/versions/1/rows' });
    expect(page.statusCode).toBe(200);
    const arrow = await t.app.inject({ method: 'GET', url: '/v1/training-datasets/replica_train/versions/1/rows', headers: { accept: ARROW } });
    expect(arrow.statusCode).toBe(200);
    expect(await reads('replica', 'replica')).toBe(before + 2);
    const onPrimary = await t.dataSource.query(`SELECT trips_today, rating FROM tessera_datasets."replica_train@1" ORDER BY 1, 2`);
    expect(onPrimary).toHaveLength(3);
    replicaPage = page.json();
    const columns = page.json<{ columns: Record<string, unknown[]> }>().columns;
    expect(columns.trips_today).toHaveLength(3);
    expect(columns.driver_id).toEqual(entities.driver_id);
  });

  it('point-in-time retrieval (JSON and Arrow) runs on the replica and equals the dataset computed on the primary', async () => {
    const before = await reads('replica', 'replica');
    const res = await t.app.inject({ method: 'POST', url: '/v1/historical-features', payload: { features, entities } });
    expect(res.statusCode).toBe(200);
    const arrow = await t.app.inject({ method: 'POST', url: '/v1/historical-features', headers: { accept: ARROW }, payload: { features, entities } });
    expect(arrow.statusCode).toBe(200);
    expect(arrow.headers['content-type']).toContain(ARROW);
    expect(await reads('replica', 'replica')).toBe(before + 2);
    // The saved dataset was computed on the primary with the temp-table path; the replica inlines the rows.
    const saved = (replicaPage as { columns: Record<string, unknown[]> }).columns;
    const { columns } = res.json<{ columns: Record<string, unknown[]> }>();
    for (const name of ['driver_id', 'trips_today', 'rating']) expect(columns[name]).toEqual(saved[name]);
    expect(columns.trips_today.some((v) => v !== null)).toBe(true);
    expect(tableFromIPC(arrow.rawPayload).numRows).toBe(entities.driver_id.length);
  });

  it('a retrieval with masked personal features stays on the primary (the HMAC pads need a temp table)', async () => {
    const key = async (name: string, roles: object[]) =>
      (
        await t.gql<{ createApiKey: { key: string } }>(`mutation($p: PrincipalInput!, $r: [RoleGrantInput!]) { createApiKey(principal: $p, roles: $r) { key } }`, {
          p: { id: `person:${name}`, kind: 'person' },
          r: roles,
        })
      ).data!.createApiKey.key;
    const dave = await key('dave', [{ role: 'consumer' }]);
    const rita = await key('rita', [{ role: 'domain_owner', domain: 'rides' }]);
    const asked = await t.as(dave).gql<{ requestAccess: { id: string } }>(`mutation($i: AccessRequestInput!) { requestAccess(input: $i) { id } }`, {
      i: { dataProduct: 'pit-driver-stats', outputPort: 'hourly', purpose: 'replica test', endDate: new Date(Date.now() + 86_400_000).toISOString(), piiAccess: false },
    });
    expect(asked.errors).toBeUndefined();
    expect((await t.as(rita).gql(`mutation { approveAccess(id: "${asked.data!.requestAccess.id}") { status } }`)).errors).toBeUndefined();

    const payload = { features: ['driver_hourly:city'], entities };
    const [replicaBefore, primaryBefore] = [await reads('replica', 'replica'), await reads('primary', 'catch_up_timeout')];
    const masked = await t.as(dave).inject({ method: 'POST', url: '/v1/historical-features', payload });
    expect(masked.statusCode).toBe(200);
    const city = masked.json<{ columns: { city: (string | null)[] } }>().columns.city;
    expect([city[0], city[2]]).toEqual([token('paris'), token('lyon')]);
    // Not routed at all: neither the replica nor a fallback counted it.
    expect([await reads('replica', 'replica'), await reads('primary', 'catch_up_timeout')]).toEqual([replicaBefore, primaryBefore]);
    // The same read in clear (the admin) is a heavy read on the replica.
    const clear = await t.app.inject({ method: 'POST', url: '/v1/historical-features', payload });
    expect(clear.json<{ columns: { city: (string | null)[] } }>().columns.city.filter((_, i) => i !== 1)).toEqual(['paris', 'lyon']);
    expect(await reads('replica', 'replica')).toBe(replicaBefore + 1);
  });

  it('replay paused: a read waits for the replica at most DATABASE_READ_CATCH_UP_MS, then runs on the primary and still sees the write', async () => {
    await pair.pauseReplay();
    try {
      const id = await applyProduct();
      const before = await reads('primary', 'catch_up_timeout');
      const started = Date.now();
      expect(await search('zebrafinch')).toContain(id);
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(CATCH_UP_MS);
      expect(waited).toBeLessThan(CATCH_UP_MS + 5000);
      expect(await reads('primary', 'catch_up_timeout')).toBe(before + 1);
      // The replica itself does not have it yet: the fallback was needed.
      expect(await pair.admin('replica', 'SELECT 1 FROM tessera.data_products WHERE id = $1', [id])).toEqual([]);

      // Lag in bytes at once, in seconds as it grows; past the bound, reads skip the replica without waiting.
      const first = await router.probe();
      expect(first).toMatchObject({ up: true, replayPaused: true });
      expect(first.lagBytes).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, MAX_LAG_MS + 300));
      const lagging = await router.probe();
      expect(lagging.lagSeconds).toBeGreaterThan(MAX_LAG_MS / 1000);
      expect(lagging.problem).toMatch(/^lagging: .* s behind \(bound 2000 ms\), replay paused$/);
      expect(await metric(/^tessera_postgres_replica_lag_seconds\{/)).toBeGreaterThan(MAX_LAG_MS / 1000);
      expect(await metric(/^tessera_postgres_replica_lag_bytes\{/)).toBeGreaterThan(0);
      const r = await ready();
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('ready');
      expect(r.body.checks.databaseReplica).toMatch(/^degraded: lagging: .*; heavy reads go to the primary$/);
      const quick = Date.now();
      expect(await router.route()).toMatchObject({ target: 'primary', reason: 'replica_lagging' });
      expect(Date.now() - quick).toBeLessThan(CATCH_UP_MS);
    } finally {
      await pair.resumeReplay();
    }
    const caughtUp = await router.probe();
    expect(caughtUp).toMatchObject({ up: true, lagBytes: 0, lagSeconds: 0, replayPaused: false, problem: null });
    expect((await router.route()).target).toBe('replica');
  }, 60_000);

  it('replica stopped: reads fall back to the primary, /ready stays ready with a degraded detail, metrics say down; back when it returns', async () => {
    await pair.stopReplica();
    try {
      const id = await applyProduct();
      // The first read finds out (the last probe still said up), and is answered from the primary.
      const before = (await reads('primary', 'replica_down')) + (await reads('primary', 'replica_error'));
      expect(await search('zebrafinch')).toContain(id);
      expect((await reads('primary', 'replica_down')) + (await reads('primary', 'replica_error'))).toBe(before + 1);
      expect(router.status()).toMatchObject({ up: false });
      const exported = await t.app.inject({ method: 'GET', url: '/v1/training-datasets/replica_train/versions/1/rows' });
      expect(exported.statusCode).toBe(200);
      expect(exported.json()).toEqual(replicaPage);
      const r = await ready();
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('ready');
      expect(r.body.checks.database).toBe('ok');
      expect(r.body.checks.databaseReplica).toMatch(/^degraded: unavailable: .*; heavy reads go to the primary$/);
      expect(await metric(/^tessera_postgres_replica_up\{/)).toBe(0);
    } finally {
      await pair.startReplica();
    }
    expect(await router.probe()).toMatchObject({ up: true, problem: null });
    expect((await router.route()).target).toBe('replica');
    expect((await ready()).body.checks.databaseReplica).toBe('ok');
  }, 60_000);

  it('replica frozen (connections open, nothing answers): the probe and /ready answer within their bound, reads go to the primary', async () => {
    await router.probe();
    pair.freezeReplica();
    try {
      const started = Date.now();
      const status = await router.probe();
      expect(Date.now() - started).toBeLessThan(4000);
      expect(status).toMatchObject({ up: false, problem: expect.stringMatching(/^unavailable: read replica probe: no answer in 2000 ms$/) as unknown });
      const id = await applyProduct();
      const quick = Date.now();
      expect(await search('zebrafinch')).toContain(id);
      expect(Date.now() - quick).toBeLessThan(CATCH_UP_MS);
      const r = await ready();
      expect(r.status).toBe(200);
      expect(r.body.checks.databaseReplica).toMatch(/^degraded: unavailable: .*no answer.*; heavy reads go to the primary$/);
    } finally {
      pair.thawReplica();
    }
    await until('the replica to answer again', async () => (await router.probe()).up);
    expect((await router.route()).target).toBe('replica');
  }, 60_000);
});

describe('read routing without DATABASE_READ_URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TESSERA_REDIS_PREFIX: 't:read-replica-none:' });
  });
  afterAll(() => t.close());

  it('every heavy read goes to the primary, and /ready lists no replica', async () => {
    const router = t.app.get(ReadRouter);
    expect(router.configured).toBe(false);
    expect(await router.route()).toMatchObject({ target: 'primary', reason: 'no_replica' });
    const res = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(Object.keys(res.json<{ checks: object }>().checks)).toEqual(['database', 'onlineStore']);
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).not.toMatch(/^tessera_postgres_replica_up\{/m);
    expect(metrics).toMatch(/^tessera_postgres_heavy_reads_total\{target="primary",reason="no_replica"\} [1-9]/m);
  });
});
