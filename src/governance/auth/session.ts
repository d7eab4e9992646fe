import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse, serialize } from 'cookie';

/** The portal's session cookie (ADR 0024): httpOnly, SameSite=Strict, Secure when served over https. */
export const SESSION_COOKIE = 'tessera_session';
/** Sent by the portal on every request; a cross-site form or image cannot add a custom header. */
export const CSRF_HEADER = 'x-tessera-csrf';

/** What a session token carries: the key's digest (never the key), and when it ends. */
export interface SessionClaims {
  digest: string;
  expiresAt: number;
}

const DIGEST = /^[0-9a-f]{64}$/;
const b64 = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/**
 * Stateless, signed session tokens: any replica verifies them with the shared secret, and each
 * request re-checks the key behind the digest (authentication cache, emptied by the change feed's
 * `principals` kind), so revoking the key ends every session made from it.
 */
export function signSession(secret: Buffer, claims: SessionClaims): string {
  const body = b64(JSON.stringify({ d: claims.digest, e: claims.expiresAt }));
  return `${body}.${b64(createHmac('sha256', secret).update(body).digest())}`;
}

/** The claims of a well-signed, unexpired token; undefined for anything else. */
export function verifySession(secret: Buffer, token: string, now = Date.now()): SessionClaims | undefined {
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined) return undefined;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { d?: unknown; e?: unknown };
  if (typeof claims.d !== 'string' || !DIGEST.test(claims.d) || typeof claims.e !== 'number' || claims.e <= now) return undefined;
  return { digest: claims.d, expiresAt: claims.e };
}

export function sessionTokenOf(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  return parse(cookieHeader)[SESSION_COOKIE];
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure, path: '/', expires: expiresAt });
}

export function clearedSessionCookie(secure: boolean): string {
  return serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', secure, path: '/', expires: new Date(0) });
}

/** Reads are safe; anything else made with the cookie must prove it comes from the portal's own script. */
export function needsCsrfProof(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}
