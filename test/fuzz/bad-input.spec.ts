import '../support/scoring-ort-realm';
import fc from 'fast-check';
import { goodModel } from '../fixtures/models/scoring-models';
import { modelDoc } from '../fixtures/models/scoring-mesh';
import { AUTH, startPredictApp, upload } from '../fixtures/models/scoring-predict';
import { registeredRoutes } from '../support/registered-routes';
import type { TestApp } from '../support/test-app';
import { applyDocuments, BadRequest, BODY_LIMIT, graphqlQueries, ingestBodies, jsonBodies, NUL, ROUTE_BODIES, ROUTES, SQL } from './fuzz-cases';

/**
 * Issue 6 point 6: every public route is sent malformed, oversized, wrongly typed and hostile input.
 * Each answer must be a 4xx with a clean error body (no stack, SQL or file path), the service must
 * keep answering /health, and no row of the catalog / feature / model / offline tables may change.
 */

/**
 * Tables that legitimately change on a refused request: the audit log records refusals (that is its
 * job) and API keys record their last use. Everything else must be byte-identical.
 */
const MAY_CHANGE = new Set(['tessera.audit_log', 'tessera.audit_events', 'tessera.api_keys', 'tessera.migrations']);

let t: TestApp;
let cases = 0;
const failures: string[] = [];

async function digest(): Promise<Map<string, string>> {
  const tables: { s: string; n: string }[] = await t.dataSource.query(
    `SELECT table_schema AS s, table_name AS n FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND (table_schema = 'tessera' OR table_schema LIKE 'dom\\_%') ORDER BY 1, 2`,
  );
  const out = new Map<string, string>();
  for (const { s, n } of tables) {
    const key = `${s}.${n}`;
    if (MAY_CHANGE.has(key)) continue;
    const [row] = await t.dataSource.query(`SELECT count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS d FROM "${s}"."${n}" x`);
    out.set(key, row.d);
  }
  return out;
}

