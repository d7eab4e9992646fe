import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Cron } from 'croner';
import type { NormalizedFeatureView } from '../../catalog/contracts/documents/normalized-types';
import { FeatureRegistryService } from '../registry/registry.service';
import type { MaterializationJob } from './materialization-job';
import { MaterializationService } from './materialization.service';

/** How often the registry is re-read for added, changed or removed schedules. */
const RESYNC_MS = 30_000;

/**
 * Runs `materializeIncremental(now)` for every online view with a `schedule` (cron, 5 or 6 fields).
 * Started on bootstrap, stopped on shutdown; schedules applied later are picked up within RESYNC_MS
 * (or at once through sync()). croner's `protect` skips a tick while the previous run of the view is
 * still going, so a slow run never piles up.
 */
@Injectable()
export class MaterializationScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('MaterializationScheduler');
  private readonly crons = new Map<string, { pattern: string; cron: Cron }>();
  private resync?: NodeJS.Timeout;
  private running = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    private readonly registry: FeatureRegistryService,
    private readonly materialization: MaterializationService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sync().catch((err: unknown) => this.logger.warn(`cannot read schedules: ${(err as Error).message}`));
    this.resync = setInterval(() => void this.sync().catch(() => undefined), RESYNC_MS);
    this.resync.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.resync);
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
        const cron = new Cron(pattern, { protect: true, unref: true, catch: false }, async () => {
          await this.tick(view);
        });
        this.crons.set(view, { pattern, cron });
      } catch (err) {
        this.logger.warn(`feature view ${view}: schedule "${pattern}" not usable: ${(err as Error).message}`);
      }
    }
  }

  /** One scheduled run: the view, incrementally up to now. Failures are recorded on the job and logged. */
  async tick(view: string): Promise<MaterializationJob | null> {
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
