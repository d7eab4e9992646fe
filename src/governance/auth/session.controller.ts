import { Controller, Delete, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiDoc } from '../../common/http/api-doc';
import { parseBody } from '../../common/http/parse-body';
import { TesseraConfig } from '../../config/tessera-config';
import { looksLikeJwt, sha256Hex } from './api-key';
import { CommonError, CommonErrorCode } from '../../common/errors/common-error';
import { AuthenticationService } from './authentication.service';
import { PublicRoute } from './authorize.decorator';
import { AuditService } from '../audit/audit.service';
import { toTesseraError } from '../../common/errors/to-tessera-error';
import { OidcSignIn } from './oidc-sign-in';
import { clearedOidcStateCookie, clearedSessionCookie, oidcStateCookie, oidcStateOf, sessionCookie, signOidcState, signSession, verifyOidcState } from './session';

const signInBody = z.object({ apiKey: z.string().min(1, 'is required').max(512, 'is too long') }).strict();

/** Portal sign-in: an API key becomes an httpOnly session cookie, so the browser's script never holds it. */
@Controller('v1/session')
export class SessionController {
  constructor(
    private readonly authn: AuthenticationService,
    private readonly config: TesseraConfig,
    private readonly oidc: OidcSignIn,
    private readonly audit: AuditService,
  ) {}

  @Get('options')
  @PublicRoute()
  @ApiDoc({ tag: 'auth', summary: 'How the portal may sign in: an API key always, the identity provider when configured' })
  options(): { apiKey: true; oidc: boolean } {
    return { apiKey: true, oidc: this.oidc.enabled };
  }

  @Get('oidc')
  @PublicRoute()
  @ApiDoc({
    tag: 'auth',
    summary: "Starts a portal sign-in at the organisation's identity provider (authorization code with PKCE): redirects there",
    responses: { 302: 'to the identity provider', 404: 'not configured' },
  })
  async oidcBegin(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query('returnTo') returnTo?: string): Promise<void> {
    const { url, state } = await this.oidc.begin(originOf(request), typeof returnTo === 'string' ? returnTo : undefined);
    void reply.header('set-cookie', oidcStateCookie(signOidcState(this.authn.sessionSecret, state), new Date(state.expiresAt), request.protocol === 'https'));
    void reply.redirect(url, 302);
  }

  @Get('oidc/callback')
  @PublicRoute()
  @ApiDoc({
    tag: 'auth',
    summary: 'Where the identity provider sends the browser back: verifies the ID token, sets the session cookie, redirects into the portal',
    responses: { 302: 'into the portal (with ?signInError=… when refused)' },
  })
  async oidcCallback(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, unknown>): Promise<void> {
    const secure = request.protocol === 'https';
    const saved = verifyOidcState(this.authn.sessionSecret, oidcStateOf(request.headers.cookie));
    const text = (k: string) => (typeof query[k] === 'string' ? query[k] : undefined);
    try {
      const principal = await this.oidc.complete(originOf(request), { code: text('code'), state: text('state'), error: text('error'), error_description: text('error_description') }, saved);
      const expiresAt = new Date(Date.now() + this.config.sessionHours * 3_600_000);
      void reply.header('set-cookie', [clearedOidcStateCookie(secure), sessionCookie(signSession(this.authn.sessionSecret, { principal, expiresAt: expiresAt.getTime() }), expiresAt, secure)]);
      void reply.redirect(saved!.returnTo, 302);
    } catch (err) {
      const { error } = toTesseraError(err);
      await this.audit.record({
        principalId: null,
        action: 'authenticate',
        resource: '/v1/session/oidc/callback',
        outcome: 'denied',
        reason: error.message,
        requestId: request.id,
        operation: 'GET /v1/session/oidc/callback',
      });
      void reply.header('set-cookie', clearedOidcStateCookie(secure));
      void reply.redirect(`/?signInError=${encodeURIComponent(error.message)}`, 302);
    }
  }

  @Post()
  @HttpCode(200)
  @PublicRoute()
  @ApiDoc({ tag: 'auth', summary: 'Signs in to the portal: exchanges an API key for an httpOnly, SameSite=Strict session cookie', body: signInBody, responses: { 401: 'the key is unknown, revoked or expired' } })
  async signIn(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ principal: { id: string; displayName: string }; expiresAt: string }> {
    const { apiKey } = parseBody(signInBody, request.body);
    if (looksLikeJwt(apiKey)) throw new CommonError(CommonErrorCode.BAD_REQUEST, 'apiKey: the portal signs in with an API key, not a token', [{ field: 'apiKey', reason: 'is a JWT' }]);
    const principal = await this.authn.authenticate(`Bearer ${apiKey}`);
    const expiresAt = new Date(Date.now() + this.config.sessionHours * 3_600_000);
    const token = signSession(this.authn.sessionSecret, { digest: sha256Hex(apiKey), expiresAt: expiresAt.getTime() });
    void reply.header('set-cookie', sessionCookie(token, expiresAt, request.protocol === 'https'));
    return { principal: { id: principal.id, displayName: principal.displayName }, expiresAt: expiresAt.toISOString() };
  }

  @Delete()
  @HttpCode(204)
  @PublicRoute()
  @ApiDoc({ tag: 'auth', summary: 'Signs out of the portal: clears the session cookie', responses: { 204: 'signed out' } })
  signOut(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): void {
    void reply.header('set-cookie', clearedSessionCookie(request.protocol === 'https'));
  }
}

/** This service's origin as the browser sees it (TESSERA_PUBLIC_URL overrides it in the redirect URI). */
function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
