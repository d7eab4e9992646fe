import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse, serialize } from 'cookie';
import type { Principal } from './principal';

/** The portal's session cookie (ADR 0024): httpOnly, SameSite=Strict, Secure when served over https. */
export const SESSION_COOKIE = 'tessera_session';
/** Sent by the portal on every request; a cross-site form or image cannot add a custom header. */
export const CSRF_HEADER = 'x-tessera-csrf';

/** A caller signed in through the organisation's identity provider, as the ID token named them. */
export type SessionPrincipal = Pick<Principal, 'id' | 'kind' | 'displayName' | 'roles'>;

/**
 * What a session token carries, and when it ends: the key's digest (never the key) for an API-key
 * sign-in, or the principal for an OIDC sign-in (ADR 0024: it holds until the session ends).
 */
export type SessionClaims = { digest: string; expiresAt: number } | { principal: SessionPrincipal; expiresAt: number };

const DIGEST = /^[0-9a-f]{64}$/;
const b64 = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/**
 * Stateless, signed session tokens: any replica verifies them with the shared secret, and each
 * request re-checks the key behind the digest (authentication cache, emptied by the change feed's
 * `principals` kind), so revoking the key ends every session made from it.
 */
export function signSession(secret: Buffer, claims: SessionClaims): string {
  const body = b64(JSON.stringify('digest' in claims ? { d: claims.digest, e: claims.expiresAt } : { p: claims.principal, e: claims.expiresAt }));
  return `${body}.${b64(createHmac('sha256', secret).update(body).digest())}`;
}

/** The claims of a well-signed, unexpired token; undefined for anything else. */
export function verifySession(secret: Buffer, token: string, now = Date.now()): SessionClaims | undefined {
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined) return undefined;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { d?: unknown; p?: SessionPrincipal; e?: unknown };
  if (typeof claims.e !== 'number' || claims.e <= now) return undefined;
  if (typeof claims.d === 'string' && DIGEST.test(claims.d)) return { digest: claims.d, expiresAt: claims.e };
  // Signed by us, so well-formed when the MAC holds; checked anyway in case of an old token shape.
  const p = claims.p;
  if (p && typeof p.id === 'string' && (p.kind === 'person' || p.kind === 'service') && typeof p.displayName === 'string' && Array.isArray(p.roles)) {
    return { principal: { id: p.id, kind: p.kind, displayName: p.displayName, roles: p.roles }, expiresAt: claims.e };
  }
  return undefined;
}

/** Sign-in state kept by the browser between leaving for the identity provider and coming back. */
export const OIDC_STATE_COOKIE = 'tessera_oidc';
const OIDC_STATE_PATH = '/v1/session/oidc';

export interface OidcSignInState {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  expiresAt: number;
}

export function signOidcState(secret: Buffer, s: OidcSignInState): string {
  const body = b64(JSON.stringify(s));
  return `${body}.${b64(createHmac('sha256', secret).update(`oidc.${body}`).digest())}`;
}

export function verifyOidcState(secret: Buffer, token: string | undefined, now = Date.now()): OidcSignInState | undefined {
  const [body, mac, extra] = (token ?? '').split('.');
  if (!body || !mac || extra !== undefined) return undefined;
  const expected = createHmac('sha256', secret).update(`oidc.${body}`).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const s = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as OidcSignInState;
  return s.expiresAt > now ? s : undefined;
}

/**
 * Lax, not Strict: the identity provider sends the browser back with a cross-site top-level GET,
 * on which a Strict cookie would be withheld. It opens nothing by itself (one state, ten minutes).
 */
export function oidcStateCookie(token: string, expiresAt: Date, secure: boolean): string {
  return serialize(OIDC_STATE_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: OIDC_STATE_PATH, expires: expiresAt });
}

export function clearedOidcStateCookie(secure: boolean): string {
  return serialize(OIDC_STATE_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure, path: OIDC_STATE_PATH, expires: new Date(0) });
}

export function oidcStateOf(cookieHeader: string | undefined): string | undefined {
  return cookieHeader ? parse(cookieHeader)[OIDC_STATE_COOKIE] : undefined;
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
