import { Injectable } from '@nestjs/common';
import { ChangeFeed } from '../../common/changes/change-feed';
import { CommonError, CommonErrorCode } from '../../common/errors/common-error';
import { generateApiKey } from './api-key';
import { ApiKeyRow, AuthRepository, PrincipalRow } from './auth.repository';
import { DOMAIN_SCOPED_ROLES } from './authorize';
import type { Principal, RoleGrant } from './principal';

const PRINCIPAL_ID = /^(person|service):[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface NewPrincipal {
  id: string;
  kind: 'person' | 'service';
  displayName?: string | null;
}

/** Key management: principals, their role grants, and API keys whose secret is shown once. */
@Injectable()
export class ApiKeyService {
  constructor(
    private readonly repo: AuthRepository,
    private readonly changes: ChangeFeed,
  ) {}

  /**
   * Creates the principal when new (its display name is updated otherwise), replaces its grants
   * when `roles` is given, and issues a key. The key is returned here and never again.
   */
  async create(principal: NewPrincipal, roles: RoleGrant[] | undefined, opts: { name?: string | null; expiresAt?: Date | null }, by: Principal): Promise<{ key: string; apiKey: ApiKeyRow; principal: Principal }> {
    checkPrincipal(principal);
    if (roles) checkGrants(roles);
    if (opts.expiresAt && opts.expiresAt.getTime() <= Date.now()) throw new CommonError(CommonErrorCode.BAD_REQUEST, 'expiresAt must be in the future', [{ field: 'expiresAt', reason: 'must be in the future' }]);
    const generated = generateApiKey();
    const apiKey = await this.repo.transaction(async (m) => {
      const kind = await this.repo.principalKind(m, principal.id);
      if (kind !== null && kind !== principal.kind)
        throw new CommonError(CommonErrorCode.BAD_REQUEST, `principal ${principal.id} is a ${kind}, not a ${principal.kind}`, [{ field: 'principal.kind', reason: `must be ${kind}` }]);
      await this.repo.upsertPrincipal(m, { id: principal.id, kind: principal.kind, displayName: principal.displayName || principal.id }, by.id);
      if (roles) await this.repo.setGrants(m, principal.id, roles, by.id);
      const key = await this.repo.insertKey(m, { principalId: principal.id, name: opts.name ?? null, prefix: generated.prefix, sha256: generated.sha256, createdBy: by.id, expiresAt: opts.expiresAt ?? null });
      // Other keys of this principal may be cached with its old roles or display name, on every replica.
      await this.changes.publish(m, 'principals', principal.id);
      return key;
    });
    const stored = (await this.repo.listPrincipals()).find((p) => p.id === principal.id)!;
    return { key: generated.key, apiKey, principal: stored };
  }

  async setRoles(principalId: string, roles: RoleGrant[], by: Principal): Promise<PrincipalRow> {
    checkGrants(roles);
    await this.repo.transaction(async (m) => {
      if ((await this.repo.principalKind(m, principalId)) === null) throw new CommonError(CommonErrorCode.NOT_FOUND, `principal ${principalId} not found`);
      await this.repo.setGrants(m, principalId, roles, by.id);
      await this.changes.publish(m, 'principals', principalId);
    });
    return (await this.repo.listPrincipals()).find((p) => p.id === principalId)!;
  }

  list(principalId?: string, includeRevoked = true): Promise<ApiKeyRow[]> {
    return this.repo.listKeys(principalId, includeRevoked);
  }

  /** Revokes at once here; every other replica refuses the key as soon as it hears of the change (ADR 0018). */
  async revoke(id: string, by: Principal): Promise<ApiKeyRow> {
    if (!UUID.test(id)) throw new CommonError(CommonErrorCode.NOT_FOUND, `API key ${id} not found`);
    const revoked = await this.repo.transaction(async (m) => {
      const r = await this.repo.revokeKey(m, id, by.id);
      if (r) await this.changes.publish(m, 'principals', r.row.principalId);
      return r;
    });
    if (!revoked) throw new CommonError(CommonErrorCode.NOT_FOUND, `API key ${id} not found`);
    return revoked.row;
  }

  principals(): Promise<PrincipalRow[]> {
    return this.repo.listPrincipals();
  }
}

function checkPrincipal(p: NewPrincipal): void {
  if (!PRINCIPAL_ID.test(p.id) || !p.id.startsWith(`${p.kind}:`)) {
    throw new CommonError(CommonErrorCode.BAD_REQUEST, `principal.id must be ${p.kind}:<name> (letters, digits, . _ @ + -)`, [{ field: 'principal.id', reason: `must match ${p.kind}:<name>` }]);
  }
}

function checkGrants(roles: RoleGrant[]): void {
  const problems = roles.flatMap((g, i) => {
    if (DOMAIN_SCOPED_ROLES.has(g.role) && !g.domain) return [{ field: `roles.${i}.domain`, reason: `${g.role} needs a domain` }];
    if (!DOMAIN_SCOPED_ROLES.has(g.role) && g.domain) return [{ field: `roles.${i}.domain`, reason: `${g.role} is mesh-wide and takes no domain` }];
    return [];
  });
  if (problems.length > 0) throw new CommonError(CommonErrorCode.BAD_REQUEST, `invalid roles: ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`, problems);
}
