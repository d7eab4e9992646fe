import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startTestApp, TestApp } from '../support/test-app';

type Entry = {
  seq: string;
  principalId: string | null;
  action: string;
  resource: string;
  outcome: string;
  reason: string | null;
  requestId: string | null;
  operation: string | null;
  beforeDigest: string | null;
  afterDigest: string | null;
};
const FIELDS = 'seq principalId action resource outcome reason requestId operation beforeDigest afterDigest';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const file = (path: string) => ({ path, content: readFileSync(path, 'utf8') });

describe('audit trail', () => {
  let t: TestApp;
  const log = async (filter: Record<string, unknown> = {}, limit = 20): Promise<Entry[]> => {
    const res = await t.gql<{ auditLog: Entry[] }>(`query($f: AuditFilter, $l: Int) { auditLog(filter: $f, limit: $l) { ${FIELDS} } }`, { f: filter, l: limit });
    expect(res.errors).toBeUndefined();
    return res.data!.auditLog;
  };
  const key = async (id: string, roles: { role: string; domain?: string }[]): Promise<string> => {
    const res = await t.gql<{ createApiKey: { key: string } }>(`mutation($p: PrincipalInput!, $r: [RoleGrantInput!]) { createApiKey(principal: $p, roles: $r) { key } }`, { p: { id, kind: 'person' }, r: roles });
    return res.data!.createApiKey.key;
  };
  beforeAll(async () => {
    t = await startTestApp({ TESSERA_REDIS_PREFIX: 't:audit-trail:' });
  });
  afterAll(() => t.close());

  it('records an allowed REST mutation with who, action, resource, request id and the digest of its result', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', headers: { 'x-request-id': 'audit-req-1' }, payload: { files: [file('contracts/rides/domain.yaml')] } });
    expect(res.statusCode).toBe(200);
    const [entry] = await log({ action: 'catalog.apply' }, 1);
    expect(entry).toMatchObject({
      principalId: 'admin',
      action: 'catalog.apply',
      resource: 'documents:contracts/rides/domain.yaml#0',
      outcome: 'allowed',
      reason: null,
      requestId: 'audit-req-1',
      operation: 'POST /v1/contracts/apply',
      beforeDigest: null,
    });
    expect(entry.afterDigest).toBe(sha256(res.body));
  });

  it('records GraphQL mutations, and failed mutations with their error code', async () => {
    await key('person:dora', [{ role: 'governance_member', domain: 'rides' }]);
    const [created] = await log({ action: 'keys.manage' }, 1);
    expect(created).toMatchObject({ principalId: 'admin', action: 'keys.manage', resource: 'mesh', outcome: 'allowed', operation: 'Mutation.createApiKey' });
    expect(created.afterDigest).toMatch(/^[0-9a-f]{64}$/);
    const bad = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: [{ path: 'broken.odps.yaml', content: 'apiVersion: v1.0.0\nkind: DataProduct\nid: b\nstatus: shipped\n' }] } });
    expect(bad.statusCode).toBe(422);
    const [failed] = await log({ outcome: 'failed' }, 1);
    expect(failed).toMatchObject({ principalId: 'admin', action: 'catalog.apply', outcome: 'failed', operation: 'POST /v1/contracts/apply', afterDigest: null });
    expect(failed.reason).toMatch(/^APPLY_REJECTED: /);
  });

  it('records every denied request: unauthenticated (no principal) and forbidden (with the reason)', async () => {
    const anon = await t.as(null).inject({ method: 'POST', url: '/push', headers: { 'x-request-id': 'anon-1' }, payload: {} });
    expect(anon.statusCode).toBe(401);
    const wrong = await t.as('tsk_wrong-wrong-wrong-wrong').inject({ method: 'GET', url: '/v1/models?x=1' });
    expect(wrong.statusCode).toBe(401);
    const denied401 = await log({ action: 'authenticate' }, 2);
    expect(denied401.map((e) => [e.principalId, e.outcome, e.operation, e.reason])).toEqual([
      [null, 'denied', 'GET /v1/models', 'invalid API key'],
      [null, 'denied', 'POST /push', 'missing Authorization: Bearer <api key>'],
    ]);
    expect(denied401[1].requestId).toBe('anon-1');
    const consumer = await key('person:erin', [{ role: 'consumer' }]);
    const forbidden = await t.as(consumer).inject({ method: 'POST', url: '/materialize-incremental', payload: { end_ts: new Date().toISOString() } });
    expect(forbidden.statusCode).toBe(403);
    const [entry] = await log({ principalId: 'person:erin', outcome: 'denied' }, 1);
    expect(entry).toMatchObject({ action: 'features.materialize', resource: 'views:*', reason: 'person:erin has no role allowing features.materialize', operation: 'POST /materialize-incremental' });
    // Denied reads are recorded too (GraphQL queries are otherwise not).
    await t.as(consumer).gql(`{ auditLog { seq } }`);
    expect((await log({ principalId: 'person:erin' }, 1))[0]).toMatchObject({ action: 'audit.read', outcome: 'denied', operation: 'Query.auditLog' });
  });

  it('does not record allowed reads', async () => {
    const before = (await log({}, 1))[0].seq;
    await t.app.inject({ method: 'POST', url: '/get-online-features', payload: { features: ['nope:x'], entities: { driver_id: [1] } } });
    await t.gql(`{ dataProducts { totalCount } domains { name } }`);
    await t.app.inject({ method: 'GET', url: '/v1/models' });
    const after = await log({}, 5);
    // Only the reads of the log itself ran in between, and they are not recorded either.
    expect(after[0].seq).toBe(before);
  });

  it('is readable by admins and governance members only', async () => {
    const governance = await key('person:dora', [{ role: 'governance_member', domain: 'rides' }]);
    const owner = await key('person:finn', [{ role: 'domain_owner', domain: 'rides' }]);
    const asGov = await t.as(governance).gql<{ auditLog: Entry[] }>(`{ auditLog(limit: 1) { seq } }`);
    expect(asGov.data!.auditLog).toHaveLength(1);
    const asOwner = await t.as(owner).gql(`{ auditLog(limit: 1) { seq } }`);
    expect(asOwner.errors?.[0]).toMatchObject({ message: 'forbidden: person:finn has no role allowing audit.read', extensions: { code: 'FORBIDDEN' } });
    const tooMany = await t.gql(`{ auditLog(limit: 1001) { seq } }`);
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('cannot be altered: no mutation touches it, and the table refuses UPDATE, DELETE and TRUNCATE', async () => {
    const schema = await t.gql<{ __schema: { mutationType: { fields: { name: string }[] } } }>(`{ __schema { mutationType { fields { name } } } }`);
    expect(schema.data!.__schema.mutationType.fields.map((f) => f.name).filter((n) => /audit/i.test(n))).toEqual([]);
    await expect(t.dataSource.query(`UPDATE tessera.audit_log SET outcome = 'allowed'`)).rejects.toThrow(/the audit log is append-only: UPDATE is not allowed/);
    await expect(t.dataSource.query(`DELETE FROM tessera.audit_log`)).rejects.toThrow(/append-only: DELETE/);
    await expect(t.dataSource.query(`TRUNCATE tessera.audit_log`)).rejects.toThrow(/append-only: TRUNCATE/);
    expect(Number((await t.dataSource.query(`SELECT count(*) AS n FROM tessera.audit_log`))[0].n)).toBeGreaterThan(5);
  });
});
