import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isPortalPageRequest, PORTAL_ASSET_PREFIX } from '../governance/auth/open-requests';

/** The portal's build output (web/, `npm run build`); TESSERA_PORTAL_DIR points elsewhere. */
export const portalDir = (): string => resolve(process.env.TESSERA_PORTAL_DIR ?? join('web', 'dist'));

/**
 * Serves the portal at / from its built files: hashed assets under /portal-assets/ (cached for a
 * year: their names change with their content) and index.html for its page routes (deep links).
 * Answered in onRequest, like the developer pages, so no wildcard route is declared that could
 * shadow an API route, and the OpenAPI inventory lists only the API. Returns false (and serves
 * nothing) when the portal was not built.
 */
export async function registerPortal(app: NestFastifyApplication): Promise<boolean> {
  const root = portalDir();
  if (!existsSync(join(root, 'index.html'))) return false;
  const fastify = app.getHttpAdapter().getInstance();
  // serve: false declares no route; the hook below calls reply.sendFile.
  await fastify.register(fastifyStatic, { root, serve: false, index: false, list: false });
  // Callback style: the API's requests (every one but the portal's) pass without a promise (issue 16).
  fastify.addHook('onRequest', (request, reply, done) => {
    const path = request.url.split('?')[0];
    let file: string | undefined;
    let cacheControl = 'no-cache';
    if ((request.method === 'GET' || request.method === 'HEAD') && path.startsWith(PORTAL_ASSET_PREFIX) && !path.includes('..')) {
      file = path.slice(1);
      cacheControl = 'public, max-age=31536000, immutable';
    } else if (isPortalPageRequest(request.method, request.url, request.headers.accept)) {
      file = 'index.html';
    }
    if (file === undefined) return done();
    // Answered here: the request goes no further (Fastify's early reply from a callback hook).
    void reply.header('cache-control', cacheControl).sendFile(file, root, { cacheControl: false });
  });
  return true;
}
