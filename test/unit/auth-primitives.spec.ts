import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiKey, looksLikeJwt, sha256Hex } from '../../src/governance/auth/api-key';
import { resolveBootstrapAdminKey } from '../../src/governance/auth/bootstrap-admin-key';
import { rolesFromClaim } from '../../src/governance/auth/oidc-verifier';
import { TtlCache } from '../../src/governance/auth/ttl-cache';
import { auditDigest } from '../../src/governance/audit/audit-entry';

describe('authentication primitives', () => {
  it('generates 256-bit keys with a short display prefix and a sha256 digest', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^tsk_[A-Za-z0-9_-]{43}$/);
    expect(a.key).not.toBe(b.key);
    expect(a.prefix).toBe(a.key.slice(0, 10));
    expect(a.sha256).toBe(sha256Hex(a.key));
    expect(looksLikeJwt(a.key)).toBe(false);
    expect(looksLikeJwt('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe(true);
  });

  it('expires cache entries after their ttl and evicts the least recently used beyond the size', () => {
    let now = 1000;
    const c = new TtlCache<string>(100, 2, () => now);
    c.set('a', 'A');
    c.set('b', 'B');
    expect(c.get('a')).toBe('A'); // a is now the most recently used
    c.set('c', 'C');
    expect([c.get('a'), c.get('b'), c.get('c')]).toEqual(['A', undefined, 'C']);
    now += 100;
    expect(c.get('a')).toBeUndefined();
    const off = new TtlCache<string>(0);
    off.set('x', 'X');
    expect(off.get('x')).toBeUndefined();
  });

  it('reads roles from an OIDC claim and ignores anything malformed', () => {
    expect(rolesFromClaim(['admin', 'domain_owner:rides', 'consumer:rides', 'domain_member', 'x:y:z', 'nobody', 7])).toEqual([{ role: 'admin' }, { role: 'domain_owner', domain: 'rides' }]);
    expect(rolesFromClaim('model_service governance_member:payments')).toEqual([{ role: 'model_service' }, { role: 'governance_member', domain: 'payments' }]);
    expect(rolesFromClaim(undefined)).toEqual([]);
    expect(rolesFromClaim({ role: 'admin' })).toEqual([]);
  });

  it('keeps the first bootstrap key written and refuses a file without a key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-bootstrap-'));
    const first = resolveBootstrapAdminKey(undefined, dir);
    expect(first.source).toBe('generated');
    expect(resolveBootstrapAdminKey(undefined, dir)).toEqual({ key: first.key, source: 'file', path: first.path });
    const broken = mkdtempSync(join(tmpdir(), 'tessera-bootstrap-'));
    writeFileSync(join(broken, 'admin-key'), 'short\n');
    expect(() => resolveBootstrapAdminKey(undefined, broken)).toThrow(/exists but holds no key/);
  });

  it('digests states as sha256 of their JSON, and nothing for undefined or cycles', () => {
    expect(auditDigest({ a: 1 })).toBe(sha256Hex('{"a":1}'));
    expect(auditDigest(undefined)).toBeNull();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(auditDigest(cyclic)).toBeNull();
  });
});
