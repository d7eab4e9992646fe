import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { portalDir } from '../../src/portal/portal-pages';
import { SESSION_COOKIE, signSession } from '../../src/governance/auth/session';
import { AuthenticationService } from '../../src/governance/auth/authentication.service';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { ensurePortalBuilt } from '../support/portal-build';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Portal sign-in (ADR 0024): an API key becomes an httpOnly, SameSite=Strict session cookie; the
 * cookie authenticates reads, writes need the CSRF header, revoking the key ends the session; and
 * the portal's files are served at / without a key, never in place of an API route.
 */
describe('portal session and serving', () => {
  let t: TestApp;
  let consumerKey: string;
  let consumerKeyId: string;

  beforeAll(async () => {
    ensurePortalBuilt();
    t = await startTestApp({ TESSERA_REDIS_PREFIX: 't:portal-session:' });
    const created = await t.gql<{ createApiKey: { key: string; apiKey: { id: string } } }>(
      `mutation($p: PrincipalInput!, $r: [RoleGrantInput!]) { createApiKey(principal: $p, roles: $r, name: "portal") { key apiKey { id } } }`,
      { p: { id: 'person:pia', kind: 'person', displayName: 'Pia' }, r: [{ role: 'consumer' }] },
    );
    expect(created.errors).toBeUndefined();
    consumerKey = created.data!.createApiKey.key;
    consumerKeyId = created.data!.createApiKey.apiKey.id;
  }, 60_000);
  afterAll(async () => {
    await t?.app.get<OnlineStore>(ONLINE_STORE).deleteAll(); // the rate limiter's keys under this suite's prefix
    await t?.close();
  });

  const anonymous = () => t.as(null);
  const signIn = async (apiKey: unknown) => anonymous().inject({ method: 'POST', url: '/v1/session', payload: { apiKey } });
  const cookieOf = (setCookie: string | string[] | undefined): string => {
    const line = Array.isArray(setCookie) ? setCookie[0] : (setCookie ?? '');
    return line.split(';')[0];
  };
  const viewer = (cookie: string, headers: Record<string, string> = { 'x-tessera-csrf': '1' }) =>
    anonymous().inject({ method: 'POST', url: '/graphql', headers: { cookie, 'content-type': 'application/json', ...headers }, payload: { query: '{ viewer { principal { id } permissions } }' } });

  it('exchanges a key for an httpOnly SameSite=Strict cookie that answers viewer with the principal and its permissions', async () => {
    const res = await signIn(consumerKey);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ principal: { id: 'person:pia' } });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toMatch(/Secure/); // plain http here; https gets Secure
    expect(setCookie).not.toContain(consumerKey);
    const answer = (await viewer(cookieOf(res.headers['set-cookie']))).json();
    expect(answer.data.viewer.principal.id).toBe('person:pia');
    expect(answer.data.viewer.permissions).toContain('agreements.request');
    expect(answer.data.viewer.permissions).not.toContain('keys.manage');
  });

  it('marks the cookie Secure behind https', async () => {
    const res = await anonymous().inject({ method: 'POST', url: '/v1/session', headers: { 'x-forwarded-proto': 'https' }, payload: { apiKey: consumerKey } });
    expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
  });

  it('refuses a bad key, a missing key and a JWT, naming the field, and sets no cookie', async () => {
    const wrong = await signIn('not-a-key-of-anyone');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const missing = await anonymous().inject({ method: 'POST', url: '/v1/session', payload: {} });
    expect(missing.statusCode).toBe(400);
    expect(JSON.stringify(missing.json())).toContain('apiKey');
    const jwt = await signIn('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln');
    expect(jwt.statusCode).toBe(400);
    expect(jwt.json().error.details[0]).toMatchObject({ field: 'apiKey' });
  });

  it('refuses a state-changing request made with the cookie but without the CSRF header', async () => {
    const cookie = cookieOf((await signIn(consumerKey)).headers['set-cookie']);
    const res = await viewer(cookie, {});
    expect(res.statusCode).toBe(403);
    expect(JSON.stringify(res.json())).toContain('x-tessera-csrf');
  });

  it('refuses a tampered or expired token', async () => {
    const cookie = cookieOf((await signIn(consumerKey)).headers['set-cookie']);
    const tampered = cookie.slice(0, -3) + (cookie.endsWith('AAA') ? 'BBB' : 'AAA');
    expect((await viewer(tampered)).statusCode).toBe(401);
    const secret = t.app.get(AuthenticationService).sessionSecret;
    const expired = signSession(secret, { digest: 'a'.repeat(64), expiresAt: Date.now() - 1000 });
    const res = await viewer(`${SESSION_COOKIE}=${expired}`);
    expect(res.statusCode).toBe(401);
    expect(JSON.stringify(res.json())).toMatch(/expired/);
  });

  it('sign-out clears the cookie', async () => {
    const res = await anonymous().inject({ method: 'DELETE', url: '/v1/session' });
    expect(res.statusCode).toBe(204);
    expect(String(res.headers['set-cookie'])).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Expires=Thu, 01 Jan 1970`));
  });

  it('revoking the key ends its sessions', async () => {
    const cookie = cookieOf((await signIn(consumerKey)).headers['set-cookie']);
    expect((await viewer(cookie)).statusCode).toBe(200);
    const revoked = await t.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: consumerKeyId });
    expect(revoked.errors).toBeUndefined();
    expect((await viewer(cookie)).statusCode).toBe(401);
  });

  it('serves the portal at / and its deep links without a key; API routes stay API routes', async () => {
    const html = { accept: 'text/html,application/xhtml+xml' };
    for (const url of [
      '/',
      '/search?q=x',
      '/products/rides-driver-stats',
      '/lineage/rides-trips',
      '/features',
      '/features/driver_hourly_stats',
      '/models/driver_risk',
      '/governance',
      '/design',
      '/design/rides-driver-stats',
    ]) {
      const res = await anonymous().inject({ method: 'GET', url, headers: html });
      expect([url, res.statusCode]).toEqual([url, 200]);
      expect(res.body).toContain('<div id="root">');
    }
    const script = /src="(\/portal-assets\/[^"]+\.js)"/.exec((await anonymous().inject({ method: 'GET', url: '/', headers: html })).body)![1];
    const asset = await anonymous().inject({ method: 'GET', url: script });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    // Data still needs a caller; API paths are never answered with the page.
    expect((await anonymous().inject({ method: 'GET', url: '/v1/data-products', headers: html })).statusCode).toBe(401);
    expect((await anonymous().inject({ method: 'GET', url: '/metrics', headers: html })).statusCode).toBe(401);
    expect((await anonymous().inject({ method: 'GET', url: '/v1/nothing-here', headers: html })).body).not.toContain('<div id="root">');
    expect((await anonymous().inject({ method: 'GET', url: '/portal-assets/../package.json' })).statusCode).not.toBe(200);
    expect(existsSync(join(portalDir(), 'index.html'))).toBe(true);
  });
});
