import type { FastifyInstance } from 'fastify';
import { toTesseraError } from '../../common/errors/to-tessera-error';
import type { AuditService } from '../audit/audit.service';
import type { AuthenticationService } from './authentication.service';
import type { Principal } from './principal';
import { isOpenRequest } from './open-requests';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set on every request but the open ones (open-requests.ts). */
    principal?: Principal;
  }
}

/**
 * Authenticates every request (onRequest, before body parsing, so an anonymous caller cannot make
 * the server read a large body) and records each refusal in the audit trail.
 */
export function registerAuthenticationHook(app: FastifyInstance, authn: AuthenticationService, audit: AuditService): void {
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0];
    if (isOpenRequest(request.method, request.url, request.headers.accept)) return;
    try {
      request.principal = await authn.authenticate(request.headers.authorization);
    } catch (err) {
      const { error } = toTesseraError(err);
      await audit.record({
        principalId: null,
        action: 'authenticate',
        resource: path.slice(0, 500),
        outcome: 'denied',
        reason: error.message,
        requestId: request.id,
        operation: `${request.method} ${path.slice(0, 500)}`,
      });
      throw err;
    }
  });
}
