import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Cluster, Redis } from 'ioredis';
import { CommonError, CommonErrorCode } from '../errors/common-error';
import { LocalLeaseStore, RedisLeaseStore, TokenLeaseLimiter, type Verdict } from './token-lease-limiter';

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
 * run: the limiter works in preHandler), per IP for requests that reach a handler without one. With
 * Redis the counters are shared, so the limit holds across all replicas together (ADR 0018); each
 * replica leases blocks of tokens (TokenLeaseLimiter), so a busy caller costs one Redis round trip
 * per block instead of one per request (issue 16). Without Redis each process counts alone and
 * behind N replicas a key gets up to N times the limit. A Redis that fails or does not answer lets
 * requests through: an outage of the limiter's store must not turn every request into an error.
 */
export async function registerRateLimit(app: NestFastifyApplication, policy: RateLimitPolicy, store: RateLimitStore): Promise<void> {
  const limits = [policy.perMinute, ...policy.roles.values(), ...policy.principals.values()];
  if (limits.every((n) => n <= 0)) return;
  const logger = new Logger('RateLimit');
  const described = `${policy.perMinute || 'unlimited'}/min per principal${[...policy.roles].map(([role, n]) => `, ${role} ${n || 'unlimited'}`).join('')}${policy.principals.size > 0 ? `, ${policy.principals.size} principal(s) of their own` : ''}`;
  if (store.redis) logger.log(`rate limit: ${described}, counted in Redis (shared by all replicas), key prefix ${store.prefix}`);
  else logger.warn(`rate limit: ${described}, counted in this process only (no Redis): behind N replicas a principal gets up to N times the limit`);
  const redis = store.redis ? await limiterConnection(app, store.redis) : undefined;
  let warnedAt = 0;
  const limiter = new TokenLeaseLimiter(redis ? new RedisLeaseStore(redis) : new LocalLeaseStore(), store.prefix, Date.now, (err) => {
    if (Date.now() - warnedAt < 60_000) return;
    warnedAt = Date.now();
    logger.warn(`rate limit store unavailable (${err.message}): requests pass unchecked until it answers`);
  });
  // Computed once per principal object (the authentication cache hands out the same object while it trusts a key).
  const known = new WeakMap<object, number>();
  const limitFor = (req: { principal?: LimitedCaller }): number => {
    const principal = req.principal;
    if (!principal) return limitOf(undefined, policy);
    let limit = known.get(principal);
    if (limit === undefined) known.set(principal, (limit = limitOf(principal, policy)));
    return limit;
  };
  const answer = (reply: FastifyReply, limit: number, verdict: Verdict): void => {
    if ('unchecked' in verdict) return;
    const resetSeconds = Math.ceil(verdict.resetMs / 1000);
    if (!verdict.admitted) {
      void reply.header('retry-after', resetSeconds);
      throw new CommonError(CommonErrorCode.RATE_LIMITED, `rate limit of ${limit} requests per minute exceeded; retry in ${resetSeconds} s`, { limit, retryAfterSeconds: resetSeconds });
    }
    void reply.headers({ 'x-ratelimit-limit': limit, 'x-ratelimit-remaining': verdict.remaining, 'x-ratelimit-reset': resetSeconds });
  };
  // A plain hook, not a promise per request: a caller holding leased tokens is answered synchronously.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preHandler', (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
      const url = req.url;
      const q = url.indexOf('?');
      if (OPEN_PATHS.has(q < 0 ? url : url.slice(0, q))) return done();
      const caller = req as unknown as { principal?: LimitedCaller };
      const limit = limitFor(caller);
      if (limit === Infinity) return done(); // unlimited: never counted, no Redis round trip
      const key = caller.principal ? `p:${caller.principal.id}` : `ip:${req.ip}`;
      const verdict = limiter.check(key, limit);
      if (!(verdict instanceof Promise)) {
        try {
          answer(reply, limit, verdict);
        } catch (err) {
          return done(err as Error);
        }
        return done();
      }
      verdict.then(
        (v) => {
          try {
            answer(reply, limit, v);
            done();
          } catch (err) {
            done(err as Error);
          }
        },
        (err: Error) => done(err),
      );
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
