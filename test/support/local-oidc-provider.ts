import Fastify, { type FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createHash, randomBytes } from 'node:crypto';

/**
 * A real OpenID provider on a local port for sign-in tests: discovery, JWKS, an authorize endpoint
 * whose user is signed in already and consents (straight back with a code), and a token endpoint that
 * checks the code, PKCE (S256) and the redirect URI, then signs an ID token with the nonce.
 */
export interface LocalOidcProvider {
  issuer: string;
  /** What the next sign-in looks like: the user's claims, a signature by a key not in the JWKS, a stale nonce. */
  next: { claims: Record<string, unknown>; foreignKey: boolean; nonce?: string };
  tokenRequests: { auth?: string; verifier: string }[];
  close(): Promise<void>;
}

export async function startLocalOidcProvider(claims: Record<string, unknown>): Promise<LocalOidcProvider> {
  const own = await generateKeyPair('RS256');
  const foreign = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(own.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { challenge: string; nonce: string; redirectUri: string; clientId: string }>();
  const idp: FastifyInstance = Fastify();
  const p: LocalOidcProvider = { issuer: '', next: { claims, foreignKey: false }, tokenRequests: [], close: () => idp.close() };
  idp.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));
  idp.get('/.well-known/openid-configuration', async () => ({ issuer: p.issuer, authorization_endpoint: `${p.issuer}/authorize`, token_endpoint: `${p.issuer}/token`, jwks_uri: `${p.issuer}/jwks` }));
  idp.get('/jwks', async () => ({ keys: [jwk] }));
  idp.get('/authorize', async (req, reply) => {
    const q = req.query as Record<string, string>;
    if (q.response_type !== 'code' || q.code_challenge_method !== 'S256' || !q.code_challenge || !q.nonce || !(q.scope ?? '').split(' ').includes('openid')) return reply.code(400).send('bad authorize request');
    const code = randomBytes(12).toString('hex');
    codes.set(code, { challenge: q.code_challenge, nonce: q.nonce, redirectUri: q.redirect_uri, clientId: q.client_id });
    return reply.redirect(`${q.redirect_uri}?${new URLSearchParams({ code, state: q.state }).toString()}`, 302);
  });
  idp.post('/token', async (req, reply) => {
    const b = req.body as Record<string, string>;
    p.tokenRequests.push({ auth: req.headers.authorization, verifier: b.code_verifier });
    const grant = codes.get(b.code);
    codes.delete(b.code); // one use
    const pkce =
      grant !== undefined &&
      createHash('sha256')
        .update(b.code_verifier ?? '')
        .digest('base64url') === grant.challenge;
    if (!grant || !pkce || b.redirect_uri !== grant.redirectUri || b.grant_type !== 'authorization_code') return reply.code(400).send({ error: 'invalid_grant' });
    const idToken = await new SignJWT({ ...p.next.claims, nonce: p.next.nonce ?? grant.nonce })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(p.issuer)
      .setAudience(grant.clientId)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(p.next.foreignKey ? foreign.privateKey : own.privateKey);
    return { id_token: idToken, access_token: 'opaque', token_type: 'Bearer', expires_in: 300 };
  });
  await idp.listen({ port: 0, host: '127.0.0.1' });
  p.issuer = `http://127.0.0.1:${(idp.server.address() as { port: number }).port}`;
  return p;
}
