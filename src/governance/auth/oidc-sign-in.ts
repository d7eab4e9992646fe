import { Injectable } from '@nestjs/common';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import { CommonError, CommonErrorCode } from '../../common/errors/common-error';
import { TesseraConfig } from '../../config/tessera-config';
import { principalFromClaims, reasonOf } from './oidc-verifier';
import type { OidcSignInState, SessionPrincipal } from './session';

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

/** How long a browser may take at the identity provider before its sign-in state expires. */
const STATE_MS = 10 * 60_000;
const CALLBACK_PATH = '/v1/session/oidc/callback';
const b64 = (b: Buffer): string => b.toString('base64url');

/**
 * Portal sign-in through the organisation's identity provider (ADR 0024): authorization code flow
 * with PKCE (S256), state and nonce; the ID token is verified against the provider's keys, issuer
 * and this client's id, and its claims map to a principal exactly as a bearer token's do.
 */
@Injectable()
export class OidcSignIn {
  private readonly settings: TesseraConfig['oidcSignIn'];
  private discovery?: Promise<Discovery & { jwks: ReturnType<typeof createRemoteJWKSet> }>;

  constructor(config: TesseraConfig) {
    this.settings = config.oidcSignIn;
  }

  get enabled(): boolean {
    return this.settings !== undefined;
  }

  /** Where to send the browser, and the state it must bring back (kept in a signed cookie). */
  async begin(origin: string, returnTo: string | undefined): Promise<{ url: string; state: OidcSignInState }> {
    const s = this.required();
    const d = await this.discover();
    const state: OidcSignInState = { state: b64(randomBytes(16)), nonce: b64(randomBytes(16)), verifier: b64(randomBytes(32)), returnTo: safeReturnTo(returnTo), expiresAt: Date.now() + STATE_MS };
    const url = new URL(d.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: s.clientId,
      redirect_uri: this.redirectUri(origin),
      scope: 'openid profile email',
      state: state.state,
      nonce: state.nonce,
      code_challenge: b64(createHash('sha256').update(state.verifier).digest()),
      code_challenge_method: 'S256',
    }).toString();
    return { url: url.toString(), state };
  }

  /** The principal of a completed sign-in; a typed 401 naming what did not hold otherwise. */
  async complete(origin: string, query: { code?: string; state?: string; error?: string; error_description?: string }, saved: OidcSignInState | undefined): Promise<SessionPrincipal> {
    const s = this.required();
    if (query.error) throw refused(`the identity provider refused: ${query.error}${query.error_description ? ` (${query.error_description})` : ''}`);
    if (!saved) throw refused('the sign-in state is missing or expired: start again');
    if (!query.state || query.state !== saved.state) throw refused('state does not match this browser’s sign-in');
    if (!query.code) throw refused('the identity provider sent no code');
    const d = await this.discover();
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (s.clientSecret) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(s.clientId)}:${encodeURIComponent(s.clientSecret)}`).toString('base64')}`;
    const res = await fetch(d.token_endpoint, {
      method: 'POST',
      headers,
      body: new URLSearchParams({ grant_type: 'authorization_code', code: query.code, redirect_uri: this.redirectUri(origin), client_id: s.clientId, code_verifier: saved.verifier }),
      signal: AbortSignal.timeout(10_000),
    }).catch((err: Error) => {
      throw new CommonError(CommonErrorCode.SERVICE_UNAVAILABLE, `the identity provider's token endpoint did not answer: ${err.message}`);
    });
    const body = (await res.json().catch(() => ({}))) as { id_token?: unknown; error?: unknown };
    if (!res.ok || typeof body.id_token !== 'string') throw refused(`the token endpoint refused the code (${res.status}${typeof body.error === 'string' ? ` ${body.error}` : ''})`);
    let payload;
    try {
      ({ payload } = await jwtVerify(body.id_token, d.jwks, { issuer: s.issuer, audience: s.clientId, clockTolerance: 30 }));
    } catch (err) {
      throw refused(`ID token: ${reasonOf(err)}`);
    }
    if (payload.nonce !== saved.nonce) throw refused('ID token: nonce does not match this sign-in');
    const found = principalFromClaims(payload, s);
    if (!found.principal) throw refused(`ID token: ${found.reason}`);
    const { id, kind, displayName, roles } = found.principal;
    return { id, kind, displayName, roles };
  }

  private redirectUri(origin: string): string {
    return `${this.settings?.publicUrl ?? origin}${CALLBACK_PATH}`;
  }

  private required(): NonNullable<TesseraConfig['oidcSignIn']> {
    if (!this.settings) throw new CommonError(CommonErrorCode.NOT_FOUND, 'sign-in through an identity provider is not configured (TESSERA_OIDC_CLIENT_ID)');
    return this.settings;
  }

  /** The provider's discovery document, fetched once (a failure is not kept: the next sign-in asks again). */
  private discover(): Promise<Discovery & { jwks: ReturnType<typeof createRemoteJWKSet> }> {
    const issuer = this.required().issuer.replace(/\/+$/, '');
    this.discovery ??= (async () => {
      const res = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`discovery answered ${res.status}`);
      const d = (await res.json()) as Partial<Discovery>;
      if (!d.authorization_endpoint || !d.token_endpoint || !d.jwks_uri) throw new Error('discovery document lacks an endpoint');
      return { ...(d as Discovery), jwks: createRemoteJWKSet(new URL(d.jwks_uri), { timeoutDuration: 5000, cooldownDuration: 30_000 }) };
    })().catch((err: Error) => {
      this.discovery = undefined;
      throw new CommonError(CommonErrorCode.SERVICE_UNAVAILABLE, `the identity provider ${issuer} could not be reached: ${err.message}`);
    });
    return this.discovery;
  }
}

function refused(message: string): CommonError {
  return new CommonError(CommonErrorCode.UNAUTHENTICATED, `sign-in failed: ${message}`);
}

/** Only a path of this site: never an absolute or protocol-relative URL (an open redirect). */
export function safeReturnTo(returnTo: string | undefined): string {
  if (!returnTo || !returnTo.startsWith('/') || returnTo.startsWith('//') || returnTo.startsWith('/\\')) return '/';
  return returnTo.slice(0, 500);
}
