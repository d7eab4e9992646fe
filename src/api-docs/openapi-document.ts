import { z } from 'zod';
import { ApiDocDeclaration, isRawBody } from '../common/http/api-doc';
import type { RestRoute } from './route-inventory';

type Json = Record<string, unknown>;

/** zod → JSON Schema 2020-12, the dialect of OpenAPI 3.1: what a client sends (input), transforms left out. */
function jsonSchema(schema: z.ZodType): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', description: 'stable error code, e.g. BAD_REQUEST, FORBIDDEN' }, message: { type: 'string' }, details: { description: 'per-field problems or the refused report' } },
    },
  },
};

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

function parameters(route: RestRoute, doc: ApiDocDeclaration): Json[] {
  const params: Json[] = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, description: doc.params?.[name] ?? name, schema: { type: 'string' } }));
  if (doc.query) {
    const schema = jsonSchema(doc.query) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, s] of Object.entries(schema.properties ?? {})) params.push({ name, in: 'query', required: (schema.required ?? []).includes(name), schema: s });
  }
  return params;
}

function operation(route: RestRoute, doc: ApiDocDeclaration): Json {
  const open = route.action === 'public';
  const ok = {
    description: 'OK',
    content: Object.fromEntries(['application/json', ...(doc.produces ?? [])].map((t) => [t, { schema: t === 'application/json' ? { type: 'object' } : { type: 'string', format: 'binary' } }])),
  };
  const responses: Json = { '200': ok };
  for (const [status, description] of Object.entries(doc.responses ?? {})) responses[status] = Number(status) < 300 ? { ...ok, description } : errorResponse(description);
  if (doc.body || doc.query || route.path.includes(':')) responses['400'] = errorResponse('invalid request: every problem named by field and reason; nothing changed');
  if (!open) {
    responses['401'] = errorResponse('no or an invalid key');
    responses['403'] = errorResponse(`the caller's roles do not allow ${route.action}`);
    responses['429'] = errorResponse('rate limited');
  }
  if (route.path.includes(':')) responses['404'] = errorResponse('not found');
  const op: Json = {
    operationId: route.handler.replace('.', '_'),
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [doc.tag],
    parameters: parameters(route, doc),
    responses,
    'x-tessera-action': route.action,
    ...(open ? { security: [] } : {}),
  };
  if (doc.body) {
    op.requestBody = isRawBody(doc.body)
      ? { required: true, description: doc.body.description, content: Object.fromEntries(doc.body.contentTypes.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) }
      : { required: true, content: { 'application/json': { schema: jsonSchema(doc.body) } } };
  }
  return op;
}

/** The GraphQL endpoint, described as what it is over HTTP; its schema is schema.graphql. */
function graphqlPaths(): Json {
  return {
    '/graphql': {
      get: {
        operationId: 'graphql_ide',
        summary: 'GraphQL IDE (GraphiQL, local assets) for a browser asking for text/html',
        tags: ['graphql'],
        security: [],
        responses: { '200': { description: 'the IDE page', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
      post: {
        operationId: 'graphql',
        summary: 'GraphQL queries and mutations (schema: schema.graphql)',
        tags: ['graphql'],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', required: ['query'], properties: { query: { type: 'string' }, variables: { type: 'object' }, operationName: { type: 'string' } } } } },
        },
        responses: { '200': { description: 'data and/or errors (each with extensions.code)', content: { 'application/json': { schema: { type: 'object' } } } }, '401': errorResponse('no or an invalid key') },
      },
    },
  };
}

/**
 * The OpenAPI 3.1 document of every REST route, generated at start-up from the controllers' own
 * declarations (@ApiDoc with the zod schemas the handlers parse with, @Authorize for the action).
 */
export function buildOpenApiDocument(routes: RestRoute[], version: string): Json {
  const paths = graphqlPaths() as Record<string, Json>;
  for (const route of routes) {
    if (!route.doc) throw new Error(`${route.method} ${route.path} (${route.handler}) has no @ApiDoc declaration`);
    const key = route.path.replace(/:(\w+)/g, '{$1}');
    paths[key] = { ...(paths[key] ?? {}), [route.method.toLowerCase()]: operation(route, route.doc) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tessera',
      version,
      description:
        'Data-mesh feature store and data product catalog. Every route but /health, /ready, /openapi.json and /docs needs `Authorization: Bearer <key>`. Discovery is also available over GraphQL (POST /graphql).',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: ['catalog', 'feature store', 'models', 'graphql', 'operations'].map((name) => ({ name })),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'an API key (tsk_…) or, with OIDC configured, a JWT' } },
      schemas: { Error: ERROR_SCHEMA },
    },
  };
}
