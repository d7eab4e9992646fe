import { createRemoteJWKSet, errors, JWTPayload, jwtVerify } from 'jose';
import type { Principal, Role, RoleGrant } from './principal';

export interface OidcSettings {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Claim holding the roles: an array (or space-separated string) of `role` or `role:domain`. */
  rolesClaim: string;
  /** Claim naming the caller (default `sub`). */
  principalClaim: string;
}

const ROLES: readonly Role[] = ['admin', 'governance_lead', 'governance_member', 'domain_owner', 'domain_member', 'consumer', 'model_service'];
const SCOPED: ReadonlySet<Role> = new Set<Role>(['governance_member', 'domain_owner', 'domain_member']);

/** Roles from the configured claim; unknown or malformed entries grant nothing (never fail open). */
export function rolesFromClaim(value: unknown): RoleGrant[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/\s+/) : [];
  const out: RoleGrant[] = [];
  for (const item of items) {
    if (typeof item !== 'string') continue;
    const [role, domain, ...rest] = item.split(':');
    if (rest.length > 0 || !(ROLES as readonly string[]).includes(role)) continue;
    const r = role as Role;
    if (SCOPED.has(r) !== Boolean(domain)) continue;
    out.push(domain ? { role: r, domain } : { role: r });
  }
  return out;
}

/**
 * Verifies bearer JWTs from an organisation's identity provider against its JWKS (fetched by jose,
 * cached and refreshed on an unknown `kid`), and maps the token to a principal. Tokens are
 * people unless they carry no `email`/`name` and name a client (`azp`/`client_id`) equal to the subject.
 */
export class OidcVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly settings: OidcSettings) {
    this.jwks = createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  }

  /** The principal of a valid token, or null with the reason it was refused. */
  async verify(token: string): Promise<{ principal: Principal } | { principal: null; reason: string }> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, { issuer: this.settings.issuer, audience: this.settings.audience, clockTolerance: 30 }));
    } catch (err) {
      return { principal: null, reason: reasonOf(err) };
    }
    return principalFromClaims(payload, this.settings);
  }
}

/** The principal a verified token (bearer or ID token) names, or null with why not. */
export function principalFromClaims(payload: JWTPayload, settings: Pick<OidcSettings, 'principalClaim' | 'rolesClaim'>): { principal: Principal } | { principal: null; reason: string } {
  const subject = payload[settings.principalClaim];
  if (typeof subject !== 'string' || subject.length === 0) return { principal: null, reason: `token has no ${settings.principalClaim} claim` };
  const client = payload.azp ?? payload.client_id;
  const isService = payload.email === undefined && payload.name === undefined && typeof client === 'string' && client === payload.sub;
  const kind = isService ? 'service' : 'person';
  const displayName = typeof payload.name === 'string' ? payload.name : typeof payload.email === 'string' ? payload.email : subject;
  return { principal: { id: `${kind}:${subject}`, kind, displayName, roles: rolesFromClaim(payload[settings.rolesClaim]), via: 'oidc' } };
}

export function reasonOf(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'token expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `token claim ${err.claim} is not acceptable`;
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWSSignatureVerificationFailed) return 'token signature does not verify';
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JOSEError) return `token could not be verified (${err.code})`;
  return 'token could not be verified';
}
