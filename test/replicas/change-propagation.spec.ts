import '../support/scoring-ort-realm';
import { goodModel } from '../fixtures/models/scoring-models';
import { modelDoc, scoringMeshFiles } from '../fixtures/models/scoring-mesh';
import { ADMIN_KEY, gqlAuth, startPredictApp, upload, writeCustomers } from '../fixtures/models/scoring-predict';
import { ServiceProcess, startServiceProcess, stopProcess } from '../support/local-processes';
import type { TestApp } from '../support/test-app';
import { call, deleteRedisPrefix, gql, hex, msUntil, percentile, queryDb, REDIS_URL, tempDataDir } from './replica-support';

/**
 * Three service processes (`node src/main.ts`) on one database and one Redis. For each kind of state
 * a replica caches, a change made through replica A is served by B and C within 1 s. Their caches
 * are warmed right before each change, their TTLs are a minute (TESSERA_AUTH_CACHE_MS,
 * TESSERA_DEPLOYMENT_CACHE_MS) and the periodic version check is off: only the change feed's
 * LISTEN/NOTIFY can make them see the change in time.
 */
const PROPAGATION_MS = 1000;
const HOUR = 3_600_000;

describe('replicas: a change committed through one replica is served by the others within 1 s', () => {
  const prefix = `t:replicas:${hex()}:`;
  let t: TestApp;
  let replicas: ServiceProcess[] = [];
  const delays: Record<string, number[]> = {};
  const keys: Record<string, { key: string; id: string }> = {};

  const createKey = async (principal: string, roles: { role: string; domain?: string }[]) => {
    const res = await gqlAuth<{ createApiKey: { key: string; apiKey: { id: string } } }>(
      t,
      `mutation($p: PrincipalInput!, $r: [RoleGrantInput!]) { createApiKey(principal: $p, roles: $r) { key apiKey { id } } }`,
      { p: { id: principal, kind: principal.split(':')[0] }, r: roles },
    );
    expect(res.errors).toBeUndefined();
    return { key: res.data!.createApiKey.key, id: res.data!.createApiKey.apiKey.id };
  };

  /**
   * Asserts the old state on B and C (which warms their caches), runs `change` through A, then
   * measures how long B and C take to show the new state; A itself must show it on the very next request.
   */
  async function propagates(kind: string, observe: (r: ServiceProcess) => Promise<boolean>, change: (a: ServiceProcess) => Promise<void>): Promise<void> {
    const [a, ...others] = replicas;
    for (const r of others) expect(await observe(r)).toBe(false);
    await change(a);
    const since = Date.now();
    expect(await observe(a)).toBe(true);
    const took = await Promise.all(others.map((r) => msUntil(() => observe(r), 3000, since)));
    (delays[kind] ??= []).push(...took.map((ms) => ms ?? Infinity));
    for (const ms of took) {
      expect(ms).not.toBeNull();
      expect(ms!).toBeLessThanOrEqual(PROPAGATION_MS);
    }
  }

  beforeAll(async () => {
    t = await startPredictApp('replicas', { TESSERA_REDIS_PREFIX: prefix });
    // Two hours old: PRESENT under the view's ttl of 1 day, OUTSIDE_MAX_AGE under 1 hour.
    await writeCustomers(
      t,
      [1, 2, 3].map((id) => ({ id, ageMs: 2 * HOUR, spend: id * 1.5, orders: id })),
    );
    await upload(t, modelDoc({ version: '1.0.0' }), goodModel(2, { seed: 1 }));
    await upload(t, modelDoc({ version: '2.0.0' }), goodModel(2, { seed: 2 }));
    expect((await gqlAuth(t, `mutation { deployModel(name: "customer_value", version: "1.0.0") { production } }`)).errors).toBeUndefined();
    keys.revoked = await createKey('service:revoked', [{ role: 'consumer' }]);
    keys.grantee = await createKey('person:grantee', [{ role: 'consumer' }]);
    keys.reader = await createKey('service:reader', [{ role: 'consumer' }]);
    keys.disconnected = await createKey('service:disconnected', [{ role: 'consumer' }]);
    keys.gina = await createKey('person:gina', [{ role: 'governance_member', domain: 'shop' }]);
    keys.pablo = await createKey('person:pablo', [{ role: 'governance_member', domain: 'payments' }]);
    keys.shopper = await createKey('person:shopper', [{ role: 'domain_member', domain: 'shop' }]);
    const env = {
      DATABASE_URL: t.db.url,
      REDIS_URL,
      TESSERA_ONLINE_STORE: 'redis',
      TESSERA_REDIS_PREFIX: prefix,
      TESSERA_ADMIN_KEY: ADMIN_KEY,
      TESSERA_PII_HMAC_SECRET: 'replicas-test-pii-secret-0123456789',
      TESSERA_AUTH_CACHE_MS: '60000',
      TESSERA_DEPLOYMENT_CACHE_MS: '60000',
      TESSERA_CHANGE_CHECK_MS: '0',
      TESSERA_POLICY_QUORUM: '1',
      // Long enough that the catch-up test's change surely commits while the listener is down.
      TESSERA_CHANGE_RECONNECT_MS: '1500',
      LOG_LEVEL: 'info',
    };
    replicas = await Promise.all([0, 1, 2].map(() => startServiceProcess({ ...env, TESSERA_DATA_DIR: tempDataDir() }, 180_000)));
  }, 300_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => stopProcess(r.proc)));
    const all = Object.entries(delays)
      .filter(([k]) => !k.startsWith('catch-up'))
      .flatMap(([, v]) => v);
    if (all.length > 0) {
      const lines = Object.entries(delays).map(([k, v]) => `${k}: ${v.join(', ')} ms`);
      console.log(`propagation delays to the other replicas (p50 ${percentile(all, 50)} ms, max ${Math.max(...all)} ms, n=${all.length}):\n${lines.join('\n')}`);
    }
    await t?.close();
    await deleteRedisPrefix(prefix);
  }, 60_000);

  it('feature view ttl shortened by an apply: OUTSIDE_MAX_AGE on the others', async () => {
    const outside = async (r: ServiceProcess) => {
      const res = await call(r, ADMIN_KEY, 'POST', '/get-online-features', { features: ['customer_daily:spend'], entities: { customer_id: [1, 2] } });
      if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
      const statuses = JSON.stringify(res.body);
      if (!statuses.includes('OUTSIDE_MAX_AGE') && !statuses.includes('PRESENT')) throw new Error(statuses);
      return statuses.includes('OUTSIDE_MAX_AGE');
    };
    await propagates('registry (feature view ttl)', outside, async (a) => {
      const files = scoringMeshFiles().map((f) => ({ ...f, content: f.content.replace('ttl: 1d', 'ttl: 1h') }));
      const res = await call(a, ADMIN_KEY, 'POST', '/v1/contracts/apply', { files, dryRun: false });
      expect([res.status, res.body.applied]).toEqual([200, true]);
    });
  });

  it('model deployment changed: predictions from the new version on the others', async () => {
    const onV2 = async (r: ServiceProcess) => {
      const res = await call(r, ADMIN_KEY, 'POST', '/v1/models/customer_value/predict', { entities: { customer_id: [1] } });
      if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
      return res.body.model.version === '2.0.0';
    };
    await propagates('models (deployment)', onV2, async (a) => {
      const res = await gql(a, ADMIN_KEY, `mutation { deployModel(name: "customer_value", version: "2.0.0") { production } }`);
      expect(res.errors).toBeUndefined();
    });
  });

  it('API key revoked: 401 on the others', async () => {
    const refused = async (r: ServiceProcess) => (await call(r, keys.revoked.key, 'GET', '/v1/models')).status === 401;
    await propagates('principals (key revoked)', refused, async (a) => {
      const res = await gql(a, ADMIN_KEY, `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: keys.revoked.id });
      expect(res.errors).toBeUndefined();
    });
  });

  it('role grant changed: authorization follows on the others', async () => {
    // /metrics is for admins only: a consumer gets 403, the same key with an admin grant 200.
    const allowed = async (r: ServiceProcess) => {
      const status = (await call(r, keys.grantee.key, 'GET', '/metrics')).status;
      if (status !== 200 && status !== 403) throw new Error(`unexpected ${status}`);
      return status === 200;
    };
    await propagates('principals (role grant)', allowed, async (a) => {
      const res = await gql(a, ADMIN_KEY, `mutation { setPrincipalRoles(principalId: "person:grantee", roles: [{ role: admin }]) { id } }`);
      expect(res.errors).toBeUndefined();
    });
  });

  it('access agreement revoked: 403 on the others', async () => {
    const [a] = replicas;
    const requested = await gql<{ requestAccess: { id: string } }>(a, keys.reader.key, `mutation($i: AccessRequestInput!) { requestAccess(input: $i) { id } }`, {
      i: { dataProduct: 'shop-customer-stats', outputPort: 'daily', purpose: 'replica propagation test', endDate: new Date(Date.now() + 30 * 86_400_000).toISOString() },
    });
    expect(requested.errors).toBeUndefined();
    const id = requested.data!.requestAccess.id;
    const read = (r: ServiceProcess) => call(r, keys.reader.key, 'POST', '/get-online-features', { features: ['customer_daily:spend'], entities: { customer_id: [1] } });
    // Approval propagates too: without it the others would keep answering 403 from their cache.
    await propagates(
      'agreements (approved)',
      async (r) => (await read(r)).status === 200,
      async (a2) => {
        expect((await gql(a2, ADMIN_KEY, `mutation { approveAccess(id: "${id}") { status } }`)).errors).toBeUndefined();
      },
    );
    await propagates(
      'agreements (revoked)',
      async (r) => {
        const res = await read(r);
        if (res.status !== 200 && res.status !== 403) throw new Error(`unexpected ${res.status}`);
        return res.status === 403 && res.body.error.code === 'ACCESS_AGREEMENT_REQUIRED';
      },
      async (a2) => {
        expect((await gql(a2, ADMIN_KEY, `mutation { revokeAccess(id: "${id}", reason: "test") { status } }`)).errors).toBeUndefined();
      },
    );
  });

  it('policy approved: enforced on apply by the others', async () => {
    const [a] = replicas;
    const policy = `
apiVersion: tessera/v1
kind: Policy
name: purpose-stated
title: Products state their purpose
category: documentation
severity: blocking
context: Consumers need to know what a product is for.
decision: Every data product states its purpose.
consequences: Owners describe their products.
rule: "product.description.purpose == '' ? ['description.purpose'] : []"
message: the product states no purpose
`;
    const proposed = await gql<{ proposePolicy: { id: string } }>(a, keys.gina.key, `mutation($d: String!) { proposePolicy(document: $d) { id } }`, { d: policy });
    expect(proposed.errors).toBeUndefined();
    const id = proposed.data!.proposePolicy.id;
    expect((await gql(a, keys.gina.key, `mutation { submitPolicyForReview(id: "${id}") { status } }`)).errors).toBeUndefined();
    // A renamed product without a purpose, tried (dry run) on each replica: refused once the policy is active.
    const files = scoringMeshFiles().map((f) => ({ ...f, content: f.content.replace('name: Customer stats', 'name: Customer statistics') }));
    const refused = async (r: ServiceProcess) => {
      const res = await call(r, ADMIN_KEY, 'POST', '/v1/contracts/apply', { files, dryRun: true });
      if (res.status === 200) return false;
      if (res.status !== 422) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
      return res.body.error.details.errors.some((e: { policy?: string }) => e.policy === 'purpose-stated@1');
    };
    await propagates('policies (approved)', refused, async (a2) => {
      const voted = await gql<{ votePolicy: { status: string } }>(a2, keys.pablo.key, `mutation { votePolicy(id: "${id}", vote: approve, comment: "yes") { status } }`);
      expect(voted.data?.votePolicy.status).toBe('active');
    });
  });

  it('product ownership moved by an apply through one replica: the others authorize by the new owner', async () => {
    const product = (domain: string) => `
apiVersion: v1.0.0
kind: DataProduct
id: shop-orders
name: Orders
domain: ${domain}
status: draft
outputPorts:
  - name: daily
    version: 1.0.0
    type: table
`;
    const apply = async (r: ServiceProcess, domain: string) => {
      const res = await call(r, ADMIN_KEY, 'POST', '/v1/contracts/apply', { files: [{ path: 'contracts/orders/shop-orders.odps.yaml', content: product(domain) }], dryRun: false });
      expect([res.status, res.body.applied, res.body.errors]).toEqual([200, true, []]);
    };
    await apply(replicas[0], 'payments');
    // A member of shop may not ingest into a product of payments (403); once it is shop's, the request gets past authorization.
    const ownedByShop = async (r: ServiceProcess) => {
      const res = await fetch(`${r.baseUrl}/v1/data-products/shop-orders/ports/daily/rows`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keys.shopper.key}`, 'content-type': 'application/x-ndjson' },
        body: '{"order_id":1}',
      });
      return res.status !== 403;
    };
    await propagates('products (ownership)', ownedByShop, (a) => apply(a, 'shop'));
  });

  it('a replica whose LISTEN connection was terminated catches up on a change made while it was down', async () => {
    const [a, , c] = replicas;
    const listenerOf = async (r: ServiceProcess) =>
      queryDb<{ pid: number }>(t.db.url, `SELECT pid FROM pg_stat_activity WHERE application_name LIKE $1 AND datname = current_database()`, [`tessera-changes ${r.proc.pid}-%`]);
    const before = await listenerOf(c);
    expect(before).toHaveLength(1);
    expect((await call(c, keys.disconnected.key, 'GET', '/v1/models')).status).toBe(200); // cached on C
    const [terminated] = await queryDb<{ ok: boolean }>(t.db.url, `SELECT pg_terminate_backend($1) AS ok`, [before[0].pid]);
    expect(terminated.ok).toBe(true);
    // C reconnects only after TESSERA_CHANGE_RECONNECT_MS (1.5 s): this revocation's NOTIFY never reaches it.
    const res = await gql(a, ADMIN_KEY, `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: keys.disconnected.id });
    expect(res.errors).toBeUndefined();
    expect(await listenerOf(c)).toHaveLength(0);
    const since = Date.now();
    const took = await msUntil(async () => (await call(c, keys.disconnected.key, 'GET', '/v1/models')).status === 401, 10_000, since);
    expect(took).not.toBeNull();
    delays['catch-up after a lost LISTEN connection (1.5 s reconnect delay)'] = [took!];
    expect(c.output()).toMatch(/caught up on principals \(version \d+ → \d+\)/);
    const after = await listenerOf(c);
    expect(after).toHaveLength(1);
    expect(after[0].pid).not.toBe(before[0].pid);
  });
});
