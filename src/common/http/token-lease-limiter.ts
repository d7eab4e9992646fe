import type { Cluster, Redis } from 'ioredis';

/** Fixed windows of one minute, aligned to the clock, so every replica agrees on the window. */
export const WINDOW_MS = 60_000;

/**
 * Takes `block` tokens of a window's shared counter and says how many of them are within the limit:
 * INCRBY, then an expiry set once (a key lives one window plus a margin for clock skew).
 */
const LEASE_SCRIPT = `
local used = redis.call('INCRBY', KEYS[1], ARGV[1])
if used == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return used`;

/** Where a window's counters live: Redis (shared by every replica) or this process. */
export interface LeaseStore {
  /** Adds `n` to the window's counter and answers the new total. */
  take(key: string, n: number): Promise<number>;
}

export class RedisLeaseStore implements LeaseStore {
  constructor(private readonly redis: Redis | Cluster) {}

  async take(key: string, n: number): Promise<number> {
    return Number(await this.redis.eval(LEASE_SCRIPT, 1, key, n, WINDOW_MS + 5_000));
  }
}

export class LocalLeaseStore implements LeaseStore {
  private readonly counters = new Map<string, { window: number; used: number }>();

  take(key: string, n: number): Promise<number> {
    const window = Number(key.slice(key.lastIndexOf(':') + 1));
    let c = this.counters.get(key);
    if (!c) {
      // Forget finished windows when a new one starts (bounded by the callers of two windows).
      for (const [k, v] of this.counters) if (v.window < window - 1) this.counters.delete(k);
      this.counters.set(key, (c = { window, used: 0 }));
    }
    c.used += n;
    return Promise.resolve(c.used);
  }
}

/**
 * How many tokens a replica leases at a time for a limit: one per request up to 600/min (exact, as a
 * counter per request would be), then a 600th of the limit, at most 500. A replica leaves at most
 * block − 1 leased tokens unused at the end of a window, so the limit is never exceeded and at worst
 * under-used by replicas × (block − 1) requests per minute (0.17 % per replica).
 */
export function leaseBlock(limit: number): number {
  return Math.max(1, Math.min(500, Math.floor(limit / 600)));
}

interface KeyState {
  window: number;
  /** Leased tokens not yet spent. */
  tokens: number;
  /** The store said the window's limit is reached: refuse until the next window. */
  exhausted: boolean;
  /** The window's counter as the store last answered it. */
  used: number;
  leasing: Promise<void> | null;
}

export type Verdict = { admitted: true; remaining: number; resetMs: number } | { admitted: false; resetMs: number } | { admitted: true; unchecked: true };

/** After the store failed, how long requests pass without asking it (each attempt costs a timeout). */
const SUSPEND_MS = 1_000;

/**
 * A rate limiter that counts in a shared store without a round trip per request: each replica leases
 * blocks of tokens from the window's counter (one INCRBY per block) and spends them locally. The
 * store's counter only ever grows by granted-or-refused blocks, so the replicas together never admit
 * more than the limit per window. A store that fails lets requests through (unchecked) for a second,
 * then is asked again: an outage of the limiter's store must not turn every request into an error.
 */
export class TokenLeaseLimiter {
  private readonly keys = new Map<string, KeyState>();
  private suspendedUntil = 0;

  constructor(
    private readonly store: LeaseStore,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
    private readonly onStoreError: (err: Error) => void = () => undefined,
  ) {}

  /** Spends one token of `key` (synchronously when this replica holds one). */
  check(key: string, limit: number): Verdict | Promise<Verdict> {
    const now = this.now();
    const window = Math.floor(now / WINDOW_MS);
    const resetMs = (window + 1) * WINDOW_MS - now;
    let s = this.keys.get(key);
    if (!s || s.window !== window) {
      if (!s && this.keys.size > 100_000) this.forgetOld(window);
      s = { window, tokens: 0, exhausted: false, used: 0, leasing: null };
      this.keys.set(key, s);
    }
    if (s.tokens > 0) {
      s.tokens--;
      return { admitted: true, remaining: Math.max(0, limit - s.used) + s.tokens, resetMs };
    }
    if (s.exhausted) return { admitted: false, resetMs };
    if (now < this.suspendedUntil) return { admitted: true, unchecked: true };
    return this.leaseThenCheck(key, s, limit);
  }

  private async leaseThenCheck(key: string, s: KeyState, limit: number): Promise<Verdict> {
    // Concurrent requests of one key share one lease.
    s.leasing ??= this.lease(key, s, limit).finally(() => (s.leasing = null));
    const failed = await s.leasing.then(
      () => false,
      () => true,
    );
    if (failed) return { admitted: true, unchecked: true };
    return this.check(key, limit);
  }

  private async lease(key: string, s: KeyState, limit: number): Promise<void> {
    const block = leaseBlock(limit);
    let used: number;
    try {
      used = await this.store.take(`${this.prefix}${key}:${s.window}`, block);
    } catch (err) {
      this.suspendedUntil = this.now() + SUSPEND_MS;
      this.onStoreError(err as Error);
      throw err;
    }
    const granted = Math.max(0, Math.min(block, limit - (used - block)));
    s.used = Math.max(s.used, used);
    s.tokens += granted;
    if (granted < block) s.exhausted = true;
  }

  private forgetOld(window: number): void {
    for (const [k, v] of this.keys) if (v.window < window && !v.leasing) this.keys.delete(k);
  }
}
