import rateLimit from '@fastify/rate-limit';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Cluster, Redis } from 'ioredis';
import { CommonError, CommonErrorCode } from '../errors/common-error';

const OPEN_PATHS = new Set(['/health', '/ready']);
/**
 * How long a request waits for its counter before it is let through: short, so a frozen Redis
 * delays every request by this much at most (the online store's own timeout is for its reads).
 */
const LIMITER_TIMEOUT_MS = 300;

/** Requests per minute: the default, per role and per principal (0 anywhere: unlimited). */
export interface RateLimitPolicy {
  perMinute: number;
  roles: ReadonlyMap<string, number>;
  principals: ReadonlyMap<string, number>;
}

/** The parts of a principal the limiter reads (src/common imports no feature module). */
interface LimitedCaller {
  id: string;
  roles: readonly { role: string }[];
}

/**
 * A caller's limit per minute (Infinity: unlimited): its own entry if it has one, else the largest of
 * its roles' limits, else the default. A service holding `model_service` and `consumer` gets the
 * serving budget; callers without a principal (refused before a handler anyway) get the default.
 */
export function limitOf(caller: LimitedCaller | undefined, policy: RateLimitPolicy): number {
  const finite = (n: number) => (n === 0 ? Infinity : n);
  if (!caller) return finite(policy.perMinute);
  const own = policy.principals.get(caller.id);
  if (own !== undefined) return finite(own);
  let best: number | undefined;
  for (const { role } of caller.roles) {
    const limit = policy.roles.get(role);
    if (limit !== undefined) best = Math.max(best ?? 0, finite(limit));
  }
  return best ?? finite(policy.perMinute);
}

export interface RateLimitStore {
  /** The online store's Redis (its server; the limiter opens a connection of its own): counters shared by every replica. Absent: counters in this process. */
  redis?: Redis | Cluster;
  /** Key prefix of the counters (the service's Redis prefix plus `rl:`). */
  prefix: string;
}

/**
 * Requests per minute per principal, sized by its role or its own entry (the authentication hook has
 * run: the limiter works in preHandler), per IP for requests that reach a handler without one. With Redis the counters are
 * shared, so the limit holds across all replicas together (ADR 0018); without it each process
 * counts alone and behind N replicas a key gets up to N times the limit. A Redis that fails or
 * does not answer lets the request through (skipOnError): an outage of the limiter's store must
 * not turn every request into an error.
 */
export async function registerRateLimit(app: NestFastifyApplication, policy: RateLimitPolicy, store: RateLimitStore): Promise<void> {
  const limits = [policy.perMinute, ...policy.roles.values(), ...policy.principals.values()];
  if (limits.every((n) => n <= 0)) return;
  const logger = new Logger('RateLimit');
  const described = `${policy.perMinute || 'unlimited'}/min per principal${[...policy.roles].map(([role, n]) => `, ${role} ${n || 'unlimited'}`).join('')}${policy.principals.size > 0 ? `, ${policy.principals.size} principal(s) of their own` : ''}`;
  if (store.redis) logger.log(`rate limit: ${described}, counted in Redis (shared by all replicas), key prefix ${store.prefix}`);
  else logger.warn(`rate limit: ${described}, counted in this process only (no Redis): behind N replicas a principal gets up to N times the limit`);
  const redis = store.redis ? await limiterConnection(app, store.redis) : undefined;
  // Computed once per principal object (the authentication cache hands out the same object while it trusts a key).
  const known = new WeakMap<object, number>();
  const limitFor = (req: { principal?: LimitedCaller }): number => {
    const principal = req.principal;
    if (!principal) return limitOf(undefined, policy);
    let limit = known.get(principal);
    if (limit === undefined) known.set(principal, (limit = limitOf(principal, policy)));
    return limit;
  };
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    // Finite here: an unlimited caller is on the allow list and never counted (no Redis round trip).
    max: (req) => limitFor(req as { principal?: LimitedCaller }),
    timeWindow: 60_000,
    ...(redis ? { redis, nameSpace: store.prefix, skipOnError: true } : {}),
    keyGenerator: (req) => {
      const principal = (req as { principal?: { id: string } }).principal;
      return principal ? `p:${principal.id}` : `ip:${req.ip}`;
    },
    allowList: (req) => OPEN_PATHS.has(req.url.split('?')[0]) || limitFor(req as { principal?: LimitedCaller }) === Infinity,
    errorResponseBuilder: (_req, ctx) =>
      new CommonError(CommonErrorCode.RATE_LIMITED, `rate limit of ${ctx.max} requests per minute exceeded; retry in ${Math.ceil(ctx.ttl / 1000)} s`, {
        limit: ctx.max,
        retryAfterSeconds: Math.ceil(ctx.ttl / 1000),
      }),
  });
}

/** A connection to the online store's Redis with the limiter's short command timeout, closed with the server. */
async function limiterConnection(app: NestFastifyApplication, shared: Redis | Cluster): Promise<Redis | Cluster> {
  const client =
    (shared as Cluster).isCluster === true
      ? (shared as Cluster).duplicate(undefined, { redisOptions: { ...(shared as Cluster).options.redisOptions, commandTimeout: LIMITER_TIMEOUT_MS } })
      : (shared as Redis).duplicate({ commandTimeout: LIMITER_TIMEOUT_MS });
  client.on('error', () => undefined); // the online store's connection logs the outage already
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onClose', async () => void client.disconnect());
  // Bounded: an unreachable Redis must not hold up the start (requests pass until it answers).
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([client.connect().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 1000)))]);
  clearTimeout(timer);
  return client;
}
