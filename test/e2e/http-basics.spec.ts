import { startTestApp, TestApp } from '../support/test-app';

describe('HTTP basics: health, readiness, errors, authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TESSERA_ADMIN_KEY: 'test-admin-key-0123456789', TESSERA_BODY_LIMIT_BYTES: '4096' });
  });
  afterAll(() => t.close());
  const auth = { authorization: 'Bearer test-admin-key-0123456789' };

  it('answers /health and /ready without a key', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', onlineStore: 'ok' } });
  });

  it('refuses other routes without a valid key, with a typed error', async () => {
    const none = await t.app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ domains { name } }' } });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'missing Authorization: Bearer <api key>' } });
    const wrong = await t.app.inject({ method: 'POST', url: '/graphql', headers: { authorization: 'Bearer nope' }, payload: { query: '{ domains { name } }' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('UNAUTHENTICATED');
    const ok = await t.gql('{ domains { name } }', undefined, auth);
    expect(ok).toEqual({ data: { domains: [] } });
  });

  it('answers malformed JSON with 400 MALFORMED_BODY and no stack trace', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"files": [' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('MALFORMED_BODY');
    expect(res.body).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const content = 'x'.repeat(8000);
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', headers: auth, payload: { files: [{ path: 'a.yaml', content }] } });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('names each bad field of a request body', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', headers: auth, payload: { files: [{ path: '' }], dryRun: 'yes' } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('BAD_REQUEST');
    const fields = body.error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['dryRun', 'files.0.content', 'files.0.path']);
  });

  it('answers unknown routes with 404 NOT_FOUND', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/nope', headers: auth });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('maps GraphQL errors to extensions.code without stack traces', async () => {
    const res = await t.gql('{ dataProduct(id: "missing") { id } }', undefined, auth);
    expect(res.errors?.[0].extensions).toEqual({ code: 'NOT_FOUND', tesseraCode: 'DATA_PRODUCT_NOT_FOUND' });
    expect(res.errors?.[0].message).toBe('data product missing not found');
    const invalid = await t.gql('{ lineage(id: "x", depth: 99) { nodes { id } } }', undefined, auth);
    expect(invalid.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const syntax = await t.gql('{ domains { ', undefined, auth);
    expect(syntax.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(JSON.stringify(syntax)).not.toMatch(/stacktrace/);
  });
});
