import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CommonError, CommonErrorCode } from '../../common/errors/common-error';
import { toTesseraError } from '../../common/errors/to-tessera-error';
import type { AuditService } from '../audit/audit.service';
import type { AuthenticationService } from './authentication.service';
import type { Principal } from './principal';
import { isOpenRequest } from './open-requests';
import { CSRF_HEADER, needsCsrfProof, sessionTokenOf, verifySession } from './session';

/**
 * The bearer header when present; else the portal's session cookie. A state-changing request made
 * with the cookie must carry the portal's custom header (a cross-site page cannot add one without a
 * CORS preflight, which this service never grants): the cookie's SameSite=Strict is the first lock.
 */
async function authenticateRequest(authn: AuthenticationService, request: FastifyRequest): Promise<Principal> {
  const token = request.headers.authorization ? undefined : sessionTokenOf(request.headers.cookie);
  if (token === undefined) return authn.authenticate(request.headers.authorization);
  if (needsCsrfProof(request.method) && request.headers[CSRF_HEADER] !== '1')
    throw new CommonError(CommonErrorCode.FORBIDDEN, `a ${request.method} request with the session cookie needs the ${CSRF_HEADER}: 1 header (cross-site request refused)`);
  const claims = verifySession(authn.sessionSecret, token);
  if (!claims) throw new CommonError(CommonErrorCode.UNAUTHENTICATED, 'the session has expired or is not valid: sign in again');
  if ('principal' in claims) return { ...claims.principal, via: 'oidc' };
  return authn.authenticateDigest(claims.digest);
}

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
  const refused = async (request: FastifyRequest, err: unknown): Promise<never> => {
    const path = request.url.split('?')[0];
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
  };
  // Callback style: a caller whose bearer header this replica verified before goes on without a promise (issue 16).
  app.addHook('onRequest', (request, _reply, done) => {
    if (isOpenRequest(request.method, request.url, request.headers.accept)) return done();
    const authorization = request.headers.authorization;
    const known = authorization ? authn.knownCaller(authorization) : undefined;
    if (known) {
      request.principal = known;
      return done();
    }
    authenticateRequest(authn, request)
      .then((principal) => {
        request.principal = principal;
      })
      .catch((err: unknown) => refused(request, err))
      .then(
        () => done(),
        (err: Error) => done(err),
      );
  });
}
