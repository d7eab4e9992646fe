import Fastify, { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readContractDirectory } from '../../src/catalog/apply/read-contract-directory';
import { openDatabase } from '../../src/database';
import { TesseraConfig } from '../../src/config/tessera-config';
import { createApp } from '../../src/create-app';
import { startTestApp, TestApp } from '../support/test-app';

const ROW = { driver_id: 1001, event_timestamp: '2026-11-28T10:00:00.000Z', created: '2026-11-28T10:01:00.000Z', conv_rate: 0.58, acc_rate: 0.8, avg_daily_trips: 16 };
const file = (path: string) => ({ path, content: readFileSync(path, 'utf8') });

type Created = { createApiKey: { key: string; apiKey: { id: string; prefix: string }; principal: { id: string; roles: { role: string; domain: string | null }[] } } };

async function createKey(t: TestApp, id: string, roles: { role: string; domain?: string }[]): Promise<Created['createApiKey']> {
  const res = await t.gql<Created>(
    `mutation($p: PrincipalInput!, $r: [RoleGrantInput!]) { createApiKey(principal: $p, roles: $r, name: "test") { key apiKey { id prefix } principal { id roles { role domain } } } }`,
    { p: { id, kind: id.split(':')[0] }, r: roles },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.createApiKey;
}

describe('authentication: API keys, roles, domain scoping, OIDC', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TESSERA_REDIS_PREFIX: 't:auth-keys:' });
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: readContractDirectory('contracts') } });
    expect(res.statusCode).toBe(200);
  });
  afterAll(() => t.close());

  it('refuses every route without a key, with a wrong key, and leaves /health and /ready open', async () => {
    const anon = t.as(null);
    for (const [method, url] of [
      ['POST', '/graphql'],
      ['POST', '/v1/contracts/apply'],
      ['POST', '/get-online-features'],
      ['GET', '/v1/models'],
      ['POST', '/v1/data-products/rides-driver-stats/ports/hourly/rows'],
    ] as const) {
      const none = await anon.inject({ method, url, payload: method === 'POST' ? {} : undefined });
      expect([url, none.statusCode, none.json()]).toEqual([url, 401, { error: { code: 'UNAUTHENTICATED', message: 'missing Authorization: Bearer <api key>' } }]);
      const wrong = await t.as('tsk_not-a-key-at-all-0000000000').inject({ method, url, payload: method === 'POST' ? {} : undefined });
      expect([url, wrong.statusCode, wrong.json().error.message]).toEqual([url, 401, 'invalid API key']);
    }
    const basic = await anon.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
    expect(basic.statusCode).toBe(401);
    expect((await anon.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await anon.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
  });

  it('issues a key once, stores only its digest and a display prefix, and lists keys without secrets', async () => {
    const created = await createKey(t, 'person:alice', [{ role: 'domain_member', domain: 'rides' }]);
    expect(created.key).toMatch(/^tsk_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(created.apiKey.prefix)).toBe(true);
    expect(created.principal).toEqual({ id: 'person:alice', roles: [{ role: 'domain_member', domain: 'rides' }] });
    const stored = await t.dataSource.query(`SELECT key_sha256, prefix FROM tessera.api_keys WHERE id = $1`, [created.apiKey.id]);
    expect(stored[0].key_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(created.key);
    const listed = await t.gql<{ apiKeys: Record<string, unknown>[] }>(`{ apiKeys(principalId: "person:alice") { id prefix principalId revokedAt } }`);
    expect(listed.data!.apiKeys).toEqual([{ id: created.apiKey.id, prefix: created.apiKey.prefix, principalId: 'person:alice', revokedAt: null }]);
    const noSecret = await t.gql(`{ apiKeys { key } }`);
    expect(noSecret.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const me = await t.as(created.key).gql<{ me: unknown }>(`{ me { id kind via roles { role domain } } }`);
    expect(me.data!.me).toEqual({ id: 'person:alice', kind: 'person', via: 'api_key', roles: [{ role: 'domain_member', domain: 'rides' }] });
    const principals = await t.gql<{ principals: { id: string }[] }>(`{ principals { id } }`);
    expect(principals.data!.principals.map((p) => p.id)).toContain('person:alice');
  });

  it('validates principals and role grants', async () => {
    const bad = await t.gql(`mutation { createApiKey(principal: { id: "alice", kind: person }, roles: [{ role: domain_owner }]) { key } }`);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const noDomain = await t.gql(`mutation { createApiKey(principal: { id: "person:bob", kind: person }, roles: [{ role: domain_owner }]) { key } }`);
    expect(noDomain.errors?.[0].message).toBe('invalid roles: roles.0.domain: domain_owner needs a domain');
    const scopedConsumer = await t.gql(`mutation { createApiKey(principal: { id: "person:bob", kind: person }, roles: [{ role: consumer, domain: "rides" }]) { key } }`);
    expect(scopedConsumer.errors?.[0].message).toBe('invalid roles: roles.0.domain: consumer is mesh-wide and takes no domain');
  });

  it('answers 403 with the reason when a role does not allow the action', async () => {
    const consumer = await createKey(t, 'service:dashboard', [{ role: 'consumer' }]);
    const res = await t.as(consumer.key).inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: [file('contracts/rides/rides-trips.odps.yaml')], dryRun: true } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toEqual({
      code: 'FORBIDDEN',
      message: 'forbidden: service:dashboard has no role allowing catalog.apply',
      details: { action: 'catalog.apply', reason: 'service:dashboard has no role allowing catalog.apply' },
    });
    const keys = await t.as(consumer.key).gql(`{ apiKeys { id } }`);
    expect(keys.errors?.[0]).toMatchObject({ message: 'forbidden: service:dashboard has no role allowing keys.manage', extensions: { code: 'FORBIDDEN' } });
    const read = await t.as(consumer.key).gql<{ dataProducts: { totalCount: number } }>(`{ dataProducts { totalCount } }`);
    expect(read.data!.dataProducts.totalCount).toBeGreaterThan(0);
  });

  it('lets a domain team apply and ingest only in its own domain, naming the offending document', async () => {
    const alice = (await createKey(t, 'person:alice', [{ role: 'domain_member', domain: 'rides' }])).key;
    const as = t.as(alice);
    const own = await as.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: [file('contracts/rides/rides-trips.odps.yaml')], dryRun: true } });
    expect(own.statusCode).toBe(200);
    const foreign = await as.inject({
      method: 'POST',
      url: '/v1/contracts/apply',
      payload: { files: [file('contracts/rides/rides-trips.odps.yaml'), file('contracts/payments/payments-transactions.odps.yaml')], dryRun: true },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.message).toBe(
      'forbidden: document contracts/payments/payments-transactions.odps.yaml#0 (DataProduct payments-transactions) touches domain payments; person:alice may catalog.apply only in domain(s) rides',
    );
    // A feature view reads the product of its source: the payments view is payments' business.
    const views = await as.gql(`mutation($f: [ContractFileInput!]!) { applyContracts(files: $f, dryRun: true) { applied } }`, { f: [file('contracts/risk/features.yaml')] });
    expect(views.errors?.[0].message).toMatch(/^forbidden: document contracts\/risk\/features\.yaml#2 \(FeatureView driver_daily_payments\) touches domain payments/);
    // Moving a product of payments into rides needs payments too.
    const moved = readFileSync('contracts/payments/payments-transactions.odps.yaml', 'utf8').replace(/^domain: payments$/m, 'domain: rides');
    const move = await as.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: [{ path: 'moved.odps.yaml', content: moved }], dryRun: true } });
    expect(move.json().error.message).toMatch(/touches domain payments/);

    const ingest = (product: string, port: string) =>
      as.inject({ method: 'POST', url: `/v1/data-products/${product}/ports/${port}/rows`, headers: { 'content-type': 'application/x-ndjson' }, payload: `${JSON.stringify(ROW)}\n` });
    const mine = await ingest('rides-driver-stats', 'hourly');
    expect([mine.statusCode, mine.json().inserted]).toEqual([200, 1]);
    const theirs = await ingest('payments-driver-activity', 'daily');
    expect(theirs.statusCode).toBe(403);
    expect(theirs.json().error.message).toBe('forbidden: product payments-driver-activity belongs to domain payments; person:alice may features.ingest only in domain(s) rides');
    const unknown = await ingest('no-such-product', 'x');
    expect(unknown.statusCode).toBe(404); // not in the catalog: the service answers, no domain to protect
    const push = await as.inject({ method: 'POST', url: '/push', payload: { push_source_name: 'driver_daily_payments', df: {}, to: 'online' } });
    expect(push.statusCode).toBe(403);
    expect(push.json().error.message).toMatch(/feature view driver_daily_payments reads a product of domain payments/);
  });

  it('scopes a DataProduct without `domain` by its folder under contracts/, as apply does', async () => {
    const alice = (await createKey(t, 'person:alice', [{ role: 'domain_member', domain: 'rides' }])).key;
    const undeclared = readFileSync('contracts/payments/payments-transactions.odps.yaml', 'utf8')
      .replace(/^domain: payments\n/m, '')
      .replace(/^id: payments-transactions$/m, 'id: payments-refunds');
    const inPayments = await t.as(alice).inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: [{ path: 'contracts/payments/payments-refunds.odps.yaml', content: undeclared }], dryRun: true } });
    expect(inPayments.statusCode).toBe(403);
    expect(inPayments.json().error.message).toBe(
      'forbidden: document contracts/payments/payments-refunds.odps.yaml#0 (DataProduct payments-refunds) touches domain payments; person:alice may catalog.apply only in domain(s) rides',
    );
    // The same document in the rides folder is rides' own (the dry run would create it).
    const inRides = await t.as(alice).inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: [{ path: 'contracts/rides/payments-refunds.odps.yaml', content: undeclared }], dryRun: true } });
    expect([inRides.statusCode, inRides.json().errors, inRides.json().changes]).toEqual([
      200,
      [],
      [{ action: 'created', file: 'contracts/rides/payments-refunds.odps.yaml', id: 'payments-refunds', kind: 'DataProduct', version: '1.0.0' }],
    ]);
  });

  it('refuses a revoked key at once on this instance', async () => {
    const k = await createKey(t, 'service:short-lived', [{ role: 'model_service' }]);
    expect((await t.as(k.key).gql(`{ me { id } }`)).data).toEqual({ me: { id: 'service:short-lived' } });
    const revoked = await t.gql<{ revokeApiKey: { revokedAt: string | null; revokedBy: string } }>(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt revokedBy } }`, { id: k.apiKey.id });
    expect(revoked.data!.revokeApiKey.revokedBy).toBe('admin');
    const after = await t.as(k.key).inject({ method: 'POST', url: '/graphql', payload: { query: '{ me { id } }' } });
    expect([after.statusCode, after.json().error.message]).toEqual([401, 'invalid API key']);
    const missing = await t.gql(`mutation { revokeApiKey(id: "00000000-0000-0000-0000-000000000000") { id } }`);
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses a revoked key on another instance within a second, long before TESSERA_AUTH_CACHE_MS (change feed)', async () => {
    const k = await createKey(t, 'service:elsewhere', [{ role: 'model_service' }]);
    // Another replica: a pool and a LISTEN connection of its own; its key cache would trust the key for a minute.
    const config = TesseraConfig.fromEnv({
      DATABASE_URL: t.db.url,
      TESSERA_APPLY_ON_START: 'false',
      TESSERA_DATA_DIR: mkdtempSync(join(tmpdir(), 'tessera-b-')),
      TESSERA_AUTH_CACHE_MS: '60000',
      TESSERA_CHANGE_CHECK_MS: '0',
      TESSERA_REDIS_PREFIX: 't:auth-keys:',
    });
    const otherDs = await openDatabase(t.db.url);
    const other = await createApp(config, otherDs, { logger: false });
    try {
      const me = () => other.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${k.key}` }, payload: { query: '{ me { id } }' } });
      expect((await me()).statusCode).toBe(200); // now cached on the other instance
      await t.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: k.apiKey.id });
      const revokedAt = Date.now();
      let status = (await me()).statusCode;
      while (status === 200 && Date.now() - revokedAt < 1000) {
        await new Promise((r) => setTimeout(r, 10));
        status = (await me()).statusCode;
      }
      expect(status).toBe(401);
    } finally {
      await other.close();
      await otherDs.destroy();
    }
  });

  it('refuses an expired key', async () => {
    const k = await createKey(t, 'service:expiring', [{ role: 'consumer' }]);
    await t.dataSource.query(`UPDATE tessera.api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [k.apiKey.id]);
    expect((await t.as(k.key).inject({ method: 'GET', url: '/v1/models' })).statusCode).toBe(401);
    const past = await t.gql(`mutation { createApiKey(principal: { id: "person:late", kind: person }, expiresAt: "2020-01-01T00:00:00Z") { key } }`);
    expect(past.errors?.[0].message).toBe('expiresAt must be in the future');
  });
});

describe('authentication: OIDC bearer tokens verified against a JWKS', () => {
  let t: TestApp;
  let idp: FastifyInstance;
  let sign: (claims: Record<string, unknown>, opts?: { audience?: string; expiresIn?: string; foreign?: boolean }) => Promise<string>;
  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const foreign = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    idp = Fastify();
    idp.get('/jwks', async () => ({ keys: [jwk] }));
    await idp.listen({ port: 0, host: '127.0.0.1' });
    const address = idp.server.address() as { port: number };
    sign = (claims, opts = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer('https://idp.test')
        .setAudience(opts.audience ?? 'tessera')
        .setIssuedAt()
        .setExpirationTime(opts.expiresIn ?? '5m')
        .sign(opts.foreign ? foreign.privateKey : privateKey);
    t = await startTestApp({
      TESSERA_REDIS_PREFIX: 't:auth-oidc:',
      TESSERA_OIDC_JWKS_URL: `http://127.0.0.1:${address.port}/jwks`,
      TESSERA_OIDC_ISSUER: 'https://idp.test',
      TESSERA_OIDC_AUDIENCE: 'tessera',
      TESSERA_OIDC_ROLES_CLAIM: 'tessera_roles',
    });
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: readContractDirectory('contracts') } });
    expect(res.statusCode).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  it('maps a valid token to a principal with the roles of its claim', async () => {
    const token = await sign({ sub: 'carol', email: 'carol@example.com', tessera_roles: ['domain_owner:rides', 'bogus', 'consumer:rides'] });
    const me = await t.as(token).gql<{ me: unknown }>(`{ me { id kind displayName via roles { role domain } } }`);
    expect(me.data!.me).toEqual({ id: 'person:carol', kind: 'person', displayName: 'carol@example.com', via: 'oidc', roles: [{ role: 'domain_owner', domain: 'rides' }] });
    const ingest = (product: string, port: string) =>
      t.as(token).inject({ method: 'POST', url: `/v1/data-products/${product}/ports/${port}/rows`, headers: { 'content-type': 'application/x-ndjson' }, payload: `${JSON.stringify(ROW)}\n` });
    expect((await ingest('rides-driver-stats', 'hourly')).statusCode).toBe(200);
    expect((await ingest('payments-driver-activity', 'daily')).statusCode).toBe(403);
    const service = await sign({ sub: 'scorer', azp: 'scorer', tessera_roles: 'model_service' });
    expect((await t.as(service).gql(`{ me { id roles { role } } }`)).data).toEqual({ me: { id: 'service:scorer', roles: [{ role: 'model_service' }] } });
    // governance_lead is mesh-wide: a domain on it grants nothing.
    const lead = await sign({ sub: 'gwen', tessera_roles: ['governance_lead', 'governance_lead:rides'] });
    expect((await t.as(lead).gql(`{ me { roles { role domain } } }`)).data).toEqual({ me: { roles: [{ role: 'governance_lead', domain: null }] } });
  });

  it('refuses tokens with a wrong audience, an expired time or a foreign signature', async () => {
    const cases: [string, string][] = [
      [await sign({ sub: 'x' }, { audience: 'someone-else' }), 'invalid token: token claim aud is not acceptable'],
      [await sign({ sub: 'x' }, { expiresIn: '-2m' }), 'invalid token: token expired'],
      [await sign({ sub: 'x' }, { foreign: true }), 'invalid token: token signature does not verify'],
    ];
    for (const [token, message] of cases) {
      const res = await t.as(token).inject({ method: 'POST', url: '/graphql', payload: { query: '{ me { id } }' } });
      expect([res.statusCode, res.json().error.message]).toEqual([401, message]);
    }
    // API keys keep working next to OIDC.
    expect((await t.gql(`{ me { id } }`)).data).toEqual({ me: { id: 'admin' } });
  });
});
