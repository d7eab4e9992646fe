/**
 * The bad-input tables of the fuzz suite (issue 6 point 6): for every public route, requests that
 * are malformed, oversized, wrongly typed or hostile. Each must be answered with a 4xx.
 */
export interface BadRequest {
  name: string;
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  payload?: string | Buffer;
}

export const SQL = "x'; DROP TABLE tessera.data_products; --";
export const NUL = 'a\u0000b\u202e\ud83d\ude00';
export const BODY_LIMIT = 64 * 1024;

/** Every public route: `METHOD path` as Fastify registers it (the fuzz spec fails when one is missing here). */
export const ROUTES = [
  'GET /health',
  'GET /ready',
  'GET /metrics',
  'POST /graphql',
  'POST /get-online-features',
  'POST /push',
  'POST /materialize',
  'POST /materialize-incremental',
  'POST /v1/contracts/apply',
  'POST /v1/data-products/:productId/ports/:port/rows',
  'POST /v1/historical-features',
  'POST /v1/training-datasets',
  'GET /v1/training-datasets',
  'GET /v1/training-datasets/:name/versions/:version',
  'GET /v1/training-datasets/:name/versions/:version/rows',
  'GET /v1/retrieval-jobs/:id',
  'DELETE /v1/retrieval-jobs/:id',
  'POST /v1/retrieval-jobs/:id/cancel',
  'POST /v1/models',
  'GET /v1/models',
  'GET /v1/models/:name',
  'GET /v1/models/:name/versions/:version',
  'GET /v1/models/:name/bundle',
  'GET /v1/models/:name/versions/:version/bundle',
  'POST /v1/models/:name/predict',
  'POST /v1/models/federated-training',
  'GET /v1/models/:name/prediction-log',
  'POST /v1/models/:name/batch-scoring',
  'GET /v1/models/:name/batch-scoring',
  'GET /v1/models/:name/versions/:version/predictions-contract',
  'GET /v1/batch-scoring-jobs/:id',
  'GET /v1/data-products',
  'GET /v1/data-products/:productId',
  'GET /v1/contracts',
  'GET /v1/contracts/:id',
  'GET /v1/contracts/:id/versions',
  'GET /v1/feature-views',
  'GET /v1/feature-views/:name',
  'GET /openapi.json',
  'GET /docs',
  'POST /v1/session',
  'DELETE /v1/session',
  'GET /v1/session/options',
  'GET /v1/session/oidc',
  'GET /v1/session/oidc/callback',
] as const;

const json = (v: unknown): string => JSON.stringify(v);
const JSON_CT = { 'content-type': 'application/json' };

