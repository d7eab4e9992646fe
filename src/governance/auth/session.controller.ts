import { Controller, Delete, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiDoc } from '../../common/http/api-doc';
import { parseBody } from '../../common/http/parse-body';
import { TesseraConfig } from '../../config/tessera-config';
import { looksLikeJwt, sha256Hex } from './api-key';
import { CommonError, CommonErrorCode } from '../../common/errors/common-error';
import { AuthenticationService } from './authentication.service';
import { PublicRoute } from './authorize.decorator';
import { clearedSessionCookie, sessionCookie, signSession } from './session';

const signInBody = z.object({ apiKey: z.string().min(1, 'is required').max(512, 'is too long') }).strict();

/** Portal sign-in: an API key becomes an httpOnly session cookie, so the browser's script never holds it. */
@Controller('v1/session')
export class SessionController {
  constructor(
    private readonly authn: AuthenticationService,
    private readonly config: TesseraConfig,
  ) {}

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
