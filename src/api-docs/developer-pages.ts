import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { ASSET_PREFIX, isGraphqlIdeRequest } from '../governance/auth/open-requests';

/**
 * The browser's files of the developer pages, served from the installed npm packages (never a CDN:
 * the service and its users may have no internet). Only these files: node_modules is not browsable.
 */
const ASSETS: Record<string, string> = {
  'react.production.min.js': 'react/umd/react.production.min.js',
  'react-dom.production.min.js': 'react-dom/umd/react-dom.production.min.js',
  'graphiql.min.js': 'graphiql/graphiql.min.js',
  'graphiql.min.css': 'graphiql/graphiql.min.css',
  'swagger-ui-bundle.js': 'swagger-ui-dist/swagger-ui-bundle.js',
  'swagger-ui.css': 'swagger-ui-dist/swagger-ui.css',
};

// The build is CommonJS (require resolves from this file); Jest runs the sources as ES modules, from the repository root.
const packageRequire: NodeJS.Require = typeof require === 'function' ? require : createRequire(resolve('package.json'));
const packageDir = (file: string): string => dirname(packageRequire.resolve(`${file.split('/')[0]}/package.json`));

/** The GraphiQL page: the key goes into the Headers tab, as a user types it. */
export const GRAPHIQL_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tessera GraphQL</title>
<link rel="stylesheet" href="${ASSET_PREFIX}graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="${ASSET_PREFIX}react.production.min.js"></script>
<script src="${ASSET_PREFIX}react-dom.production.min.js"></script>
<script src="${ASSET_PREFIX}graphiql.min.js"></script>
<script>
  // Every request needs a key: paste it in the Headers tab (kept in this browser's local storage).
  const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      defaultHeaders: JSON.stringify({ Authorization: 'Bearer <your API key>' }, null, 2),
      defaultQuery: '{ domains { name productCount } }',
    }),
  );
</script>
</body>
</html>
`;

/** The API reference of /openapi.json (Swagger UI); "Authorize" takes the key. */
export const API_REFERENCE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tessera REST API</title>
<link rel="stylesheet" href="${ASSET_PREFIX}swagger-ui.css">
</head>
<body>
<div id="reference"></div>
<script src="${ASSET_PREFIX}swagger-ui-bundle.js"></script>
<script>
  // validatorUrl null: Swagger UI would otherwise send the document to a public validator.
  SwaggerUIBundle({ url: '/openapi.json', dom_id: '#reference', validatorUrl: null, persistAuthorization: true, deepLinking: true });
</script>
</body>
</html>
`;

/**
 * Registers the local assets and the GraphQL IDE: a browser's GET /graphql (Accept: text/html, no
 * query) gets the page before Apollo sees the request, so its CSRF prevention (which rightly refuses
 * a GET operation without a preflight header) never applies to opening the IDE.
 */
export async function registerDeveloperPages(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const roots = [...new Set(Object.values(ASSETS).map((f) => join(packageDir(f), dirname(f.slice(f.indexOf('/') + 1)))))];
  const allowed = new Set(Object.keys(ASSETS));
  await fastify.register(fastifyStatic, {
    root: roots,
    prefix: ASSET_PREFIX,
    decorateReply: false,
    index: false,
    list: false,
    allowedPath: (path) => allowed.has(path.replace(/^\//, '')),
    maxAge: '1h',
  });
  // Callback style: every other request passes without a promise (issue 16); the IDE page is answered here.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!isGraphqlIdeRequest(request.method, request.url, request.headers.accept)) return done();
    void reply.type('text/html; charset=utf-8').send(GRAPHIQL_HTML);
  });
}
