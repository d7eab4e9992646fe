import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal, Role, RoleGrant } from './principal';

export interface ApiKeyRow {
  id: string;
  principalId: string;
  name: string | null;
  prefix: string;
  createdAt: Date;
  createdBy: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

export interface PrincipalRow extends Principal {
  createdAt: Date;
  createdBy: string;
}

interface RawGrant {
  role: Role;
  domain: string;
}

function grantsOf(raw: RawGrant[] | null): RoleGrant[] {
  return (raw ?? []).map((g) => (g.domain ? { role: g.role, domain: g.domain } : { role: g.role }));
}

const KEY_COLUMNS = `id, principal_id AS "principalId", name, prefix, created_at AS "createdAt", created_by AS "createdBy",
  expires_at AS "expiresAt", revoked_at AS "revokedAt", revoked_by AS "revokedBy"`;

const GRANTS_OF = (alias: string): string =>
  `COALESCE((SELECT jsonb_agg(jsonb_build_object('role', g.role, 'domain', g.domain) ORDER BY g.role, g.domain)
             FROM tessera.role_grants g WHERE g.principal_id = ${alias}.id), '[]'::jsonb)`;

/** Principals, their role grants and their API keys (digests only). */
@Injectable()
export class AuthRepository {
  constructor(private readonly ds: DataSource) {}

  /** The principal owning an unrevoked, unexpired key with this digest, with its roles; one round trip. */
  async principalByKeyDigest(sha256: string): Promise<{ keyId: string; principal: Principal } | null> {
    const rows: { key_id: string; id: string; kind: 'person' | 'service'; display_name: string; grants: RawGrant[] }[] = await this.ds.query(
      `SELECT k.id AS key_id, p.id, p.kind, p.display_name, ${GRANTS_OF('p')} AS grants
         FROM tessera.api_keys k JOIN tessera.principals p ON p.id = k.principal_id
        WHERE k.key_sha256 = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())`,
      [sha256],
    );
    const r = rows[0];
    if (!r) return null;
    return { keyId: r.key_id, principal: { id: r.id, kind: r.kind, displayName: r.display_name, roles: grantsOf(r.grants), via: 'api_key', keyId: r.key_id } };
  }

  async transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  async upsertPrincipal(m: EntityManager, p: { id: string; kind: string; displayName: string }, by: string): Promise<void> {
    await m.query(
      `INSERT INTO tessera.principals (id, kind, display_name, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name`,
      [p.id, p.kind, p.displayName, by],
    );
  }

  async principalKind(m: EntityManager, id: string): Promise<string | null> {
    const rows: { kind: string }[] = await m.query(`SELECT kind FROM tessera.principals WHERE id = $1`, [id]);
    return rows[0]?.kind ?? null;
  }

  /** Replaces every grant of the principal. */
  async setGrants(m: EntityManager, principalId: string, grants: RoleGrant[], by: string): Promise<void> {
    await m.query(`DELETE FROM tessera.role_grants WHERE principal_id = $1`, [principalId]);
    for (const g of grants) {
      await m.query(`INSERT INTO tessera.role_grants (principal_id, role, domain, granted_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [principalId, g.role, g.domain ?? '', by]);
    }
  }

  async insertKey(m: EntityManager, k: { principalId: string; name: string | null; prefix: string; sha256: string; createdBy: string; expiresAt: Date | null }): Promise<ApiKeyRow> {
    const rows: ApiKeyRow[] = await m.query(`INSERT INTO tessera.api_keys (principal_id, name, prefix, key_sha256, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${KEY_COLUMNS}`, [
      k.principalId,
      k.name,
      k.prefix,
      k.sha256,
      k.createdBy,
      k.expiresAt,
    ]);
    return rows[0];
  }

  async listKeys(principalId?: string, includeRevoked = true): Promise<ApiKeyRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (principalId) where.push(`principal_id = $${params.push(principalId)}`);
    if (!includeRevoked) where.push('revoked_at IS NULL');
    return this.ds.query(`SELECT ${KEY_COLUMNS} FROM tessera.api_keys ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id`, params);
  }

  /** Revokes a key once; returns its digest (to drop it from caches) and the row, or null when unknown. */
  async revokeKey(m: EntityManager, id: string, by: string): Promise<{ row: ApiKeyRow; sha256: string } | null> {
    const result: unknown = await m.query(
      `UPDATE tessera.api_keys SET revoked_at = COALESCE(revoked_at, now()), revoked_by = COALESCE(revoked_by, $2)
        WHERE id = $1 RETURNING ${KEY_COLUMNS}, key_sha256 AS sha256`,
      [id, by],
    );
    // TypeORM answers an UPDATE with [rows, affected count].
    const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as (ApiKeyRow & { sha256: string })[];
    const r = rows[0];
    if (!r) return null;
    const { sha256, ...row } = r;
    return { row, sha256 };
  }

  async listPrincipals(): Promise<PrincipalRow[]> {
    const rows: { id: string; kind: 'person' | 'service'; display_name: string; grants: RawGrant[]; created_at: Date; created_by: string }[] = await this.ds.query(
      `SELECT p.id, p.kind, p.display_name, ${GRANTS_OF('p')} AS grants, p.created_at, p.created_by FROM tessera.principals p ORDER BY p.id`,
    );
    return rows.map((r) => ({ id: r.id, kind: r.kind, displayName: r.display_name, roles: grantsOf(r.grants), createdAt: r.created_at, createdBy: r.created_by }));
  }
}
