import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Cron } from 'croner';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { ChangeFeed } from '../../common/changes/change-feed';
import { TesseraConfig } from '../../config/tessera-config';
import { ModelRegistryService } from '../registry/model-registry.service';
import type { ClaimedJob } from './batch-scoring-job';
import { BatchScoringJobRepository } from './batch-scoring-job.repository';
import { BatchScoringRunner, LEASE_MS } from './batch-scoring.runner';

/** How often a worker looks for queued jobs and jobs whose lease ran out (a kick is immediate). */
const POLL_MS = 5_000;
/** How often the production versions' schedules are re-read (apply and stage changes also trigger it). */
const RESYNC_MS = 30_000;
/** A job abandoned this many times (its process died each time) is failed instead of claimed again. */
export const MAX_ATTEMPTS = 5;

/**
 * Claims and runs batch scoring jobs, one at a time per process (ADR 0035), and turns the
 * `batchScoring.schedule` of production versions into jobs: every replica runs the same crons, and
 * the scheduled tick's job is inserted once (unique per model, version and tick time), so exactly one
 * replica's worker scores it. With TESSERA_BATCH_SCORING_WORKER=off the process queues jobs only.
 */
@Injectable()
export class BatchScoringWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('BatchScoringWorker');
  /** Unique per process start: a restarted process does not take over its predecessor's lease by name. */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly crons = new Map<string, { key: string; cron: Cron }>();
  private poll?: NodeJS.Timeout;
  private resync?: NodeJS.Timeout;
  private loop: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** Set by BatchScoringService: queues a scheduled job through the same checks as a request. */
  queueScheduled?: (name: string, version: string, asOf: Date) => Promise<unknown>;

  constructor(
    private readonly jobs: BatchScoringJobRepository,
    private readonly runner: BatchScoringRunner,
    private readonly registry: ModelRegistryService,
    private readonly config: TesseraConfig,
    changes: ChangeFeed,
  ) {
    changes.subscribe('models', () => {
      if (!this.stopped) void this.sync().catch((err: unknown) => this.logger.warn(`cannot read batch scoring schedules: ${(err as Error).message}`));
    });
  }

  onApplicationBootstrap(): void {
    void this.sync().catch((err: unknown) => this.logger.warn(`cannot read batch scoring schedules: ${(err as Error).message}`));
    this.resync = setInterval(() => void this.sync().catch(() => undefined), RESYNC_MS);
    this.resync.unref();
    if (!this.config.batchScoringWorker) return;
    this.poll = setInterval(() => this.kick(), POLL_MS);
    this.poll.unref();
    this.kick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    clearInterval(this.resync);
    for (const { cron } of this.crons.values()) cron.stop();
    this.crons.clear();
    // A running job stops at its next chunk boundary and hands its lease back: another replica (or
    // this one, restarted) continues it after the cursor without waiting for the lease to run out.
    await this.loop?.catch(() => undefined);
  }

  /** Looks for work now (after a request queued a job); runs jobs until none is claimable. */
  kick(): void {
    if (this.stopped || !this.config.batchScoringWorker) return;
    if (this.loop) {
      this.again = true;
      return;
    }
    this.loop = this.drain()
      .then(() => undefined)
      .catch((err: unknown) => this.logger.warn(`batch scoring worker: ${(err as Error).message}`))
      .finally(() => {
        this.loop = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Claims and runs jobs until none is left; answers the jobs it ran (tests call it directly). */
  async drain(): Promise<ClaimedJob[]> {
    const ran: ClaimedJob[] = [];
    while (!this.stopped) {
      const job = await this.jobs.claim(this.owner, LEASE_MS, MAX_ATTEMPTS);
      if (!job) break;
      if (job.attempts > 1) this.logger.warn(`batch scoring job ${job.id} resumed after ${job.done} entities (attempt ${job.attempts})`);
      const finished = await this.runner.run(job, this.owner, () => this.stopped);
      if (finished) ran.push(finished);
    }
    return ran;
  }

  /** Cron per production version with a schedule; a tick queues a job as of the tick time. */
  async sync(): Promise<void> {
    const wanted = new Map((await this.registry.scheduledBatchScoring()).map((s) => [s.name, s]));
    if (this.stopped) return;
    for (const [name, entry] of this.crons) {
      const w = wanted.get(name);
      if (!w || `${w.version} ${w.schedule}` !== entry.key) {
        entry.cron.stop();
        this.crons.delete(name);
      }
    }
    for (const [name, w] of wanted) {
      if (this.crons.has(name)) continue;
      try {
        const cron: Cron = new Cron(w.schedule, { protect: true, unref: true, catch: false }, async () => {
          await this.tick(name, w.version, cron.currentRun() ?? new Date());
        });
        this.crons.set(name, { key: `${w.version} ${w.schedule}`, cron });
      } catch (err) {
        this.logger.warn(`model ${name} ${w.version}: batch scoring schedule "${w.schedule}" not usable: ${(err as Error).message}`);
      }
    }
  }

  /** Crons scheduled now: model to `version schedule`. */
  scheduled(): Record<string, string> {
    return Object.fromEntries([...this.crons].map(([name, s]) => [name, s.key]));
  }

  /** One scheduled run: a job as of the tick time (truncated to the second, the same on every replica). */
  async tick(name: string, version: string, tickAt: Date): Promise<void> {
    const asOf = new Date(Math.floor(tickAt.getTime() / 1000) * 1000);
    try {
      if (!this.queueScheduled) throw new Error('no batch scoring service registered');
      await this.queueScheduled(name, version, asOf);
    } catch (err) {
      this.logger.warn(`scheduled batch scoring of ${name} ${version} at ${asOf.toISOString()} not queued: ${(err as Error).message}`);
    }
  }
}