/** No leaked internals: stack frames, SQL statements, file paths. */
const LEAK = /(\n\s+at\s|\.ts:\d+|\.js:\d+|\/work\/|node_modules|SELECT\s.+\sFROM|INSERT\s+INTO|relation "|syntax error at or near)/i;

function check(label: string, status: number, body: string, graphql = false): void {
  cases++;
  const problems: string[] = [];
  if (status < 400 || status >= 500) problems.push(`status ${status}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    problems.push('body is not JSON');
  }
  if (parsed !== undefined) {
    // A request refused before GraphQL runs (body parsing, size, media type) answers the REST error shape.
    if (graphql && !(typeof parsed === 'object' && parsed !== null && 'error' in parsed)) {
      const errs = (parsed as { errors?: { extensions?: { code?: unknown } }[] }).errors;
      if (!Array.isArray(errs) || errs.length === 0 || errs.some((e) => typeof e.extensions?.code !== 'string')) problems.push('no errors[].extensions.code');
    } else {
      const err = (parsed as { error?: { code?: unknown; message?: unknown } }).error;
      if (!err || typeof err.code !== 'string' || typeof err.message !== 'string') problems.push('no {error:{code,message}}');
    }
  }
  if (LEAK.test(body)) problems.push('leaks internals');
  if (problems.length) failures.push(`${label}: ${problems.join(', ')} — ${body.slice(0, 300)}`);
}

async function send(r: BadRequest, graphql = false): Promise<void> {
  const res = await t.app.inject({ method: r.method, url: r.url, headers: { ...AUTH, ...(r.headers ?? {}) }, payload: r.payload });
  // GraphQL answers a refused operation with 200 + errors (Apollo) or 400: both must carry codes.
  const status = graphql && res.statusCode === 200 ? 400 : res.statusCode;
  check(`${r.method} ${r.url.slice(0, 80)} [${r.name}]`, status, res.body, graphql);
}

describe('bad input on every public route (issue 6 point 6)', () => {
  let before: Map<string, string>;

  beforeAll(async () => {
    t = await startPredictApp('fuzz', { TESSERA_BODY_LIMIT_BYTES: String(BODY_LIMIT), TESSERA_RATE_LIMIT_PER_MINUTE: '0' });
    await upload(t, modelDoc(), goodModel(2));
    const dep = await t.gql('mutation { deployModel(name: "customer_value", version: "1.0.0") { production } }', undefined, AUTH);
    if (dep.errors) throw new Error(JSON.stringify(dep.errors));
    before = await digest();
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  // Each test reports its own failures (the last one counts every case).
  beforeEach(() => {
    failures.length = 0;
  });

  it('the route table covers every route Fastify registered', () => {
    const registered = registeredRoutes(t.app);
    for (const r of ROUTES) expect([r, registered.has(r)]).toEqual([r, true]);
    expect(registered.size).toBeGreaterThan(10);
    // GET /graphql is the IDE page / GET queries (fuzzed with POST's table below); /_assets/* serves fixed files.
    expect([...registered].filter((r) => !(ROUTES as readonly string[]).includes(r) && r !== 'GET /graphql' && r !== 'GET /_assets/*').sort()).toEqual([]);
  });

  it('JSON routes refuse malformed, wrongly typed, oversized and hostile bodies', async () => {
    const posts = ROUTES.filter((r) => r.startsWith('POST') && !r.includes('/rows') && r !== 'POST /v1/models');
    for (const route of posts) {
      const spec = ROUTE_BODIES[route];
      const url = spec?.url ?? route.slice(5);
      for (const b of jsonBodies(spec?.valid ?? { query: 1 })) await send({ name: b.name, method: 'POST', url, headers: b.headers, payload: b.payload }, route === 'POST /graphql');
      for (const [i, h] of (spec?.hostile ?? []).entries()) await send({ name: `hostile #${i}`, method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(h) });
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('GET routes refuse hostile path parameters and query strings', async () => {
    const values = [SQL, NUL, 'x'.repeat(5000), '../../etc/passwd', '%00', '-1', '1e309'];
    const gets = ROUTES.filter((r) => r.startsWith('GET') && r.includes(':'));
    for (const route of gets) {
      for (const v of values) {
        const url = route.slice(4).replace(/:[a-zA-Z]+/g, encodeURIComponent(v));
        await send({ name: `param ${v.slice(0, 20)}`, method: 'GET', url });
      }
    }
    for (const route of ROUTES.filter((r) => r.startsWith('GET /v1'))) {
      const base = route
        .slice(4)
        .replace(/:version/g, '1.0.0')
        .replace(/:name/g, 'customer_value');
      for (const q of [
        `limit=${encodeURIComponent(SQL)}`,
        'limit=-5',
        'limit=1e12',
        'offset=abc',
        `since=${encodeURIComponent(SQL)}`,
        'limit[]=1&limit[]=2',
        `__proto__[x]=1`,
        `unknown=${encodeURIComponent(NUL)}`,
      ]) {
        const res = await t.app.inject({ method: 'GET', url: `${base}?${q}`, headers: AUTH });
        // A list route may ignore an unknown parameter (200); it must never fail or leak.
        if (res.statusCode >= 400) check(`GET ${base}?${q}`, res.statusCode, res.body);
        else if (res.statusCode >= 500 || LEAK.test(res.body)) failures.push(`GET ${base}?${q}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        cases++;
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('apply refuses YAML bombs, deep nesting, __proto__ keys and SQL-looking names', async () => {
    for (const d of applyDocuments()) {
      const payload = JSON.stringify({ files: [{ path: `contracts/fuzz/${d.name.replace(/\W/g, '_')}.yaml`, content: d.content }], dryRun: d.validAsData === true });
      if (!d.validAsData) {
        await send({ name: d.name, method: 'POST', url: '/v1/contracts/apply', headers: { 'content-type': 'application/json' }, payload });
        continue;
      }
      // Well-formed documents whose names merely look hostile are data: a dry run may accept them,
      // and then the plan must carry the name verbatim (bound as a parameter, never spliced into SQL).
      const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', headers: { ...AUTH, 'content-type': 'application/json' }, payload });
      cases++;
      if (res.statusCode >= 400) check(`apply [${d.name}]`, res.statusCode, res.body);
      else if (res.statusCode !== 200 || res.json().dryRun !== true || res.json().applied === true) failures.push(`apply [${d.name}]: ${res.statusCode} ${res.body.slice(0, 300)}`);
    }
    for (const files of [[{ path: SQL, content: 'x' }], [{ path: '../../etc/passwd', content: 'a: 1' }], [{ content: 'a: 1' }], Array.from({ length: 20_000 }, (_, i) => ({ path: `p${i}.yaml`, content: '' }))]) {
      await send({ name: 'bad files', method: 'POST', url: '/v1/contracts/apply', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ files, dryRun: 'yes' }) });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(failures).toEqual([]);
  }, 120_000);

  it('GraphQL refuses deep, wide, cyclic and wrongly typed operations', async () => {
    for (const q of graphqlQueries()) await send({ name: q.name, method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(q.body) }, true);
    expect(failures).toEqual([]);
  }, 120_000);

  it('ingest refuses invalid Arrow streams and NDJSON / CSV garbage', async () => {
    for (const port of ['/v1/data-products/shop-customer-stats/ports/daily/rows', `/v1/data-products/${encodeURIComponent(SQL)}/ports/${encodeURIComponent(SQL)}/rows`]) {
      for (const b of ingestBodies()) await send({ name: b.name, method: 'POST', url: port, headers: { 'content-type': b.contentType }, payload: b.payload });
    }
    await send({
      name: 'bad query',
      method: 'POST',
      url: `/v1/data-products/shop-customer-stats/ports/daily/rows?major=${encodeURIComponent(SQL)}`,
      headers: { 'content-type': 'application/x-ndjson' },
      payload: '{}',
    });
    expect(failures).toEqual([]);
  }, 120_000);

  it('model upload refuses bogus multipart and invalid ONNX bytes', async () => {
    const boundary = 'fuzzboundary';
    const part = (name: string, body: string | Buffer, filename?: string) =>
      Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n\r\n`), Buffer.from(body), Buffer.from('\r\n')]);
    const end = Buffer.from(`--${boundary}--\r\n`);
    const mp = { 'content-type': `multipart/form-data; boundary=${boundary}` };
    const meta = JSON.stringify({ ...modelDoc(), version: '9.9.9' });
    const bodies: [string, Record<string, string>, Buffer | string][] = [
      ['not multipart', { 'content-type': 'application/json' }, '{"metadata":{}}'],
      ['no boundary', { 'content-type': 'multipart/form-data' }, 'garbage'],
      ['truncated multipart', mp, Buffer.concat([part('metadata', meta)]).subarray(0, 60)],
      ['no parts', mp, end],
      ['metadata only', mp, Buffer.concat([part('metadata', meta), end])],
      ['file only', mp, Buffer.concat([part('file', Buffer.from(goodModel(2)), 'm.onnx'), end])],
      ['invalid ONNX bytes', mp, Buffer.concat([part('metadata', meta), part('file', Buffer.from('not an onnx model at all'), 'm.onnx'), end])],
      ['truncated ONNX', mp, Buffer.concat([part('metadata', meta), part('file', Buffer.from(goodModel(2)).subarray(0, 40), 'm.onnx'), end])],
      ['YAML bomb metadata', mp, Buffer.concat([part('metadata', applyDocuments()[1].content), part('file', Buffer.from(goodModel(2)), 'm.onnx'), end])],
      ['SQL name', mp, Buffer.concat([part('metadata', JSON.stringify({ ...modelDoc(), name: SQL })), part('file', Buffer.from(goodModel(2)), 'm.onnx'), end])],
      ['__proto__ metadata', mp, Buffer.concat([part('metadata', '{"__proto__":{"polluted":1},"name":"x"}'), part('file', Buffer.from(goodModel(2)), 'm.onnx'), end])],
      ['two files', mp, Buffer.concat([part('metadata', meta), part('file', Buffer.from('a'), 'a.onnx'), part('file', Buffer.from('b'), 'b.onnx'), end])],
      ['oversized file', mp, Buffer.concat([part('metadata', meta), part('file', Buffer.alloc(BODY_LIMIT + 1024, 1), 'm.onnx'), end])],
    ];
    for (const [name, headers, payload] of bodies) await send({ name, method: 'POST', url: '/v1/models', headers, payload });
    expect(failures).toEqual([]);
  }, 120_000);

  it('random JSON bodies (fast-check) never crash a route', async () => {
    const posts = ROUTES.filter((r) => r.startsWith('POST') && r !== 'POST /v1/models' && !r.includes('/rows'));
    const runs = 30;
    for (const route of posts) {
      const url = ROUTE_BODIES[route]?.url ?? route.slice(5);
      const keys = Object.keys(ROUTE_BODIES[route]?.valid ?? { query: 1, variables: 1 });
      // Objects over the route's own field names with arbitrary JSON values: far more likely to reach validation deep down.
      const body = fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom(...keys, '__proto__', SQL), fc.jsonValue({ maxDepth: 4 })));
      await fc.assert(
        fc.asyncProperty(body, async (b) => {
          const res = await t.app.inject({ method: 'POST', url, headers: { ...AUTH, 'content-type': 'application/json' }, payload: JSON.stringify(b) ?? 'null' });
          cases++;
          if (res.statusCode >= 500 || LEAK.test(res.body)) failures.push(`${route} fc: ${res.statusCode} ${JSON.stringify(b).slice(0, 200)} -> ${res.body.slice(0, 200)}`);
          return true;
        }),
        { numRuns: runs, seed: 6 },
      );
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('the service still answers, and no stored row changed', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    const after = await digest();
    const changed = [...after.keys()].filter((k) => before.get(k) !== after.get(k));
    expect(changed).toEqual([]);
    expect([...before.keys()].filter((k) => !after.has(k))).toEqual([]);
    expect([...after.keys()].filter((k) => !before.has(k))).toEqual([]);
    console.log(`bad-input suite: ${cases} cases, ${failures.length} failures, ${after.size} tables unchanged`);
  });
});
