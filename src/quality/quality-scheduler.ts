import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Cron } from 'croner';
import { hostname } from 'node:os';
import { TesseraConfig } from '../config/tessera-config';
import { QualityResultsRepository, QualityRun } from './quality-results.repository';
import { QualityService } from './quality.service';

/** Claims are only needed while replicas could still race for the same tick. */
const CLAIM_RETENTION_MS = 24 * 3600_000;

/**
 * Runs every port's quality rules on TESSERA_QUALITY_SCHEDULE (default hourly; "off" disables).
 * Every replica runs the cron; each port's tick runs on the replica whose claim row (port, tick
 * time) is inserted first, so ports spread over replicas and none runs twice. croner's `protect`
 * skips a tick while the previous one is still going.
 */
@Injectable()
export class QualityScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('QualityScheduler');
  private readonly claimant = `${hostname()}:${process.pid}`;
  private cron?: Cron;
  private running?: Promise<unknown>;

  constructor(
    private readonly config: TesseraConfig,
    private readonly quality: QualityService,
    private readonly results: QualityResultsRepository,
  ) {}

  onApplicationBootstrap(): void {
    const pattern = this.config.qualitySchedule;
    if (!pattern) return;
    try {
      this.cron = new Cron(pattern, { protect: true, unref: true, catch: false }, async () => {
        this.running = this.tick(this.cron?.currentRun() ?? new Date());
        await this.running;
      });
    } catch (err) {
      this.logger.warn(`TESSERA_QUALITY_SCHEDULE "${pattern}" not usable, scheduled quality runs are off: ${(err as Error).message}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.cron?.stop();
    await this.running?.catch(() => undefined);
  }

  /** The cron pattern in use, or null when scheduled runs are off. */
  get pattern(): string | null {
    return this.cron ? (this.config.qualitySchedule ?? null) : null;
  }

  /**
   * One tick: every port major's rules, for the ports this replica claims. Failures are logged per
   * port and never stop the others. Returns the runs made here.
   */
  async tick(tickAt: Date = new Date()): Promise<QualityRun[]> {
    const tick = new Date(Math.floor(tickAt.getTime() / 1000) * 1000);
    const runs: QualityRun[] = [];
    try {
      await this.results.pruneScheduleClaims(CLAIM_RETENTION_MS);
      for (const table of await this.quality.allTables()) {
        const target = `${table.productId}/${table.port}/v${table.major}`;
        if (!(await this.results.claimScheduledTick(target, tick, this.claimant))) continue;
        try {
          runs.push(await this.quality.runTable(table, 'schedule'));
        } catch (err) {
          this.logger.warn(`scheduled quality run of ${target} failed: ${(err as Error).message}`);
        }
      }
    } catch (err) {
      this.logger.warn(`scheduled quality tick ${tick.toISOString()} failed: ${(err as Error).message}`);
    }
    return runs;
  }
}
