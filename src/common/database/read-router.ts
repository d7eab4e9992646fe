import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Where one heavy read went, and why (a bounded set: metric label values). */
export type ReadTarget = 'primary' | 'replica';
export type ReadReason = 'replica' | 'no_replica' | 'replica_down' | 'replica_lagging' | 'catch_up_timeout' | 'replica_error';

export interface ReadRoute {
  target: ReadTarget;
  reason: ReadReason;
  dataSource: DataSource;
}

export interface ReadReplicaOptions {
  /** DATABASE_READ_URL: a streaming (hot standby) replica of the primary. */
  url: string;
  /** Past this replay lag (last probe) reads skip the replica without waiting. */
  maxLagMs: number;
  /** How long a read waits for the replica to replay the primary's WAL position before it goes to the primary. */
  catchUpMs: number;
  /** Probe period of the lag and health check (0: only on demand, e.g. tests and /ready). */
  probeMs: number;
}

/** What the last probe found; read by /ready and /metrics. */
export interface ReplicaStatus {
  configured: boolean;
  /** host:port of DATABASE_READ_URL (never its credentials): the metrics label. */
  host: string;
  up: boolean;
  /** Bytes of the primary's WAL the replica has not replayed yet (null: unknown, replica down). */
  lagBytes: number | null;
  /** Seconds since the primary first had WAL the replica has not replayed, 0 when caught up (null: unknown). */
  lagSeconds: number | null;
  replayPaused: boolean;
  /** Why the replica is not used, when it is not. */
  problem: string | null;
}

/** SQLSTATE classes and pg/Node errors after which a read is retried on the primary. */
const RETRY_ON_PRIMARY = /^(08|57P0[1-3]$|40001$|53300$)/;
const CONNECTION_ERRORS = /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Connection terminated|timeout exceeded when trying to connect|not initialized|Client has encountered a connection error/i;

/** The replica did not answer a probe or catch-up check in time (a frozen server or network). */
export class ReplicaTimeoutError extends Error {}

