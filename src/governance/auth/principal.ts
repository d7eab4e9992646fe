/**
 * Who is calling. Set on every authenticated request (`request.principal`) by the authentication hook
 * and read by resolvers and controllers through `@CurrentPrincipal()`.
 * Shared contract between the governance modules; extend, do not rename.
 */
export type Role = 'admin' | 'governance_lead' | 'governance_member' | 'domain_owner' | 'domain_member' | 'consumer' | 'model_service';

/** A role, scoped to one domain for governance_member, domain_owner and domain_member. */
export interface RoleGrant {
  role: Role;
  domain?: string;
}

export interface Principal {
  /** Stable id, e.g. `person:alice` or `service:fraud-scorer`; `admin` for the bootstrap key. */
  id: string;
  kind: 'person' | 'service';
  displayName: string;
  roles: RoleGrant[];
  /** How the caller proved who they are (absent on principals built outside authentication, e.g. in tests). */
  via?: 'bootstrap' | 'api_key' | 'oidc';
  /** The API key used, for the audit trail (never the key itself). */
  keyId?: string;
}

/** The bootstrap admin (TESSERA_ADMIN_KEY). */
export const BOOTSTRAP_ADMIN: Principal = Object.freeze({
  id: 'admin',
  kind: 'person',
  displayName: 'bootstrap admin',
  roles: [{ role: 'admin' }],
  via: 'bootstrap',
}) as Principal;
