import { type LocalOidcProvider, startLocalOidcProvider } from '../support/local-oidc-provider';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Portal sign-in through an identity provider (issue 12, ADR 0024): a real local OIDC provider
 * (discovery, JWKS, authorize, token with PKCE) and the service's redirect and callback routes.
 */
describe('portal sign-in with OIDC (authorization code + PKCE)', () => {
  let t: TestApp;
  let idp: LocalOidcProvider;
  let issuer: string;

  beforeAll(async () => {
    idp = await startLocalOidcProvider({ sub: 'dana', name: 'Dana Domain', tessera_roles: ['domain_owner:rides', 'consumer'] });
    issuer = idp.issuer;
    t = await startTestApp({
      TESSERA_REDIS_PREFIX: 't:oidc-signin:',
      TESSERA_OIDC_ISSUER: issuer,
      TESSERA_OIDC_CLIENT_ID: 'tessera-portal',
      TESSERA_OIDC_CLIENT_SECRET: 's3cret',
      TESSERA_OIDC_ROLES_CLAIM: 'tessera_roles',
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  const cookieOf = (setCookie: string | string[] | undefined, name: string): string | undefined =>
    ([] as string[])
      .concat(setCookie ?? [])
      .find((c) => c.startsWith(`${name}=`))
      ?.split(';')[0];

  /** The browser's round trip: to the provider and back; answers the callback's response. */
  async function signIn(returnTo: string, tamper: (callbackUrl: URL) => void = () => undefined, sendState = true) {
    const begin = await t.as(null).inject({ method: 'GET', url: `/v1/session/oidc?returnTo=${encodeURIComponent(returnTo)}` });
    expect(begin.statusCode).toBe(302);
    const state = cookieOf(begin.headers['set-cookie'], 'tessera_oidc');
    const atIdp = await fetch(begin.headers.location as string, { redirect: 'manual' });
    expect(atIdp.status).toBe(302);
    const back = new URL(atIdp.headers.get('location')!);
    tamper(back);
    return t.as(null).inject({ method: 'GET', url: `${back.pathname}${back.search}`, headers: sendState && state ? { cookie: state } : {} });
  }

  it('says the portal may sign in through the provider', async () => {
    const res = await t.as(null).inject({ method: 'GET', url: '/v1/session/options' });
    expect(res.json()).toEqual({ apiKey: true, oidc: true });
  });

  it('redirects with PKCE, state and nonce, keeps them in a Lax httpOnly cookie scoped to the sign-in routes', async () => {
    const begin = await t.as(null).inject({ method: 'GET', url: '/v1/session/oidc' });
    const url = new URL(begin.headers.location as string);
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ response_type: 'code', client_id: 'tessera-portal', code_challenge_method: 'S256', redirect_uri: 'http://localhost:80/v1/session/oidc/callback' });
    const cookie = ([] as string[]).concat(begin.headers['set-cookie'] ?? []).find((c) => c.startsWith('tessera_oidc='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/v1\/session\/oidc/);
  });

  it('signs in: a Strict session cookie for the principal of the ID token, back to the page the user came from', async () => {
    const done = await signIn('/products/rides-driver-stats');
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe('/products/rides-driver-stats');
    const session = cookieOf(done.headers['set-cookie'], 'tessera_session')!;
    expect(([] as string[]).concat(done.headers['set-cookie'] ?? []).find((c) => c.startsWith('tessera_session='))).toMatch(/HttpOnly.*SameSite=Strict|SameSite=Strict.*HttpOnly/);
    expect(idp.tokenRequests.at(-1)!.auth).toBe(`Basic ${Buffer.from('tessera-portal:s3cret').toString('base64')}`);
    const me = await t.as(null).inject({
      method: 'POST',
      url: '/graphql',
      headers: { cookie: session, 'content-type': 'application/json', 'x-tessera-csrf': '1' },
      payload: { query: '{ me { id kind displayName via roles { role domain } } }' },
    });
    expect(me.json().data.me).toEqual({
      id: 'person:dana',
      kind: 'person',
      displayName: 'Dana Domain',
      via: 'oidc',
      roles: [
        { role: 'domain_owner', domain: 'rides' },
        { role: 'consumer', domain: null },
      ],
    });
  });

  it('refuses a state that is not this browser’s, a missing state cookie, a foreign signature and a replayed nonce; each audited', async () => {
    const cases: [string, () => Promise<{ statusCode: number; headers: Record<string, unknown> }>][] = [
      ['state does not match', () => signIn('/', (u) => u.searchParams.set('state', 'forged'))],
      ['sign-in state is missing', () => signIn('/', undefined, false)],
      [
        'signature does not verify',
        async () => {
          idp.next.foreignKey = true;
          return signIn('/').finally(() => (idp.next.foreignKey = false));
        },
      ],
      [
        'nonce does not match',
        async () => {
          idp.next.nonce = 'an-old-nonce';
          return signIn('/').finally(() => (idp.next.nonce = undefined));
        },
      ],
    ];
    for (const [why, attempt] of cases) {
      const res = await attempt();
      expect(res.statusCode).toBe(302);
      const location = String(res.headers.location);
      expect(location.startsWith('/?signInError=')).toBe(true);
      expect(decodeURIComponent(location)).toContain(why);
      expect(String(res.headers['set-cookie'])).not.toContain('tessera_session=e');
    }
    const audit = await t.gql<{ auditLog: { reason: string }[] }>(`{ auditLog(filter: { action: "authenticate" }, limit: 20) { reason } }`);
    const reasons = (audit.data?.auditLog ?? []).map((a) => a.reason);
    for (const [why] of cases) expect(reasons.some((r) => r.includes(why))).toBe(true);
  });

  it('never redirects off the site after sign-in', async () => {
    for (const evil of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const done = await signIn(evil);
      expect(done.headers.location).toBe('/');
    }
  });
});

describe('portal sign-in without an identity provider configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TESSERA_REDIS_PREFIX: 't:oidc-off:' });
  });
  afterAll(async () => t?.close());

  it('offers API keys only, and the OIDC route answers 404', async () => {
    expect((await t.as(null).inject({ method: 'GET', url: '/v1/session/options' })).json()).toEqual({ apiKey: true, oidc: false });
    const res = await t.as(null).inject({ method: 'GET', url: '/v1/session/oidc' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toMatch(/TESSERA_OIDC_CLIENT_ID/);
  });
});