/** Bodies that no JSON route may accept. */
export function jsonBodies(extra: Record<string, unknown>): { name: string; payload: string | Buffer; headers: Record<string, string> }[] {
  const deep = '['.repeat(5000) + ']'.repeat(5000);
  return [
    { name: 'empty body', payload: '', headers: JSON_CT },
    { name: 'invalid JSON', payload: '{"features": [', headers: JSON_CT },
    { name: 'JSON null', payload: 'null', headers: JSON_CT },
    { name: 'JSON array', payload: '[1,2,3]', headers: JSON_CT },
    { name: 'JSON string', payload: '"hello"', headers: JSON_CT },
    { name: 'JSON number', payload: '42', headers: JSON_CT },
    { name: 'empty object', payload: '{}', headers: JSON_CT },
    { name: 'wrong types', payload: json({ features: 7, entities: 'x', feature_views: { a: 1 }, end_ts: 12, start_ts: true, name: 5, query: 1, files: 'x', df: 3, to: [] }), headers: JSON_CT },
    { name: 'extra fields + bad values', payload: json({ ...Object.fromEntries(Object.keys(extra).map((k) => [k, { nested: [null] }])), surprise: SQL }), headers: JSON_CT },
    { name: '__proto__ pollution', payload: '{"__proto__":{"isAdmin":true,"polluted":1},"constructor":{"prototype":{"polluted":1}}}', headers: JSON_CT },
    { name: 'SQL-looking strings', payload: json(Object.fromEntries(Object.keys(extra).map((k) => [k, SQL]))), headers: JSON_CT },
    { name: 'NUL and unicode', payload: json(Object.fromEntries(Object.keys(extra).map((k) => [k, NUL]))), headers: JSON_CT },
    { name: 'deeply nested JSON', payload: deep, headers: JSON_CT },
    { name: 'wrong content-type', payload: json(extra), headers: { 'content-type': 'application/xml' } },
    { name: 'form content-type', payload: 'a=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    { name: 'oversized body', payload: json({ pad: 'x'.repeat(BODY_LIMIT + 10) }), headers: JSON_CT },
    { name: 'invalid UTF-8', payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: JSON_CT },
  ];
}

const ids = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Semantically hostile bodies per JSON route (valid JSON, wrong content). */
export const ROUTE_BODIES: Record<string, { url: string; valid: Record<string, unknown>; hostile: Record<string, unknown>[] }> = {
  'POST /v1/session': {
    url: '/v1/session',
    valid: { apiKey: 'tsk_not-a-real-key' },
    hostile: [{ apiKey: 'x'.repeat(100_000) }, { apiKey: SQL }, { apiKey: NUL }, { apiKey: ['tsk_a', 'tsk_b'] }],
  },
  'POST /get-online-features': {
    url: '/get-online-features',
    valid: { features: ['customer_daily:spend'], entities: { customer_id: [1] } },
    hostile: [
      { features: ['customer_daily:spend'], entities: { customer_id: ids(10_001) } },
      { features: Array.from({ length: 1001 }, (_, i) => `v:f${i}`), entities: { customer_id: [1] } },
      { features: [SQL], entities: { customer_id: [1] } },
      { features: ['customer_daily:spend'], entities: { [SQL]: [1] } },
      { features: ['customer_daily:spend'], entities: { customer_id: [{ a: 1 }, [2], SQL] } },
      { features: ['customer_daily:spend'], entities: { customer_id: [1, 2], other: [1] } },
      { feature_service: SQL, entities: { customer_id: [1] } },
      { features: ['customer_daily:spend'], entities: {} },
      { features: ['customer_daily:spend'], entities: { customer_id: [1e308 * 10, -0, 2 ** 64] } },
    ],
  },
  'POST /push': {
    url: '/push',
    valid: { push_source_name: 'x', df: { customer_id: [1] }, to: 'online' },
    hostile: [
      { push_source_name: SQL, df: { customer_id: [1] }, to: 'online' },
      { push_source_name: 'customer_daily', df: { customer_id: ids(200_000) }, to: 'online' },
      { push_source_name: 'customer_daily', df: { customer_id: [1, 2], spend: [1] }, to: 'online' },
      { push_source_name: 'customer_daily', df: { customer_id: [SQL], event_timestamp: ['not a date'] }, to: 'online' },
      { push_source_name: 'customer_daily', df: { customer_id: [1] }, to: 'mars' },
      { push_source_name: 'customer_daily', df: [], to: 'offline' },
    ],
  },
  'POST /materialize': {
    url: '/materialize',
    valid: { start_ts: '2024-01-01T00:00:00Z', end_ts: '2024-01-02T00:00:00Z' },
    hostile: [
      { start_ts: SQL, end_ts: '2024-01-02T00:00:00Z' },
      { start_ts: '2024-01-03T00:00:00Z', end_ts: '2024-01-02T00:00:00Z', feature_views: [SQL] },
      { start_ts: '2024-01-01T00:00:00Z', end_ts: '2024-01-02T00:00:00Z', feature_views: ['nope', NUL] },
      { start_ts: '99999-01-01T00:00:00Z', end_ts: '2024-01-02T00:00:00Z' },
      { start_ts: '2024-01-01T00:00:00Z', end_ts: '2024-01-02T00:00:00Z', feature_views: Array.from({ length: 1001 }, (_, i) => `v${i}`) },
    ],
  },
  'POST /materialize-incremental': {
    url: '/materialize-incremental',
    valid: { end_ts: '2024-01-02T00:00:00Z' },
    hostile: [{ end_ts: SQL }, { end_ts: '2024-01-02T00:00:00Z', feature_views: [SQL] }, { end_ts: '0000-00-00T00:00:00Z' }, { end_ts: '2024-13-45T99:99:99Z' }],
  },
  'POST /v1/historical-features': {
    url: '/v1/historical-features',
    valid: { features: ['customer_daily:spend'], entities: { customer_id: [1], event_timestamp: ['2024-01-01T00:00:00Z'] } },
    hostile: [
      { features: [SQL], entities: { customer_id: [1], event_timestamp: ['2024-01-01T00:00:00Z'] } },
      { features: ['customer_daily:spend'], entities: { customer_id: [1], event_timestamp: [SQL] } },
      { features: ['customer_daily:spend'], entities: { customer_id: [SQL], event_timestamp: ['2024-01-01T00:00:00Z'] } },
      { features: ['customer_daily:spend'], entities: { customer_id: ids(2_000_001).slice(0, 0), event_timestamp: [] } },
      { features: ['customer_daily:spend'], entities: { customer_id: [1, 2], event_timestamp: ['2024-01-01T00:00:00Z'] } },
      // (An extra entity column named like SQL is passed through as data, as Feast does: not hostile.)
      { feature_service: NUL, entities: { customer_id: [1], event_timestamp: ['2024-01-01T00:00:00Z'] } },
      { features: ['customer_daily:spend'], entities: { customer_id: [1], event_timestamp: ['2024-01-01T00:00:00Z'] }, async: SQL },
      { features: ['customer_daily:spend'], entities_from: { dataProduct: SQL, outputPort: NUL, columns: [SQL] } },
      { features: ['customer_daily:spend'], entities_from: { dataProduct: 'x', outputPort: 'y', columns: [] }, async: true },
    ],
  },
  'POST /v1/training-datasets': {
    url: '/v1/training-datasets',
    valid: { name: 'ds', features: ['customer_daily:spend'], entities: { customer_id: [1], event_timestamp: ['2024-01-01T00:00:00Z'] } },
    hostile: [
      { name: SQL, features: ['customer_daily:spend'], entities: { customer_id: [1], event_timestamp: ['2024-01-01T00:00:00Z'] } },
      { name: NUL, features: ['customer_daily:spend'], entities: { customer_id: [1], event_timestamp: ['2024-01-01T00:00:00Z'] } },
      { name: 'ds', features: [SQL], entities: { customer_id: [1], event_timestamp: ['2024-01-01T00:00:00Z'] } },
      { name: 'x'.repeat(10_000), features: ['customer_daily:spend'], entities: { customer_id: [1], event_timestamp: ['2024-01-01T00:00:00Z'] } },
    ],
  },
  'POST /v1/models/:name/predict': {
    url: '/v1/models/customer_value/predict',
    valid: { entities: { customer_id: [1] } },
    hostile: [
      { entities: { customer_id: ids(10_001) } },
      { entities: { [SQL]: [1] } },
      { entities: { customer_id: [SQL, NUL] } },
      { entities: { customer_id: [1] }, request_features: { [SQL]: [1] } },
      { entities: { customer_id: [1] }, request_features: { x: [1, 2, 3] } },
      { entities: { customer_id: [1, 2] }, version: SQL },
      { entities: 'customer_id=1' },
    ],
  },
  'POST /v1/models/:name/batch-scoring': {
    url: '/v1/models/customer_value/batch-scoring',
    valid: { as_of: '2024-01-01T00:00:00Z', entities: { customer_id: [1] } },
    hostile: [
      { as_of: SQL },
      { as_of: '2024-13-45T99:99:99Z' },
      { version: SQL },
      { entities: { [SQL]: [1] } },
      { entities: { customer_id: [SQL, NUL, { a: 1 }] } },
      { entities: { customer_id: [] } },
      { entities: 'customer_id=1' },
    ],
  },
  'POST /v1/models/federated-training': {
    url: '/v1/models/federated-training',
    valid: { name: 'fed', version: '1.0.0', featureService: 'customer_value_v1', label: 'y', participants: [{ product: 'shop-customer-stats', port: 'daily' }] },
    hostile: [
      { name: SQL, version: '1.0.0', featureService: 'customer_value_v1', label: 'y', participants: [{ product: 'shop-customer-stats', port: 'daily' }] },
      { name: 'fed', version: '1.0.0', featureService: SQL, label: 'y', participants: [{ product: 'shop-customer-stats', port: 'daily' }] },
      { name: 'fed', version: '1.0.0', featureService: 'customer_value_v1', label: SQL, participants: [{ product: 'shop-customer-stats', port: 'daily' }] },
      { name: 'fed', version: '1.0.0', featureService: 'customer_value_v1', label: 'spend', participants: [{ product: SQL, port: NUL }] },
      { name: 'fed', version: '1.0.0', featureService: 'customer_value_v1', label: 'y', participants: [] },
      { name: 'fed', version: '1.0.0', featureService: 'customer_value_v1', label: 'y', participants: [{ product: 'shop-customer-stats', port: 'daily' }], epochs: 1e9 },
      { name: 'fed', version: '1.0.0', featureService: 'customer_value_v1', label: 'y', participants: [{ product: 'shop-customer-stats', port: 'daily' }], learningRate: -1 },
    ],
  },
  'POST /v1/contracts/apply': {
    url: '/v1/contracts/apply',
    valid: { files: [] },
    hostile: [],
  },
};

/** YAML and document payloads for POST /v1/contracts/apply (each as the content of one file). */
export function applyDocuments(): { name: string; content: string; validAsData?: boolean }[] {
  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 12; i++)
    laughs.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',')}]`,
    );
  return [
    { name: 'billion laughs', content: `apiVersion: tessera/v1\nkind: Entity\nname: lol\n${laughs.join('\n')}\n` },
    {
      name: 'alias bomb in known field',
      content: `x: &x [1,2,3,4,5,6,7,8,9,10]\ny: &y [*x,*x,*x,*x,*x,*x,*x,*x,*x,*x]\nz: &z [*y,*y,*y,*y,*y,*y,*y,*y,*y,*y]\nw: &w [*z,*z,*z,*z,*z,*z,*z,*z,*z,*z]\nv: &v [*w,*w,*w,*w,*w,*w,*w,*w,*w,*w]\nu: [*v,*v,*v,*v,*v,*v,*v,*v,*v,*v]\napiVersion: tessera/v1\nkind: Entity\nname: lol\njoinKeys: *v\n`,
    },
    { name: 'deep nesting', content: `apiVersion: tessera/v1\nkind: Entity\nname: deep\njoinKeys: ${'['.repeat(3000)}${']'.repeat(3000)}\n` },
    { name: 'deep flow map', content: `${'{a: '.repeat(2000)}1${'}'.repeat(2000)}\n` },
    {
      name: '__proto__ keys',
      validAsData: true,
      content: `apiVersion: tessera/v1\nkind: Entity\nname: proto\n__proto__: { polluted: true }\njoinKeys: [{ name: id, type: integer, __proto__: { isAdmin: true } }]\nconstructor: { prototype: { polluted: true } }\n`,
    },
    { name: 'SQL in names', content: `apiVersion: tessera/v1\nkind: Entity\nname: "${SQL}"\njoinKeys: [{ name: "${SQL}", type: integer }]\n` },
    {
      name: 'SQL in product id',
      validAsData: true,
      content: `apiVersion: v1.0.0\nkind: DataProduct\nid: "${SQL}"\nname: x\ndomain: "${SQL}"\nstatus: active\noutputPorts:\n  - { name: "${SQL}", version: 1.0.0, type: table, contractId: "${SQL}" }\n`,
    },
    {
      name: 'SQL in contract column',
      validAsData: true,
      content: `apiVersion: v3.1.0\nkind: DataContract\nid: sqlc\nversion: 1.0.0\nstatus: active\nschema:\n  - name: "${SQL}"\n    properties:\n      - { name: "${SQL}", logicalType: integer }\n`,
    },
    { name: 'NUL bytes', content: `apiVersion: tessera/v1\nkind: Entity\nname: "a\\0b"\njoinKeys: [{ name: "\\0", type: integer }]\n` },
    { name: 'invalid YAML', content: 'apiVersion: [unclosed\n  - : :\n\t\tkind' },
    { name: 'unknown kind', content: 'apiVersion: tessera/v1\nkind: Rocket\nname: x\n' },
    { name: 'wrong types', content: 'apiVersion: 3\nkind: [Entity]\nname: {a: 1}\njoinKeys: "no"\n' },
    { name: 'YAML tags', content: 'apiVersion: tessera/v1\nkind: Entity\nname: !!js/function "function(){return process.exit(1)}"\njoinKeys: !!binary AAAA\n' },
    { name: 'many documents', content: Array.from({ length: 5000 }, (_, i) => `apiVersion: tessera/v1\nkind: Entity\nname: e${i}\njoinKeys: "bad"`).join('\n---\n') },
  ];
}

/** GraphQL documents beyond the depth / complexity limits or simply wrong. */
export function graphqlQueries(): { name: string; body: unknown }[] {
  const deepSel = (d: number): string => (d === 0 ? 'name' : `__typename dataProducts { id ${deepSel(d - 1)} }`);
  return [
    { name: 'deep query', body: { query: `{ ${'dataProducts { outputPorts { '.repeat(20)}name${' } }'.repeat(20)} }` } },
    { name: 'deep nested selection', body: { query: `{ ${deepSel(30)} }` } },
    { name: 'wide query (aliases)', body: { query: `{${Array.from({ length: 2100 }, (_, i) => `a${i}:dataProducts{__typename}`).join(' ')}}` } },
    { name: 'oversized query', body: { query: `{ ${Array.from({ length: 3000 }, (_, i) => `a${i}: dataProducts { id name }`).join(' ')} }` } },
    { name: 'fragment cycle', body: { query: 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }' } },
    { name: 'syntax error', body: { query: '{ dataProducts { id ' } },
    { name: 'unknown field', body: { query: `{ ${SQL.replace(/[^a-z]/gi, '')} }` } },
    { name: 'SQL in argument', body: { query: 'query ($id: String!) { dataProduct(id: $id) { id } }', variables: { id: SQL } } },
    { name: 'wrong variable type', body: { query: 'query ($id: String!) { dataProduct(id: $id) { id } }', variables: { id: { a: 1 } } } },
    { name: 'query not a string', body: { query: 42 } },
    { name: 'no query', body: { variables: {} } },
    { name: 'variables not an object', body: { query: '{ __typename }', variables: 'x' } },
    { name: 'batched garbage', body: [1, 'x', null] },
    { name: 'huge variables', body: { query: 'query ($e: JSON!) { onlineFeatures(features: ["customer_daily:spend"], entities: $e) { __typename } }', variables: { e: { customer_id: ids(10_001) } } } },
    { name: 'mutation with SQL', body: { query: 'mutation ($n: String!) { deployModel(name: $n, version: "1.0.0") { production } }', variables: { n: SQL } } },
  ];
}

/** Bodies for the ingest route with the content type they claim. */
export function ingestBodies(): { name: string; payload: Buffer | string; contentType: string }[] {
  const arrowMagic = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x10, 0x00, 0x00, 0x00]);
  return [
    { name: 'arrow: random bytes', payload: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), contentType: 'application/vnd.apache.arrow.stream' },
    { name: 'arrow: truncated continuation', payload: Buffer.concat([arrowMagic, Buffer.alloc(4)]), contentType: 'application/vnd.apache.arrow.stream' },
    { name: 'arrow: huge metadata length', payload: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 2, 3]), contentType: 'application/vnd.apache.arrow.stream' },
    { name: 'arrow: empty', payload: Buffer.alloc(0), contentType: 'application/vnd.apache.arrow.stream' },
    { name: 'arrow: JSON body', payload: '{"a":1}', contentType: 'application/vnd.apache.arrow.stream' },
    { name: 'ndjson: garbage lines', payload: '{"customer_id": 1\nnot json\n[1,2]\n', contentType: 'application/x-ndjson' },
    { name: 'ndjson: wrong types', payload: `{"customer_id":"${SQL}","event_timestamp":"yesterday","spend":"lots"}\n`, contentType: 'application/x-ndjson' },
    { name: 'ndjson: __proto__', payload: '{"__proto__":{"polluted":1},"customer_id":1}\n', contentType: 'application/x-ndjson' },
    { name: 'ndjson: NUL bytes', payload: `{"customer_id":1,"event_timestamp":"2024-01-01T00:00:00Z","segment":"a\\u0000b"}\n`, contentType: 'application/x-ndjson' },
    { name: 'ndjson: empty', payload: '', contentType: 'application/x-ndjson' },
    { name: 'csv: garbage', payload: '"unclosed,quote\n1,2,3,4,5\n', contentType: 'text/csv' },
    { name: 'csv: SQL header', payload: `"${SQL.replace(/"/g, '""')}",customer_id\n1,2\n`, contentType: 'text/csv' },
    { name: 'csv: ragged rows', payload: 'customer_id,event_timestamp\n1\n2,2024-01-01,extra,extra\n', contentType: 'text/csv' },
    { name: 'unsupported content-type', payload: 'a,b', contentType: 'text/plain' },
    { name: 'oversized ndjson', payload: `${'{"customer_id":1}\n'.repeat(Math.ceil(BODY_LIMIT / 18) + 10)}`, contentType: 'application/x-ndjson' },
  ];
}
