import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Cron } from 'croner';
import { hostname } from 'node:os';
import { PortEvents } from '../common/events/port-events';
import { TesseraConfig } from '../config/tessera-config';
import { SloEvaluator } from './slo-evaluator.service';
import type { MeasuredPort } from './measured-ports';
import { SloMeasurementsRepository } from './slo-measurements.repository';

/** Read counts are buffered this long: one upsert per table and minute, never one per read. */
const FLUSH_MS = 5000;
/** Several loads or materializations in a burst cause one evaluation. */
const DEBOUNCE_MS = 1000;

/**
 * When SLOs are evaluated: on the configured cron (one replica per tick), and shortly after every
 * ingest or materialization touching a port. Also records what availability and frequency are
 * measured from: loads (one row per load) and reads (per table and minute, buffered).
 */
@Injectable()
export class SloRuntime implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('SloRuntime');
  private readonly claimant = `${hostname()}:${process.pid}`;
  private cron?: Cron;
  private flushTimer?: NodeJS.Timeout;
  private readonly reads = new Map<string, { table: string; minute: Date; ok: number; failed: number }>();
  private readonly pendingPorts = new Set<string>();
  private readonly pendingViews = new Set<string>();
  private debounce?: NodeJS.Timeout;
  private readonly work = new Set<Promise<unknown>>();
  private stopped = false;
  private readonly tickHooks: ((at: Date) => Promise<void>)[] = [];

  constructor(
    private readonly events: PortEvents,
    private readonly repo: SloMeasurementsRepository,
    private readonly evaluator: SloEvaluator,
    private readonly config: TesseraConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.events.onLoaded((e) => {
      this.track(
        this.repo
          .recordLoad(e)
          .catch((err: unknown) => this.logger.warn(`load of ${e.productId}/${e.port} not recorded: ${(err as Error).message}`))
          .then(() => this.schedule(`${e.productId}|${e.port}`)),
      );
    });
    this.events.onMaterialized((e) => {
      for (const v of e.views) this.pendingViews.add(v);
      this.arm();
    });
    this.events.onTablesRead((e) => {
      const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
      for (const table of e.tables) {
        const key = `${table}|${minute.getTime()}`;
        const c = this.reads.get(key) ?? { table, minute, ok: 0, failed: 0 };
        if (e.ok) c.ok++;
        else c.failed++;
        this.reads.set(key, c);
      }
    });
    this.flushTimer = setInterval(() => this.track(this.flushReads()), FLUSH_MS);
    this.flushTimer.unref();
    const pattern = this.config.sloSchedule;
    if (pattern) {
      this.cron = new Cron(pattern, { protect: true, unref: true, catch: false }, async () => {
        await this.tick(this.cron?.currentRun() ?? new Date());
      });
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.cron?.stop();
    clearInterval(this.flushTimer);
    clearTimeout(this.debounce);
    await Promise.allSettled([...this.work]);
    await this.flushReads();
  }

  /** More periodic checks on the same claimed tick (model drift): run after the SLOs, errors logged. */
  onTick(hook: (at: Date) => Promise<void>): void {
    this.tickHooks.push(hook);
  }

  /** One scheduled evaluation of the whole mesh, unless another replica claimed this tick. */
  async tick(tickAt: Date): Promise<boolean> {
    const tick = new Date(Math.floor(tickAt.getTime() / 1000) * 1000);
    if (!(await this.repo.claimTick(tick, this.claimant).catch(() => false))) return false;
    await this.flushReads();
    await this.evaluator.evaluate();
    for (const hook of this.tickHooks) await hook(tick).catch((err: unknown) => this.logger.warn(`periodic check failed: ${(err as Error).message}`));
    await this.repo.prune(new Date(Date.now() - 2 * this.config.sloWindowMs)).catch(() => undefined);
    return true;
  }

  /** Writes buffered read counts now. */
  async flushReads(): Promise<void> {
    if (this.reads.size === 0) return;
    const batch = [...this.reads.values()];
    this.reads.clear();
    await this.repo.addReads(batch).catch((err: unknown) => this.logger.warn(`read counts lost: ${(err as Error).message}`));
  }

  /** Resolves when every evaluation triggered so far has run (for tests and shutdown). */
  async settled(): Promise<void> {
    while (this.debounce || this.work.size > 0) {
      if (this.debounce) {
        clearTimeout(this.debounce);
        this.debounce = undefined;
        this.track(this.runPending());
      }
      await Promise.allSettled([...this.work]);
    }
  }

  private schedule(portKey: string): void {
    this.pendingPorts.add(portKey);
    this.arm();
  }

  private arm(): void {
    if (this.stopped || this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.track(this.runPending());
    }, DEBOUNCE_MS);
    this.debounce.unref();
  }

  private async runPending(): Promise<void> {
    const ports = new Set(this.pendingPorts);
    const views = new Set(this.pendingViews);
    this.pendingPorts.clear();
    this.pendingViews.clear();
    if (ports.size === 0 && views.size === 0) return;
    await this.flushReads();
    const wanted = (p: MeasuredPort) => ports.has(`${p.productId}|${p.port}`) || p.onlineViews.some((v) => views.has(v));
    await this.evaluator.evaluatePorts(wanted).catch((err: unknown) => this.logger.warn(`SLO evaluation failed: ${(err as Error).message}`));
  }

  private track(p: Promise<unknown>): void {
    this.work.add(p);
    void p.finally(() => this.work.delete(p));
  }
}
