import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Cron } from 'croner';
import { hostname } from 'node:os';
import { ChangeFeed } from '../common/changes/change-feed';
import { TesseraConfig } from '../config/tessera-config';
import { QualityResultsRepository, QualityRun } from './quality-results.repository';
import { QualityService } from './quality.service';

/** Claims are only needed while replicas could still race for the same tick. */
const CLAIM_RETENTION_MS = 24 * 3600_000;
/** Safety net for rules' own crons besides the change feed (a missed notification heals within this). */
const RESYNC_MS = 60_000;

/**
 * Runs the ports' quality rules on a schedule. Rules without a cron of their own run on
 * TESSERA_QUALITY_SCHEDULE (default hourly); a rule declaring one (ODCS `schedule`, scheduler `cron`)
 * runs on its own cron only. "off" stops every scheduled run, rules' own crons included. Every
 * replica runs the crons; each port's tick runs on the replica whose claim row (port and cron, tick
 * time) is inserted first, so ports spread over replicas and none runs twice. croner's `protect`
 * skips a tick while the previous one of the same cron is still going. Rules' crons follow applies
 * on every replica through the change feed (`products`).
 */
@Injectable()
export class QualityScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('QualityScheduler');
  private readonly claimant = `${hostname()}:${process.pid}`;
  private cron?: Cron;
  private readonly ruleCrons = new Map<string, Cron>();
  private readonly unusable = new Set<string>();
  private readonly running = new Set<Promise<unknown>>();
  private resync?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly config: TesseraConfig,
    private readonly quality: QualityService,
    private readonly results: QualityResultsRepository,
    changes: ChangeFeed,
  ) {
    changes.subscribe('products', () => void this.syncRuleSchedules());
  }

  onApplicationBootstrap(): void {
    const pattern = this.config.qualitySchedule;
    if (!pattern) return;
    try {
      this.cron = new Cron(pattern, { protect: true, unref: true, catch: false }, () => this.track(this.tick(this.cron?.currentRun() ?? new Date())));
    } catch (err) {
      this.logger.warn(`TESSERA_QUALITY_SCHEDULE "${pattern}" not usable, rules without a schedule of their own run on ingest and on request only: ${(err as Error).message}`);
    }
    void this.syncRuleSchedules();
    this.resync = setInterval(() => void this.syncRuleSchedules(), RESYNC_MS);
    this.resync.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.resync);
    this.cron?.stop();
    for (const c of this.ruleCrons.values()) c.stop();
    this.ruleCrons.clear();
    await Promise.all([...this.running].map((p) => p.catch(() => undefined)));
  }

  /** The global cron pattern in use, or null when scheduled runs are off. */
  get pattern(): string | null {
    return this.cron ? (this.config.qualitySchedule ?? null) : null;
  }

  /** The rules' own crons running on this replica, sorted. */
  ruleSchedules(): string[] {
    return [...this.ruleCrons.keys()].sort();
  }

  /**
   * One tick of a cron: for each port major this replica claims, the rules of that cron (`schedule`
   * null: the global one, whose tick also records a run for a port without rules, as the SLO work
   * reads it). Failures are logged per port and never stop the others. Returns the runs made here.
   */
  async tick(tickAt: Date = new Date(), schedule: string | null = null): Promise<QualityRun[]> {
    const tick = new Date(Math.floor(tickAt.getTime() / 1000) * 1000);
    const runs: QualityRun[] = [];
    try {
      await this.results.pruneScheduleClaims(CLAIM_RETENTION_MS);
      for (const table of await this.quality.allTables()) {
        const port = `${table.productId}/${table.port}/v${table.major}`;
        try {
          const plan = await this.quality.plan(table);
          if (!plan) continue;
          const rules = plan.rules.filter((r) => r.schedule === schedule);
          // A port all of whose rules run on crons of their own has nothing for the global tick.
          if (rules.length === 0 && (schedule !== null || plan.rules.length > 0)) continue;
          const target = schedule === null ? port : `${port} @ ${schedule}`;
          if (!(await this.results.claimScheduledTick(target, tick, this.claimant))) continue;
          runs.push(await this.quality.runPlan({ ...plan, rules }, 'schedule'));
        } catch (err) {
          this.logger.warn(`scheduled quality run of ${port}${schedule === null ? '' : ` (schedule ${schedule})`} failed: ${(err as Error).message}`);
        }
      }
    } catch (err) {
      this.logger.warn(`scheduled quality tick ${tick.toISOString()} failed: ${(err as Error).message}`);
    }
    return runs;
  }

  /** Starts a cron per distinct rule schedule in the current contracts and stops those no longer declared. */
  async syncRuleSchedules(): Promise<void> {
    if (this.stopped || !this.config.qualitySchedule) return;
    let wanted: Set<string>;
    try {
      wanted = new Set<string>();
      for (const table of await this.quality.allTables()) {
        const plan = await this.quality.plan(table);
        for (const r of plan?.rules ?? []) if (r.schedule !== null) wanted.add(r.schedule);
      }
    } catch (err) {
      this.logger.warn(`cannot read the quality rules' schedules: ${(err as Error).message}`);
      return;
    }
    if (this.stopped) return;
    for (const [pattern, cron] of this.ruleCrons) {
      if (wanted.has(pattern)) continue;
      cron.stop();
      this.ruleCrons.delete(pattern);
    }
    for (const pattern of wanted) {
      if (this.ruleCrons.has(pattern)) continue;
      try {
        const cron: Cron = new Cron(pattern, { protect: true, unref: true, catch: false }, () => this.track(this.tick(cron.currentRun() ?? new Date(), pattern)));
        this.ruleCrons.set(pattern, cron);
      } catch (err) {
        // Apply refuses such a schedule; one stored before that check is reported once and skipped.
        if (!this.unusable.has(pattern)) this.logger.warn(`quality rule schedule "${pattern}" is not a usable cron, its rules run on ingest and on request only: ${(err as Error).message}`);
        this.unusable.add(pattern);
      }
    }
  }

  /** Kept until done, so a shutdown waits for the runs in flight. */
  private async track(p: Promise<unknown>): Promise<void> {
    this.running.add(p);
    try {
      await p;
    } finally {
      this.running.delete(p);
    }
  }
}
