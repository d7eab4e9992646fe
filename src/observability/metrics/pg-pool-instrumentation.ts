import type { Pool, PoolClient } from 'pg';
import { MetricsService, secondsSince } from './metrics.service';

const INSTRUMENTED = Symbol('tessera.instrumented');
type Callback = (err: Error | null, result?: unknown) => void;
type QueryFn = (...args: unknown[]) => unknown;

/**
 * Times every query of the application pool, whichever path issued it (TypeORM's callback-style
 * queries, our pool.query calls): each client is wrapped once, when it is first checked out.
 * Submittables (COPY streams, cursors) pass through untimed: their "query" lasts as long as the
 * consumer reads. Also exports the pool's connection counts at scrape time.
 */
export function instrumentPgPool(pool: Pool, metrics: MetricsService): void {
  const tagged = pool as Pool & { [INSTRUMENTED]?: true };
  if (tagged[INSTRUMENTED]) return; // another app in this process shares the DataSource
  tagged[INSTRUMENTED] = true;

  const connect = pool.connect.bind(pool) as (cb?: (err: Error | undefined, client?: PoolClient, release?: () => void) => void) => unknown;
  (pool as unknown as { connect: typeof connect }).connect = (cb) => {
    if (cb) return connect((err, client, release) => cb(err, client && instrumentClient(client, metrics), release));
    return (connect() as Promise<PoolClient>).then((client) => instrumentClient(client, metrics));
  };

  metrics.poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
}

function instrumentClient(client: PoolClient, metrics: MetricsService): PoolClient {
  const tagged = client as PoolClient & { [INSTRUMENTED]?: true };
  if (tagged[INSTRUMENTED]) return client;
  tagged[INSTRUMENTED] = true;
  const query = client.query.bind(client) as QueryFn;
  const observe = (start: bigint, outcome: 'ok' | 'error'): void => metrics.postgresQueryDuration.observe({ outcome }, secondsSince(start));
  (client as unknown as { query: QueryFn }).query = (...args: unknown[]) => {
    const first = args[0] as { submit?: unknown } | undefined;
    if (first && typeof first.submit === 'function') return query(...args);
    const start = process.hrtime.bigint();
    const cbIndex = args.findIndex((a) => typeof a === 'function');
    if (cbIndex >= 0) {
      const cb = args[cbIndex] as Callback;
      args[cbIndex] = (err: Error | null, result?: unknown) => {
        observe(start, err ? 'error' : 'ok');
        cb(err, result);
      };
      return query(...args);
    }
    return (query(...args) as Promise<unknown>).then(
      (result) => {
        observe(start, 'ok');
        return result;
      },
      (err: unknown) => {
        observe(start, 'error');
        throw err;
      },
    );
  };
  return client;
}
