import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CommonError, CommonErrorCode } from '../errors/common-error';

const OPEN_PATHS = new Set(['/health', '/ready']);

/**
 * Requests per minute per principal (the authentication hook has run: the limiter works in
 * preHandler), per IP for requests that reach a handler without one. Counters live in this
 * process: behind N instances a key gets up to N times the limit (see ADR 0009).
 */
export async function registerRateLimit(app: NestFastifyApplication, perMinute: number): Promise<void> {
  if (perMinute <= 0) return;
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => {
      const principal = (req as { principal?: { id: string } }).principal;
      return principal ? `p:${principal.id}` : `ip:${req.ip}`;
    },
    allowList: (req) => OPEN_PATHS.has(req.url.split('?')[0]),
    errorResponseBuilder: (_req, ctx) =>
      new CommonError(CommonErrorCode.RATE_LIMITED, `rate limit of ${ctx.max} requests per minute exceeded; retry in ${Math.ceil(ctx.ttl / 1000)} s`, { limit: ctx.max, retryAfterSeconds: Math.ceil(ctx.ttl / 1000) }),
  });
}
