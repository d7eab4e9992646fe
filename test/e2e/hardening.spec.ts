import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { openDatabase } from '../../src/database';
import { TesseraConfig } from '../../src/config/tessera-config';
import { createApp } from '../../src/create-app';
import { resolveBootstrapAdminKey } from '../../src/governance/auth/bootstrap-admin-key';
import { createTestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

describe('hardening: GraphQL limits, rate limits, body limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A prefix of its own per run: with Redis the rate limit counters outlive the process (for their minute).
    t = await startTestApp({
      TESSERA_REDIS_PREFIX: `t:hardening:${randomBytes(4).toString('hex')}:`,
      TESSERA_GRAPHQL_MAX_DEPTH: '4',
      TESSERA_GRAPHQL_MAX_COMPLEXITY: '60',
      TESSERA_RATE_LIMIT_PER_MINUTE: '40',
      TESSERA_BODY_LIMIT_BYTES: '4096',
    });
  });
  afterAll(() => t.close());

  it('refuses queries deeper than TESSERA_GRAPHQL_MAX_DEPTH, fragments included, but not introspection', async () => {
    const ok = await t.gql(`{ dataProducts(first: 1) { edges { node { id } } } }`); // depth 4
    expect(ok.errors).toBeUndefined();
    const deep = await t.gql(`{ dataProducts(first: 1) { edges { node { outputPorts { name } } } } }`);
    // A validation rule: Apollo answers it as a validation failure (before anything executes).
    expect(deep.errors?.[0]).toMatchObject({ message: 'query depth 5 exceeds the limit of 4', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const viaFragment = await t.gql(`query { dataProducts(first: 1) { ...E } } fragment E on DataProductConnection { edges { node { outputPorts { name } } } }`);
    expect(viaFragment.errors?.[0].message).toBe('query depth 5 exceeds the limit of 4');
    const introspection = await t.gql(`{ __schema { types { fields { type { ofType { ofType { name } } } } } } }`);
    expect(introspection.errors).toBeUndefined();
  });

  it('refuses queries over TESSERA_GRAPHQL_MAX_COMPLEXITY: page sizes multiply, aliases add up', async () => {
    const paged = await t.gql(`{ auditLog(limit: 30) { seq action } }`);
    expect(paged.errors?.[0]).toMatchObject({ message: 'query complexity 61 exceeds the limit of 60', extensions: { code: 'QUERY_TOO_COMPLEX' } });
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: domains { name }`).join(' ');
    expect((await t.gql(`{ ${aliases} }`)).errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    const viaVariables = await t.gql(`query($n: Int) { auditLog(limit: $n) { seq action } }`, { n: 30 });
    expect(viaVariables.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect((await t.gql(`{ auditLog(limit: 20) { seq action } }`)).errors).toBeUndefined();
  });

  it('refuses a GraphQL body over TESSERA_BODY_LIMIT_BYTES', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/graphql', payload: { query: `{ domains { name } } # ${'x'.repeat(5000)}` } });
    expect([res.statusCode, res.json().error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('limits requests per key per minute with a typed 429, independently per key, never /health', async () => {
    const res = await t.gql<{ createApiKey: { key: string } }>(`mutation { createApiKey(principal: { id: "service:busy", kind: service }, roles: [{ role: consumer }]) { key } }`);
    const busy = t.as(res.data!.createApiKey.key);
    let last = await busy.inject({ method: 'GET', url: '/v1/models' });
    for (let i = 0; i < 40 && last.statusCode === 200; i++) last = await busy.inject({ method: 'GET', url: '/v1/models' });
    expect(last.statusCode).toBe(429);
    expect(last.json()).toEqual({
      error: { code: 'RATE_LIMITED', message: expect.stringMatching(/^rate limit of 40 requests per minute exceeded; retry in \d+ s$/), details: { limit: 40, retryAfterSeconds: expect.any(Number) } },
    });
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect((await t.app.inject({ method: 'GET', url: '/v1/models' })).statusCode).toBe(200); // the admin key has its own budget
    for (let i = 0; i < 50; i++) expect((await t.as(null).inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});

describe('hardening: introspection switch, generic errors, secrets out of logs, the bootstrap key file', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim()),
      );
      done();
    },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-hardening-'));
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let close: () => Promise<void>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, checked by expect()
  let inject: (opts: { method: 'GET' | 'POST'; url: string; payload?: unknown; headers?: Record<string, string> }) => Promise<{ statusCode: number; body: string; json(): any }>;
  let adminKey: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const dataSource = await openDatabase(db.url);
    const config = TesseraConfig.fromEnv({
      DATABASE_URL: db.url,
      TESSERA_APPLY_ON_START: 'false',
      TESSERA_DATA_DIR: dataDir,
      TESSERA_GRAPHQL_INTROSPECTION: 'false',
      TESSERA_REDIS_PREFIX: 't:hardening2:',
      LOG_LEVEL: 'info',
    });
    const app = await createApp(config, dataSource, { logDestination: sink });
    await app.getHttpAdapter().getInstance().ready();
    adminKey = readFileSync(join(dataDir, 'admin-key'), 'utf8').trim();
    inject = (opts) => app.inject({ ...opts, headers: { authorization: `Bearer ${adminKey}`, ...(opts.headers ?? {}) } } as never);
    close = async () => {
      await app.close();
      await dataSource.destroy();
      await db.drop();
    };
  });
  afterAll(() => close());

  it('generates the bootstrap admin key into <data dir>/admin-key (0600), logs only its path, and reuses it', () => {
    expect(adminKey).toMatch(/^tsk_admin_[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(dataDir, 'admin-key')).mode & 0o777).toBe(0o600);
    expect(lines.some((l) => l.includes(join(dataDir, 'admin-key')))).toBe(true);
    expect(resolveBootstrapAdminKey(undefined, dataDir)).toEqual({ key: adminKey, source: 'file', path: join(dataDir, 'admin-key') });
    expect(resolveBootstrapAdminKey('explicit-admin-key-0123456789', dataDir)).toEqual({ key: 'explicit-admin-key-0123456789', source: 'env' });
  });

  it('turns introspection off with TESSERA_GRAPHQL_INTROSPECTION=false', async () => {
    const res = await inject({ method: 'POST', url: '/graphql', payload: { query: '{ __schema { types { name } } }' } });
    expect(res.json().errors[0].message).toMatch(/introspection is not allowed/i);
    expect((await inject({ method: 'POST', url: '/graphql', payload: { query: '{ domains { name } }' } })).json()).toEqual({ data: { domains: [] } });
  });

  it('answers a database error with a generic message: no SQL, no stack, no table names', async () => {
    const created = await inject({ method: 'POST', url: '/graphql', payload: { query: 'mutation { createApiKey(principal: { id: "person:x", kind: person }, roles: [{ role: consumer }]) { key } }' } });
    const userKey = created.json().data.createApiKey.key as string;
    const { Client } = await import('pg');
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    await sql.query('ALTER TABLE tessera.domains RENAME TO domains_moved');
    await sql.query('ALTER TABLE tessera.model_versions RENAME TO model_versions_moved');
    try {
      const gql = await inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${userKey}` }, payload: { query: '{ domains { name } }' } });
      expect(gql.json().errors[0]).toMatchObject({ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      const rest = await inject({ method: 'GET', url: '/v1/models' });
      expect([rest.statusCode, rest.json()]).toEqual([500, { error: { code: 'INTERNAL', message: 'internal error' } }]);
      for (const body of [gql.body, rest.body]) expect(body).not.toMatch(/relation|select |tessera\.|does not exist|stack|\.ts:\d+|\.js:\d+/i);
    } finally {
      await sql.query('ALTER TABLE tessera.domains_moved RENAME TO domains');
      await sql.query('ALTER TABLE tessera.model_versions_moved RENAME TO model_versions');
      await sql.end();
    }
    // The logs hold the cause for operators, and never a key.
    expect(lines.join('\n')).toMatch(/domains/);
    for (const secret of [adminKey, userKey]) expect(lines.join('\n')).not.toContain(secret);
    expect(lines.join('\n')).not.toContain(userKey.slice(10));
  });
});
