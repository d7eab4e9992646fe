import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { TesseraConfig } from '../../config/tessera-config';
import { ClaimedRetrievalJob, RetrievalJobStopped } from './retrieval-job';
import { RetrievalJobRepository } from './retrieval-job.repository';
import { TrainingDatasetService } from './training-dataset.service';

/** Runs of one job before it is failed for good (each replica that died running it counts one). */
const MAX_ATTEMPTS = 3;

/**
 * Runs retrieval jobs on this replica, one at a time (a job is one long join: the machines have two
 * cores). Polls for a queued job, or a running one whose replica stopped heartbeating for the lease
 * (killed: its transaction died with its connection, so the job starts again from the beginning).
 * Between join steps it reports progress (the heartbeat) and stops when cancelled or when its claim
 * lapsed; a heartbeat timer covers the long first step (loading the entity rows). On shutdown the
 * running job is given back to the queue at its next step.
 */
@Injectable()
export class RetrievalJobWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RetrievalJobWorker');
  /** Unique per process and start: a replica restarted under the same pid does not own its old claims. */
  readonly claimant = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private timer?: NodeJS.Timeout;
  private current?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly jobs: RetrievalJobRepository,
    private readonly datasets: TrainingDatasetService,
    private readonly config: TesseraConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.retrievalJobsRun) return;
    this.timer = setInterval(() => void this.poll(), Math.min(1000, this.config.retrievalJobLeaseMs / 3));
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.current;
  }

  /** Claims and runs one job if this replica is idle; never throws (logged instead). Answers whether it ran one. */
  async poll(): Promise<boolean> {
    if (this.current || this.stopping) return false;
    let claimed: ClaimedRetrievalJob | null;
    try {
      claimed = await this.jobs.claim(this.claimant, this.config.retrievalJobLeaseMs, MAX_ATTEMPTS);
    } catch (err) {
      this.logger.warn(`cannot claim a retrieval job: ${(err as Error).message}`);
      return false;
    }
    if (!claimed || this.stopping) return false;
    this.current = this.run(claimed).finally(() => (this.current = undefined));
    await this.current;
    return true;
  }

  private async run(claimed: ClaimedRetrievalJob): Promise<void> {
    const { id } = claimed.job;
    this.logger.log(`retrieval job ${id} (${claimed.job.kind} ${claimed.job.datasetName}, attempt ${claimed.job.attempts}) started`);
    const beat = setInterval(() => void this.jobs.heartbeat(id, this.claimant).catch(() => undefined), Math.max(200, this.config.retrievalJobLeaseMs / 3));
    beat.unref();
    try {
      const saved = await this.datasets.runJob(claimed, this.claimant, {
        chunkRows: this.config.retrievalJobChunkRows,
        progress: async (done, total) => {
          if (this.stopping) throw new RetrievalJobStopped('shutdown');
          const state = await this.jobs.progress(id, this.claimant, done, total);
          if (!state.mine) throw new RetrievalJobStopped('lost');
          if (state.cancelRequested) throw new RetrievalJobStopped('cancelled');
        },
      });
      this.logger.log(`retrieval job ${id} succeeded: ${saved.id}, ${saved.rowCount} rows`);
    } catch (err) {
      await this.stopped(id, err).catch((e: unknown) => this.logger.warn(`cannot record the end of retrieval job ${id}: ${(e as Error).message}`));
    } finally {
      clearInterval(beat);
    }
  }

  private async stopped(id: string, err: unknown): Promise<void> {
    if (err instanceof RetrievalJobStopped) {
      if (err.reason === 'shutdown') await this.jobs.release(id, this.claimant);
      else if (err.reason === 'cancelled') await this.jobs.end(id, this.claimant, 'cancelled', null);
      // 'lost' also covers a cancel seen at commit time: end() only touches a job still ours and running.
      else if ((await this.jobs.get(id))?.cancelRequested) await this.jobs.end(id, this.claimant, 'cancelled', null);
      this.logger.log(`retrieval job ${id} stopped (${err.reason})`);
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    this.logger.warn(`retrieval job ${id} failed: ${message}`);
    await this.jobs.end(id, this.claimant, 'failed', message);
  }
}
