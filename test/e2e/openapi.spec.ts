import { Validator } from '@seriousme/openapi-schema-validator';
import { readContractDirectory } from '../../src/catalog/apply/read-contract-directory';
import { registeredRoutes } from '../support/registered-routes';
import { startTestApp, TestApp } from '../support/test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** `/openapi.json` describes every REST route Fastify serves, and nothing else, as valid OpenAPI 3.1. */
describe('OpenAPI document and the REST catalog routes', () => {
  let t: TestApp;
  let doc: Json;

  beforeAll(async () => {
    t = await startTestApp({ TESSERA_REDIS_PREFIX: 't:openapi:' });
    const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: readContractDirectory('contracts') } });
    expect(applied.statusCode).toBe(200);
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json', headers: { authorization: '' } });
    expect(res.statusCode).toBe(200);
    doc = res.json();
  });
  afterAll(() => t.close());

  it('is valid OpenAPI 3.1 for a real validator', async () => {
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('a validator refuses a broken copy (the check can fail)', async () => {
    const broken = structuredClone(doc);
    broken.paths['/v1/models'].get.responses = 'none';
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('has every route Fastify registered, and only those (HEAD and the fixed asset files aside)', () => {
    const documented = new Set(Object.entries(doc.paths as Record<string, Json>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)));
    const registered = [...registeredRoutes(t.app)].filter((r) => r !== 'GET /_assets/*');
    expect(registered.filter((r) => !documented.has(r)).sort()).toEqual([]);
    expect([...documented].filter((r) => !registered.includes(r)).sort()).toEqual([]);
    expect(documented.size).toBeGreaterThan(25);
  });

  it('describes bodies and query strings from the zod schemas the routes parse with', () => {
    const apply = doc.paths['/v1/contracts/apply'].post;
    const schema = apply.requestBody.content['application/json'].schema;
    expect(schema).toMatchObject({ type: 'object', required: ['files'], additionalProperties: false });
    expect(schema.properties.files).toMatchObject({ type: 'array', minItems: 1, maxItems: 5000 });
    expect(apply['x-tessera-action']).toBe('catalog.apply');
    const log = doc.paths['/v1/models/{name}/prediction-log'].get;
    expect(log.parameters).toEqual(
      expect.arrayContaining([
        { name: 'name', in: 'path', required: true, description: 'model name', schema: { type: 'string' } },
        expect.objectContaining({ name: 'role', in: 'query', required: false, schema: expect.objectContaining({ enum: ['production', 'canary', 'shadow'] }) }),
      ]),
    );
    expect(Object.keys(doc.paths['/v1/data-products/{productId}/ports/{port}/rows'].post.requestBody.content)).toEqual(['application/x-ndjson', 'text/csv', 'application/vnd.apache.arrow.stream']);
    expect(doc.paths['/health'].get.security).toEqual([]);
    expect(doc.paths['/v1/models'].get.security).toBeUndefined(); // the document's default: a bearer key
  });

  it('serves the reference page and its assets without a key, from this service only', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/docs', headers: { authorization: '' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const sources = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThan(1);
    for (const s of sources) {
      expect(s.startsWith('/_assets/')).toBe(true);
      const asset = await t.app.inject({ method: 'GET', url: s, headers: { authorization: '' } });
      expect([s, asset.statusCode]).toEqual([s, 200]);
    }
    const hidden = await t.app.inject({ method: 'GET', url: '/_assets/package.json', headers: { authorization: '' } });
    expect(hidden.statusCode).toBe(404);
  });

  it('lists and gets products, contracts and feature views over REST, authorized like GraphQL', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/v1/data-products?domain=rides&first=2' });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    expect(list.json().edges).toHaveLength(2);
    const next = await t.app.inject({ method: 'GET', url: `/v1/data-products?domain=rides&first=2&after=${list.json().pageInfo.endCursor}` });
    expect(next.json().edges).toHaveLength(1);
    const search = await t.app.inject({ method: 'GET', url: '/v1/data-products?search=completion%20rate' });
    expect(search.json().edges.map((e: Json) => e.node.id)).toEqual(['rides-driver-stats']);
    const product = await t.app.inject({ method: 'GET', url: '/v1/data-products/rides-driver-stats' });
    expect(product.json()).toMatchObject({ id: 'rides-driver-stats', domain: 'rides', outputPorts: [{ name: 'hourly', contract: { id: 'rides-driver-stats-hourly-v1' } }] });
    const contracts = await t.app.inject({ method: 'GET', url: '/v1/contracts?domain=payments' });
    expect(
      contracts
        .json()
        .contracts.map((c: Json) => c.id)
        .sort(),
    ).toEqual(['payments-driver-activity-daily-v1', 'payments-transactions-transactions-v1']);
    const contract = await t.app.inject({ method: 'GET', url: '/v1/contracts/rides-driver-stats-hourly-v1' });
    expect(contract.json()).toMatchObject({ id: 'rides-driver-stats-hourly-v1', version: '1.0.0' });
    const versions = await t.app.inject({ method: 'GET', url: '/v1/contracts/rides-driver-stats-hourly-v1/versions' });
    expect(versions.json().versions).toHaveLength(1);
    const views = await t.app.inject({ method: 'GET', url: '/v1/feature-views' });
    expect(views.json().featureViews.map((v: Json) => v.name)).toEqual(['driver_daily_payments', 'driver_hourly_stats']);
    const view = await t.app.inject({ method: 'GET', url: '/v1/feature-views/driver_hourly_stats' });
    expect(view.json()).toMatchObject({ name: 'driver_hourly_stats', spec: { source: { dataProduct: 'rides-driver-stats', outputPort: 'hourly' } } });
  });

  it('answers typed errors: 404 naming the object, 400 naming the parameter, 401 without a key', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/v1/data-products/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: 'DATA_PRODUCT_NOT_FOUND', message: 'data product nope not found' });
    expect((await t.app.inject({ method: 'GET', url: '/v1/contracts/nope' })).json().error.code).toBe('CONTRACT_NOT_FOUND');
    expect((await t.app.inject({ method: 'GET', url: '/v1/feature-views/nope' })).json().error.code).toBe('FEATURE_VIEW_NOT_FOUND');
    const bad = await t.app.inject({ method: 'GET', url: '/v1/data-products?first=1000&status=launched' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.map((d: Json) => d.field)
        .sort(),
    ).toEqual(['first', 'status']);
    const anonymous = await t.app.inject({ method: 'GET', url: '/v1/data-products', headers: { authorization: '' } });
    expect(anonymous.statusCode).toBe(401);
  });
});
