import { Logger } from '@nestjs/common';
import { Cluster, Redis, RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

export interface RedisTarget {
  url?: string;
  clusterNodes?: { host: string; port: number }[];
}

/**
 * Bounded everything, so a dead or hung Redis turns into a prompt 503 instead of a hanging request:
 * - connectTimeout: a SYN into the void fails in 1 s;
 * - commandTimeout: a server that accepted the connection but stopped answering fails the command;
 * - enableOfflineQueue false: while disconnected, commands fail at once instead of queueing until
 *   a reconnect that may never come (maxRetriesPerRequest bounds the in-flight ones);
 * - reconnection keeps trying in the background (capped back-off), so the store heals by itself.
 */
export const REDIS_TIMEOUTS = { connectTimeoutMs: 1000, commandTimeoutMs: 2000, startupWaitMs: 1500 } as const;

const retry = (times: number): number => Math.min(100 * 2 ** Math.min(times, 5), 2000);

function clientOptions(): RedisOptions {
  return {
    connectTimeout: REDIS_TIMEOUTS.connectTimeoutMs,
    commandTimeout: REDIS_TIMEOUTS.commandTimeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: retry,
    lazyConnect: true,
  };
}

export function createRedisClient(target: RedisTarget): RedisClient {
  const logger = new Logger('OnlineStore');
  let lastLogged = 0;
  const client: RedisClient = target.clusterNodes
    ? new Cluster(target.clusterNodes, {
        redisOptions: clientOptions(),
        enableOfflineQueue: false,
        // Per-slot MGETs and write scripts issued in one tick go out as one pipeline per node.
        enableAutoPipelining: true,
        clusterRetryStrategy: retry,
        slotsRefreshTimeout: REDIS_TIMEOUTS.connectTimeoutMs,
        lazyConnect: true,
      })
    : new Redis(target.url ?? 'redis://127.0.0.1:6379', clientOptions());
  client.on('error', (err: Error) => {
    // Reconnect attempts fail every couple of seconds while Redis is down: log at most every 30 s.
    if (Date.now() - lastLogged > 30_000) {
      lastLogged = Date.now();
      logger.warn(`Redis: ${err.message}`);
    }
  });
  return client;
}

/**
 * Starts connecting and waits a bounded time for it. Never throws: an unreachable Redis must not stop
 * the service from starting; requests get ONLINE_STORE_UNAVAILABLE and /ready says why until it heals.
 */
export async function connectBounded(client: RedisClient, waitMs: number = REDIS_TIMEOUTS.startupWaitMs): Promise<boolean> {
  const connecting = client.connect().then(
    () => true,
    () => false,
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), waitMs);
  });
  try {
    return await Promise.race([connecting, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function closeRedisClient(client: RedisClient): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect(); // quit needs a live connection; disconnect never waits
  }
}
