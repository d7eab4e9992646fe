import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { CommonError, CommonErrorCode } from '../errors/common-error';

const OPEN_PATHS = new Set(['/health', '/ready']);

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/**
 * Bearer-key check on every route but /health and /ready when TESSERA_ADMIN_KEY is set.
 * TODO(governance issue): replace with hashed per-principal API keys, roles and the authorization function.
 */
export function registerAdminKeyHook(app: FastifyInstance, adminKey: string | undefined): void {
  if (!adminKey) return;
  const expected = digest(adminKey);
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0];
    if (OPEN_PATHS.has(path)) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) throw new CommonError(CommonErrorCode.UNAUTHENTICATED, 'missing Authorization: Bearer <api key>');
    if (!timingSafeEqual(digest(match[1].trim()), expected)) {
      throw new CommonError(CommonErrorCode.UNAUTHENTICATED, 'invalid API key');
    }
  });
}
