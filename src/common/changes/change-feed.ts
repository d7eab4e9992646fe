import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { EntitySubscriberInterface, QueryRunner } from 'typeorm';
import { CHANGE_CHANNEL, ChangeKind, isChangeKind } from './change-kind';
import { ChangeListener } from './change-listener';
import { CHANGE_FEED_OPTIONS, type ChangeFeedOptions } from './change-feed-options';

export type Invalidator = (detail: string | undefined) => void;

/** Kinds published in a transaction, run locally once it commits (kept on the query runner's `data`). */
const PENDING = 'tesseraChanges';
/** NOTIFY payloads are limited to 8000 bytes; details are hints, never needed for correctness. */
const MAX_DETAIL = 1000;

let instances = 0;

/**
 * The change feed (ADR 0018). `publish` bumps a kind's version and NOTIFYs in the caller's
 * transaction: every replica hears of the change when, and only if, it commits. Each replica
 * LISTENs on one dedicated connection and runs the invalidators `subscribe`d to the kind; after a
 * reconnection, and every `TESSERA_CHANGE_CHECK_MS` as a safety net, it compares the version table
 * with what it last saw and invalidates every kind that moved. The replica that made a change also
 * invalidates right after its commit, before the API call that made it answers.
 */
@Injectable()
export class ChangeFeed implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ChangeFeed');
  private readonly invalidators = new Map<ChangeKind, Invalidator[]>();
  private readonly seen = new Map<string, bigint>();
  private listener: ChangeListener | null = null;
  private checkTimer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private readonly commitHook: EntitySubscriberInterface;
  readonly applicationName: string;

  constructor(
    private readonly ds: DataSource,
    @Inject(CHANGE_FEED_OPTIONS) private readonly config: ChangeFeedOptions,
  ) {
    // pid plus a counter: several apps in one process (the tests) each have their own listener.
    this.applicationName = `tessera-changes ${process.pid}-${++instances}`;
    this.commitHook = {
      // Also called on RELEASE SAVEPOINT: only the outermost COMMIT makes a change visible.
      afterTransactionCommit: (event) => {
        if (!event.queryRunner.isTransactionActive) this.runPending(event.queryRunner);
      },
      afterTransactionRollback: (event) => {
        if (!event.queryRunner.isTransactionActive) delete event.queryRunner.data[PENDING];
      },
    };
  }

  /** `fn` runs on every replica (this one included) after a change of `kind` commits. */
  subscribe(kind: ChangeKind, fn: Invalidator): void {
    this.invalidators.set(kind, [...(this.invalidators.get(kind) ?? []), fn]);
  }

  /**
   * Records a change of `kind` in the transaction `db` belongs to. Must run inside that transaction
   * (a change outside any would be notified before, or even without, the data it announces).
   */
  async publish(db: EntityManager | QueryRunner, kind: ChangeKind, detail?: string): Promise<void> {
    const runner = db instanceof EntityManager ? db.queryRunner : db;
    if (!runner?.isTransactionActive) throw new Error(`change feed: a ${kind} change must be published inside its transaction`);
    // The payload carries the new version, so a listener can tell a notification it missed (a gap).
    await runner.query(
      `WITH bumped AS (
         INSERT INTO tessera.change_versions AS v (kind, version) VALUES ($1, 1)
         ON CONFLICT (kind) DO UPDATE SET version = v.version + 1, changed_at = now()
         RETURNING version)
       SELECT pg_notify($2, json_build_object('kind', $1::text, 'version', version::text, 'detail', $3::text)::text) FROM bumped`,
      [kind, CHANGE_CHANNEL, detail?.slice(0, MAX_DETAIL) ?? null],
    );
    const pending = (runner.data[PENDING] ??= new Map<ChangeKind, string | undefined>()) as Map<ChangeKind, string | undefined>;
    pending.set(kind, pending.has(kind) && pending.get(kind) !== detail ? undefined : detail);
  }

  /** True while the LISTEN connection is up (health reporting). */
  get listening(): boolean {
    return this.listener?.listening ?? false;
  }

  async onModuleInit(): Promise<void> {
    this.ds.subscribers.push(this.commitHook);
    await this.check(false).catch((err: Error) => this.logger.warn(`could not read change versions: ${err.message}`));
    const url = (this.ds.options as { url?: string }).url;
    if (!url) {
      this.logger.warn('no connection URL: changes made by other replicas are seen by the periodic check only');
    } else {
      this.listener = new ChangeListener({
        connectionString: url,
        applicationName: this.applicationName,
        onNotification: (payload) => this.onNotification(payload),
        // A fresh read: one already in flight may have started before LISTEN was in place.
        onListening: () => this.check(true, true),
        initialBackoffMs: this.config.changeReconnectMs,
      });
      await this.listener.start();
    }
    const every = this.config.changeCheckMs;
    if (every > 0) {
      this.checkTimer = setInterval(() => void this.check(true).catch((err: Error) => this.logger.warn(`change version check failed: ${err.message}`)), every);
      this.checkTimer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.checkTimer) clearInterval(this.checkTimer);
    await this.listener?.stop();
    const i = this.ds.subscribers.indexOf(this.commitHook);
    if (i >= 0) this.ds.subscribers.splice(i, 1);
  }

  /**
   * Compares the version table with what this replica last saw; with `invalidate`, runs the
   * invalidators of every kind that moved (catch-up after a lost connection, and the safety net).
   */
  private async check(invalidate: boolean, fresh = false): Promise<void> {
    // One at a time: a slow check must not pile up behind the timer (the timer's checks share one).
    if (this.checking && !fresh) return this.checking;
    while (this.checking) await this.checking.catch(() => undefined);
    this.checking = (async () => {
      const rows: { kind: string; version: string }[] = await this.ds.query(`SELECT kind, version::text AS version FROM tessera.change_versions`);
      for (const r of rows) {
        const version = BigInt(r.version);
        const before = this.seen.get(r.kind);
        if (before === version) continue;
        this.seen.set(r.kind, version);
        if (invalidate && isChangeKind(r.kind)) {
          this.logger.log(`caught up on ${r.kind} (version ${before ?? 0} → ${version})`);
          this.run(r.kind, undefined);
        }
      }
    })().finally(() => (this.checking = null));
    return this.checking;
  }

  private onNotification(payload: string): void {
    let message: { kind?: unknown; version?: unknown; detail?: unknown };
    try {
      message = JSON.parse(payload) as typeof message;
    } catch {
      this.logger.warn(`ignored a malformed change notification: ${payload.slice(0, 200)}`);
      return;
    }
    const { kind, detail } = message;
    if (!isChangeKind(kind)) return; // a kind of a newer release: nothing here caches it
    let gap = false;
    if (typeof message.version === 'string' && /^\d+$/.test(message.version)) {
      const version = BigInt(message.version);
      const before = this.seen.get(kind) ?? 0n;
      // A version skipped means a notification lost: its detail is unknown, so everything of the kind goes.
      gap = version > before + 1n;
      if (version > before) this.seen.set(kind, version);
    }
    this.run(kind, gap || typeof detail !== 'string' ? undefined : detail);
  }

  private runPending(runner: QueryRunner): void {
    const pending = runner.data[PENDING] as Map<ChangeKind, string | undefined> | undefined;
    if (!pending) return;
    delete runner.data[PENDING];
    for (const [kind, detail] of pending) this.run(kind, detail);
  }

  private run(kind: ChangeKind, detail: string | undefined): void {
    for (const fn of this.invalidators.get(kind) ?? []) {
      try {
        fn(detail);
      } catch (err) {
        this.logger.error(`invalidator of ${kind} failed: ${(err as Error).message}`);
      }
    }
  }
}
