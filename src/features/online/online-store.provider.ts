import { Logger } from '@nestjs/common';
import { Socket } from 'node:net';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { TesseraConfig } from '../../config/tessera-config';
import type { OnlineStore } from './online-store';
import { PostgresOnlineStore } from './postgres-online-store';
import { connectBounded, createRedisClient } from './redis-connection';
import { RedisOnlineStore } from './redis-online-store';

const LOCAL_REDIS = { host: '127.0.0.1', port: 6379 };
const PROBE_MS = 200;

/** True when something accepts a TCP connection there within `timeoutMs`. */
export function probeTcp(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let settled = false;
    const done = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(ok);
    };
    // Timers run before I/O in an event loop turn: after a long synchronous stretch (start-up, a busy
    // test process) the timeout and a connection that did complete are both due, and the timeout
    // would win. setImmediate lets that turn's I/O (the connect) be heard first.
    socket.setTimeout(timeoutMs, () => setImmediate(() => done(false)));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

/**
 * `auto`: Redis when REDIS_URL / REDIS_CLUSTER_NODES is set or a Redis answers on 127.0.0.1:6379
 * (the docker-compose and developer default), else the PostgreSQL table, so a bare `npm start` works.
 */
export async function chooseOnlineBackend(config: TesseraConfig): Promise<'redis' | 'postgres'> {
  if (config.onlineStore !== 'auto') return config.onlineStore;
  if (config.redisUrl || config.redisClusterNodes) return 'redis';
  return (await probeTcp(LOCAL_REDIS.host, LOCAL_REDIS.port, PROBE_MS)) ? 'redis' : 'postgres';
}

/** The Nest factory of ONLINE_STORE. Never fails on an unreachable Redis: see connectBounded. */
export async function createOnlineStore(config: TesseraConfig, dataSource: DataSource): Promise<OnlineStore> {
  const logger = new Logger('OnlineStore');
  if ((await chooseOnlineBackend(config)) === 'postgres') {
    logger.log('online store: PostgreSQL table tessera.online_features');
    return new PostgresOnlineStore((dataSource.driver as unknown as { master: Pool }).master);
  }
  const client = createRedisClient({ url: config.redisUrl, clusterNodes: config.redisClusterNodes });
  const store = new RedisOnlineStore(client, config.redisPrefix);
  const connected = await connectBounded(client);
  const where = config.redisClusterNodes ? `cluster ${config.redisClusterNodes.map((n) => `${n.host}:${n.port}`).join(',')}` : redactUrl(config.redisUrl ?? 'redis://127.0.0.1:6379');
  if (connected) logger.log(`online store: Redis ${where}, key prefix ${config.redisPrefix}`);
  else logger.warn(`online store: Redis ${where} not reachable yet; online reads answer 503 until it is`);
  return store;
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
