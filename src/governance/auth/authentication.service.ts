import { Injectable, Logger } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ChangeFeed } from '../../common/changes/change-feed';
import { CommonError, CommonErrorCode } from '../../common/errors/common-error';
import { TesseraConfig } from '../../config/tessera-config';
import { looksLikeJwt, sha256Hex } from './api-key';
import { AuthRepository } from './auth.repository';
import { resolveBootstrapAdminKey } from './bootstrap-admin-key';
import { OidcVerifier } from './oidc-verifier';
import { BOOTSTRAP_ADMIN, Principal } from './principal';
import { TtlCache } from './ttl-cache';

export const MISSING_KEY_MESSAGE = 'missing Authorization: Bearer <api key>';
export const INVALID_KEY_MESSAGE = 'invalid API key';

/**
 * Who is calling, from the `Authorization: Bearer` header: the bootstrap admin key, an API key
 * (sha256 looked up in PostgreSQL and cached so the serving hot path does not query per request), or
 * an OIDC JWT when a JWKS is configured. The cache is emptied on every replica when a key, principal
 * or grant changes (the change feed's `principals` kind, ADR 0018); TESSERA_AUTH_CACHE_MS only bounds
 * a replica that could hear of no change at all.
 */
@Injectable()
export class AuthenticationService {
  private readonly logger = new Logger('Authentication');
  private readonly adminDigest: Buffer;
  /** HMAC key of portal session cookies (session.service.ts). */
  readonly sessionSecret: Buffer;
  private readonly cache: TtlCache<Principal>;
  /**
   * Bearer headers verified on this replica, by the header itself: a caller repeating its header is
   * known without hashing its key again (the serving hot path, issue 16). Emptied with the digest cache.
   */
  private readonly known: TtlCache<Principal>;
  private readonly oidc?: OidcVerifier;

  constructor(
    config: TesseraConfig,
    private readonly repo: AuthRepository,
    changes: ChangeFeed,
  ) {
    // Cheaper and safer than tracking which digests a principal's change touches: keys re-verify in one query each.
    changes.subscribe('principals', () => {
      this.cache.clear();
      this.known.clear();
    });
    const admin = resolveBootstrapAdminKey(config.adminKey, config.dataDir);
    if (admin.source === 'generated') this.logger.log(`generated the bootstrap admin key in ${admin.path} (mode 0600)`);
    else if (admin.source === 'file') this.logger.log(`bootstrap admin key: ${admin.path}`);
    this.adminDigest = Buffer.from(sha256Hex(admin.key), 'hex');
    // Replicas share the admin key, so a secret derived from it is shared too (TESSERA_SESSION_SECRET overrides).
    this.sessionSecret = createHmac('sha256', config.sessionSecret ?? admin.key)
      .update('tessera-portal-session-v1')
      .digest();
    this.cache = new TtlCache<Principal>(config.authCacheMs);
    this.known = new TtlCache<Principal>(config.authCacheMs, 1_000);
    const oidc = config.oidc;
    if (oidc) this.oidc = new OidcVerifier(oidc);
  }

  /**
   * The caller behind a bearer header this replica verified before and may still trust, synchronously;
   * undefined: call authenticate(). OIDC tokens are never remembered (each carries its own expiry).
   */
  knownCaller(authorization: string | undefined): Principal | undefined {
    return authorization === undefined ? undefined : this.known.get(authorization);
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw new CommonError(CommonErrorCode.UNAUTHENTICATED, MISSING_KEY_MESSAGE);
    const token = match[1];
    if (this.oidc && looksLikeJwt(token)) {
      const result = await this.oidc.verify(token);
      if (!result.principal) throw new CommonError(CommonErrorCode.UNAUTHENTICATED, `invalid token: ${result.reason}`);
      return result.principal;
    }
    const principal = await this.authenticateDigest(sha256Hex(token));
    this.known.set(authorization!, principal);
    return principal;
  }

  /** The caller behind a key digest (a session carries the digest, never the key): revoked keys fail here. */
  async authenticateDigest(digest: string): Promise<Principal> {
    // Digests of equal length: the comparison time does not depend on how much of the key matched.
    if (timingSafeEqual(Buffer.from(digest, 'hex'), this.adminDigest)) return BOOTSTRAP_ADMIN;
    const cached = this.cache.get(digest);
    if (cached) return cached;
    const found = await this.repo.principalByKeyDigest(digest);
    if (!found) throw new CommonError(CommonErrorCode.UNAUTHENTICATED, INVALID_KEY_MESSAGE);
    this.cache.set(digest, found.principal);
    return found.principal;
  }
}
