import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Cron } from 'croner';
import { hostname } from 'node:os';
import { ChangeFeed } from '../../common/changes/change-feed';
import type { NormalizedFeatureView } from '../../catalog/contracts/documents/normalized-types';
import { FeatureRegistryService } from '../registry/registry.service';
import type { MaterializationJob } from './materialization-job';
import { MaterializationJobRepository } from './materialization-job.repository';
import { JOB_STALE_MS, MaterializationService } from './materialization.service';

/** How often the registry is re-read for added, changed or removed schedules. */
const RESYNC_MS = 30_000;
/** How often abandoned jobs are looked for. */
const REAP_MS = 60_000;
/** Schedule claims are only needed while replicas could still race for the same tick. */
const CLAIM_RETENTION_MS = 24 * 3600_000;

/**
 * Runs `materializeIncremental(now)` for every online view with a `schedule` (cron, 5 or 6 fields).
 * Started on bootstrap, stopped on shutdown; schedules applied later, through any replica, are picked
 * up when the change feed announces the apply (ADR 0018), at the latest within RESYNC_MS. croner's `protect` skips a tick while the previous run of the view is
 * still going, so a slow run never piles up. Every replica runs the same crons; a tick runs on the
 * replica that claims it first (one row per view and tick time in PostgreSQL). The scheduler also
 * reaps jobs whose process died (no heartbeat for JOB_STALE_MS), on start and every REAP_MS.
 */
@Injectable()
export class MaterializationScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('MaterializationScheduler');
  private readonly crons = new Map<string, { pattern: string; cron: Cron }>();
  private resync?: NodeJS.Timeout;
  private reaper?: NodeJS.Timeout;
  private readonly claimant = `${hostname()}:${process.pid}`;
  private running = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    private readonly registry: FeatureRegistryService,
    private readonly materialization: MaterializationService,
    private readonly jobs: MaterializationJobRepository,
    changes: ChangeFeed,
  ) {
    changes.subscribe('registry', () => {
      if (!this.stopped) void this.sync().catch((err: unknown) => this.logger.warn(`cannot read schedules: ${(err as Error).message}`));
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.sync().catch((err: unknown) => this.logger.warn(`cannot read schedules: ${(err as Error).message}`));
    this.resync = setInterval(() => void this.sync().catch(() => undefined), RESYNC_MS);
    this.resync.unref();
    await this.housekeeping();
    this.reaper = setInterval(() => void this.housekeeping(), REAP_MS);
    this.reaper.unref();
  }

  /** Fails abandoned jobs and drops old schedule claims; never throws (logged instead). */
  async housekeeping(): Promise<void> {
    try {
      const reaped = await this.jobs.reapStale(JOB_STALE_MS);
      for (const job of reaped) this.logger.warn(`materialization job ${job.id} (${job.featureViews.join(', ')}) abandoned by its process: marked failed`);
      await this.jobs.pruneScheduleClaims(CLAIM_RETENTION_MS);
    } catch (err) {
      this.logger.warn(`materialization housekeeping failed: ${(err as Error).message}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.resync);
    clearInterval(this.reaper);
    for (const { cron } of this.crons.values()) cron.stop();
    this.crons.clear();
    await Promise.allSettled([...this.running]); // let a run finish before the store and database close
  }

  /** Views currently scheduled, with their cron patterns. */
  scheduled(): Record<string, string> {
    return Object.fromEntries([...this.crons].map(([view, s]) => [view, s.pattern]));
  }

  /** Aligns the running crons with the registry's schedules. */
  async sync(): Promise<void> {
    const rows = await this.registry.list('FeatureView');
    if (this.stopped) return;
    const wanted = new Map<string, string>();
    for (const r of rows) {
      const v = r.normalized as unknown as NormalizedFeatureView;
      if (v.online && v.schedule) wanted.set(r.name, v.schedule);
    }
    for (const [view, s] of this.crons) {
      if (wanted.get(view) !== s.pattern) {
        s.cron.stop();
        this.crons.delete(view);
      }
    }
    for (const [view, pattern] of wanted) {
      if (this.crons.has(view)) continue;
      try {
        const cron: Cron = new Cron(pattern, { protect: true, unref: true, catch: false }, async () => {
          await this.tick(view, cron.currentRun() ?? new Date());
        });
        this.crons.set(view, { pattern, cron });
      } catch (err) {
        this.logger.warn(`feature view ${view}: schedule "${pattern}" not usable: ${(err as Error).message}`);
      }
    }
  }

  /**
   * One scheduled run: the view, incrementally up to now, unless another replica claimed this tick.
   * Failures are recorded on the job and logged. `tickAt` is the cron's scheduled time (the same on
   * every replica), truncated to the second.
   */
  async tick(view: string, tickAt: Date = new Date()): Promise<MaterializationJob | null> {
    const tick = new Date(Math.floor(tickAt.getTime() / 1000) * 1000);
    const claimed = await this.jobs.claimScheduledTick(view, tick, this.claimant).catch((err: unknown) => {
      this.logger.warn(`cannot claim the ${tick.toISOString()} run of ${view}: ${(err as Error).message}`);
      return false;
    });
    if (!claimed) return null;
    const run = this.materialization.materializeIncremental({ end: new Date(), views: [view], trigger: 'schedule' }).catch((err: unknown) => {
      this.logger.warn(`scheduled materialization of ${view} failed: ${(err as Error).message}`);
      return null;
    });
    this.running.add(run);
    try {
      return await run;
    } finally {
      this.running.delete(run);
    }
  }
}
