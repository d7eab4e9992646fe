import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { PredictionLogEntry, PredictionLogSink } from './prediction-log-entry';
import { PREDICTION_LOG_OPTIONS, type PredictionLogOptions } from './prediction-log.options';
import { PredictionLogRepository } from './prediction-log.repository';
import { resolveRate, sampled } from './prediction-log-sampler';

interface Pending {
  entry: PredictionLogEntry;
  /** False when the rate was not cached at record time: the flush samples it. */
  decided: boolean;
}

/** Counters since start; what was lost is counted, never silent. */
export interface PredictionLogStats {
  buffered: number;
  written: number;
  /** Not kept by sampling. */
  sampledOut: number;
  /** Dropped because the buffer was full (or the log closed). */
  dropped: number;
  /** Lost because PostgreSQL refused or failed a batch and there was no room to keep it. */
  failed: number;
  flushes: number;
  lastError: string | null;
}

/**
 * The prediction log sink. `record` is synchronous and O(rows): it samples with a cached rate and
 * appends to a bounded in-memory buffer (full → drop and count, never wait). Flushes run on a timer
 * or when a batch is ready, off the caller's stack, one at a time, writing one multi-row INSERT per
 * batch; a failed batch goes back to the front of the buffer while there is room. Closing the module
 * flushes what is left (graceful shutdown).
 */
@Injectable()
export class PredictionLogWriter implements PredictionLogSink, OnModuleDestroy {
  private readonly logger = new Logger('PredictionLog');
  private buffer: Pending[] = [];
  private readonly rates = new Map<string, { rate: number; expires: number }>();
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private closed = false;
  private readonly timer: NodeJS.Timeout;
  private readonly counters = { written: 0, sampledOut: 0, dropped: 0, failed: 0, flushes: 0 };
  private lastError: string | null = null;

  constructor(
    private readonly repository: PredictionLogRepository,
    @Inject(PREDICTION_LOG_OPTIONS) private readonly options: PredictionLogOptions,
  ) {
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs);
    this.timer.unref(); // the log never keeps a process alive on its own
  }

  record(entries: readonly PredictionLogEntry[]): void {
    try {
      const now = Date.now();
      for (const entry of entries) {
        if (this.closed || this.buffer.length >= this.options.maxBuffered) {
          this.counters.dropped++;
          continue;
        }
        const cached = this.rates.get(rateKey(entry.model, entry.version));
        const known = cached !== undefined && cached.expires > now;
        if (known && !sampled(entry.requestId, cached.rate)) {
          this.counters.sampledOut++;
          continue;
        }
        this.buffer.push({ entry, decided: known });
      }
      if (this.buffer.length >= this.options.batchSize) this.schedule();
    } catch (err) {
      // The prediction path must never fail because of its log.
      this.lastError = (err as Error).message;
    }
  }

  /** Writes everything buffered now; resolves when done (a flush already running is joined, then repeated). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    this.flushing = this.drain().finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  stats(): PredictionLogStats {
    return { buffered: this.buffer.length, ...this.counters, lastError: this.lastError };
  }

  /** Forget cached rates of a model (its setting changed), or of every model. */
  invalidateRate(model?: string): void {
    if (model === undefined) return this.rates.clear();
    for (const key of this.rates.keys()) if (key.startsWith(`${model}\u0000`)) this.rates.delete(key);
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  /** Stops the timer, refuses new entries and writes what is buffered. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
    if (this.buffer.length > 0) {
      this.counters.failed += this.buffer.length;
      this.logger.error(`prediction log closed with ${this.buffer.length} entries unwritten: ${this.lastError}`);
      this.buffer = [];
    }
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      let batch = this.buffer.splice(0, this.options.batchSize);
      this.counters.flushes++;
      try {
        batch = await this.sample(batch);
        await this.repository.insert(batch.map((p) => p.entry));
        this.counters.written += batch.length;
      } catch (err) {
        this.lastError = (err as Error).message;
        const room = Math.max(0, this.options.maxBuffered - this.buffer.length);
        const back = this.closed ? [] : batch.slice(0, room);
        this.counters.failed += batch.length - back.length;
        this.buffer = [...back, ...this.buffer];
        this.logger.warn(`prediction log flush failed (${batch.length} entries, ${back.length} kept for the next flush): ${this.lastError}`);
        return; // wait for the next tick instead of hammering a failing database
      }
    }
  }

  /** Resolves the rates not cached at record time (one query per batch) and drops what sampling discards. */
  private async sample(batch: Pending[]): Promise<Pending[]> {
    const undecided = batch.filter((p) => !p.decided);
    if (undecided.length > 0) {
      const pairs = new Map(undecided.map((p) => [rateKey(p.entry.model, p.entry.version), { model: p.entry.model, version: p.entry.version }]));
      const expires = Date.now() + this.options.rateCacheMs;
      for (const s of await this.repository.rateSources([...pairs.values()])) {
        this.rates.set(rateKey(s.model, s.version), { rate: resolveRate(s.override, s.document), expires });
      }
    }
    const keep: Pending[] = [];
    for (const p of batch) {
      if (!p.decided && !sampled(p.entry.requestId, this.rates.get(rateKey(p.entry.model, p.entry.version))?.rate ?? 1)) {
        this.counters.sampledOut++;
        continue;
      }
      keep.push({ entry: p.entry, decided: true }); // a retried batch is not sampled twice
    }
    return keep;
  }
}

const rateKey = (model: string, version: string): string => `${model}\u0000${version}`;