/** `work`, or a ReplicaTimeoutError after `ms`: a replica that hangs must not hang /ready or a read. */
function bounded<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReplicaTimeoutError(`${what}: no answer in ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Bound on one probe of the replica (connect, or the lag query). */
const PROBE_TIMEOUT_MS = 2000;

/** A failure that says the replica cannot serve the read (down, restarting, or cancelled by replay), not that the read is wrong. */
export function isReplicaFailure(err: unknown): boolean {
  if (err instanceof ReplicaTimeoutError) return true;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown };
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code && (RETRY_ON_PRIMARY.test(code) || CONNECTION_ERRORS.test(code))) return true;
  if (typeof e?.message === 'string' && CONNECTION_ERRORS.test(e.message)) return true;
  return e?.driverError !== undefined && e.driverError !== err ? isReplicaFailure(e.driverError) : false;
}

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}`;
  } catch {
    return 'unknown';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Sends heavy reads (point-in-time retrieval, dataset exports, catalog search) to a read replica when
 * one is configured, healthy and current enough, and to the primary otherwise (ADR 0031).
 *
 * Read-your-writes without bookkeeping: before a read, the router takes the primary's WAL position
 * (pg_current_wal_lsn) and waits until the replica has replayed that far (pg_last_wal_replay_lsn),
 * at most `catchUpMs`. Everything committed before the read began, by any instance, is then visible
 * on the replica — a dataset just saved, an apply just made — at the cost of one primary round trip.
 * When the last probe found the replica more than `maxLagMs` behind, or down, reads go straight to
 * the primary. Writes never come here: they use the primary DataSource as before.
 */
export class ReadRouter {
  private replica?: DataSource;
  private connecting?: Promise<DataSource>;
  private timer?: NodeJS.Timeout;
  private probing?: Promise<ReplicaStatus>;
  private current: ReplicaStatus;
  /** Primary WAL positions seen by probes the replica had not yet replayed (for the lag in seconds). */
  private readonly samples: { lsn: bigint; at: number }[] = [];
  private readonly listeners: ((route: Omit<ReadRoute, 'dataSource'>) => void)[] = [];
  private readonly logger = new Logger('ReadRouter');

  constructor(
    readonly primary: DataSource,
    private readonly options?: ReadReplicaOptions,
  ) {
    this.current = { configured: options !== undefined, host: options ? hostOf(options.url) : '', up: false, lagBytes: null, lagSeconds: null, replayPaused: false, problem: options ? 'not probed yet' : null };
  }

  get configured(): boolean {
    return this.options !== undefined;
  }

  status(): ReplicaStatus {
    return { ...this.current };
  }

  /** Called for every routing decision (metrics). */
  onRoute(listener: (route: Omit<ReadRoute, 'dataSource'>) => void): void {
    this.listeners.push(listener);
  }

  /** First probe, then one every `probeMs`; never throws (a replica down at start-up is a degraded state, not a failure). */
  async start(): Promise<void> {
    if (!this.options) return;
    await this.probe();
    if (this.options.probeMs > 0) {
      this.timer = setInterval(() => void this.probe(), this.options.probeMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.probing?.catch(() => undefined);
    const replica = await this.connecting?.catch(() => undefined);
    if (replica?.isInitialized) await replica.destroy().catch(() => undefined);
  }

  /** Measures health and lag now (one probe at a time: concurrent callers share it). */
  probe(): Promise<ReplicaStatus> {
    if (!this.options) return Promise.resolve(this.status());
    this.probing ??= this.measure().finally(() => (this.probing = undefined));
    return this.probing;
  }

  /** Where a heavy read should run now (see the class comment). */
  async route(): Promise<ReadRoute> {
    const decided = await this.decide();
    for (const l of this.listeners) l({ target: decided.target, reason: decided.reason });
    return decided;
  }

  /**
   * Runs a heavy read where `route()` says; when the replica fails it (down, restarting, cancelled by a
   * replay conflict) the read runs again on the primary. Only for reads that are safe to repeat and have
   * handed nothing to their caller yet; a stream uses `route()` once at its start instead.
   */
  async read<T>(run: (ds: DataSource) => Promise<T>): Promise<T> {
    const route = await this.route();
    if (route.target === 'primary') return run(route.dataSource);
    try {
      return await run(route.dataSource);
    } catch (err) {
      if (!isReplicaFailure(err)) throw err;
      this.markDown(err);
      for (const l of this.listeners) l({ target: 'primary', reason: 'replica_error' });
      return run(this.primary);
    }
  }

  private async decide(): Promise<ReadRoute> {
    const primary = (reason: ReadReason): ReadRoute => ({ target: 'primary', reason, dataSource: this.primary });
    if (!this.options) return primary('no_replica');
    if (!this.current.up) return primary('replica_down');
    if (this.current.lagSeconds !== null && this.current.lagSeconds * 1000 > this.options.maxLagMs) return primary('replica_lagging');
    // Outside the try: a primary that fails here is the primary's failure, not the replica's.
    const [{ lsn }] = await this.primary.query<{ lsn: string }[]>('SELECT pg_current_wal_lsn()::text AS lsn');
    try {
      const deadline = Date.now() + this.options.catchUpMs;
      // The whole check answers within catch-up time plus one probe bound, even from a frozen replica.
      const left = () => Math.max(0, deadline - Date.now()) + PROBE_TIMEOUT_MS;
      const replica = await bounded(this.connect(), left(), 'read replica connect');
      for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
        // NULL: the server is not in recovery (a promoted replica, or the primary itself): nothing to wait for.
        const [{ caught }] = await bounded(replica.query<{ caught: boolean }[]>('SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, true) AS caught', [lsn]), left(), 'read replica catch-up check');
        if (caught) return { target: 'replica', reason: 'replica', dataSource: replica };
        if (Date.now() >= deadline) return primary('catch_up_timeout');
        await sleep(Math.min(wait, Math.max(1, deadline - Date.now())));
      }
    } catch (err) {
      if (!isReplicaFailure(err)) throw err;
      this.markDown(err);
      return primary('replica_down');
    }
  }

  private markDown(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    if (this.current.up) this.logger.warn(`read replica unavailable, heavy reads go to the primary: ${message}`);
    this.current = { ...this.current, up: false, lagBytes: null, lagSeconds: null, problem: `unavailable: ${message}` };
  }

  /** The replica's pool, opened on first use and again after a failed attempt (a replica down at start-up). */
  private connect(): Promise<DataSource> {
    if (this.replica?.isInitialized) return Promise.resolve(this.replica);
    this.connecting ??= (async () => {
      const ds = new DataSource({ ...this.primary.options, url: this.options!.url, applicationName: 'tessera-read' } as typeof this.primary.options);
      await ds.initialize();
      this.replica = ds;
      return ds;
    })();
    return this.connecting.catch((err: unknown) => {
      this.connecting = undefined;
      throw err;
    });
  }

  private async measure(): Promise<ReplicaStatus> {
    let lsn: string;
    try {
      [{ lsn }] = await this.primary.query<{ lsn: string }[]>('SELECT pg_current_wal_lsn()::text AS lsn');
    } catch {
      // The primary's own failure (/ready reports it as `database`): says nothing about the replica.
      return this.status();
    }
    const sampledAt = Date.now();
    try {
      const replica = await bounded(this.connect(), PROBE_TIMEOUT_MS, 'read replica connect');
      const [row] = await bounded(
        replica.query<{ replay: string | null; paused: boolean | null }[]>(`SELECT pg_last_wal_replay_lsn()::text AS replay, CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() END AS paused`),
        PROBE_TIMEOUT_MS,
        'read replica probe',
      );
      const primaryLsn = parseLsn(lsn);
      // NULL replay position: not in recovery (a promoted replica, or the primary itself), so never behind.
      const replay = row.replay === null ? primaryLsn : parseLsn(row.replay);
      const lagBytes = primaryLsn > replay ? Number(primaryLsn - replay) : 0;
      const lagSeconds = this.lagSeconds(primaryLsn, sampledAt, replay);
      const lagging = lagSeconds * 1000 > this.options!.maxLagMs;
      if (!this.current.up) this.logger.log(`read replica available (${lagBytes} bytes behind)`);
      this.current = {
        configured: true,
        host: this.current.host,
        up: true,
        lagBytes,
        lagSeconds,
        replayPaused: row.paused === true,
        problem: lagging ? `lagging: ${lagSeconds.toFixed(1)} s behind (bound ${this.options!.maxLagMs} ms)${row.paused ? ', replay paused' : ''}` : null,
      };
    } catch (err) {
      this.markDown(err);
    }
    return this.status();
  }

  /**
   * Lag in time, from the primary positions the probes saw: how long ago the primary first had WAL the
   * replica still has not replayed. (now() - pg_last_xact_replay_timestamp() would instead count the
   * idle time before the last write as lag.) As fine as the probe period.
   */
  private lagSeconds(primaryLsn: bigint, sampledAt: number, replay: bigint): number {
    this.samples.push({ lsn: primaryLsn, at: sampledAt });
    while (this.samples.length > 0 && this.samples[0].lsn <= replay) this.samples.shift();
    // Bounded memory even if a replica stays behind for days: the oldest unreplayed sample is kept.
    if (this.samples.length > MAX_SAMPLES) this.samples.splice(1, this.samples.length - MAX_SAMPLES);
    return this.samples.length === 0 ? 0 : Math.max(0, (Date.now() - this.samples[0].at) / 1000);
  }
}

const MAX_SAMPLES = 1000;

/** `16/B374D848` (pg_lsn text) as a byte position. */
function parseLsn(text: string): bigint {
  const [hi, lo] = text.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}
