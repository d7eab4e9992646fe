import { Logger } from '@nestjs/common';
import { AckPolicy } from '@nats-io/jetstream';
import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { drainInBoundedBatches } from '../../common/async/bounded-batches';
import { MAX_DELIVER, PREDICT_STREAM, predictSubject, workerConsumer } from './on-demand-subjects';

export interface WorkerSettings {
  batchMax: number;
  batchWaitMs: number;
  /** How long the broker waits for a request's ack before redelivering it (a worker died mid-batch). */
  ackWaitMs: number;
}

export type BatchHandler = (model: string, batch: JsMsg[]) => Promise<void>;

/**
 * Serves one model: a durable pull consumer on `tessera.predict.<model>` shared by every process
 * serving that model (the broker splits the requests). A batch is what arrived within `batchWaitMs`
 * of its first request, at most `batchMax`; the consumer pulls at most one batch ahead and the broker
 * holds back beyond 4 batches unacknowledged, so a backlog waits in the stream, not in memory.
 */
export class OnDemandWorker {
  private readonly logger: Logger;
  private stopped = false;
  private current: ConsumerMessages | null = null;
  private loop: Promise<void> | null = null;
  /** The batch being scored, if any: stop() waits for it, not for the pull loop. */
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    readonly model: string,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly handle: BatchHandler,
    private readonly settings: WorkerSettings,
  ) {
    this.logger = new Logger(`OnDemand ${model}`);
  }

  async start(): Promise<void> {
    const config = {
      durable_name: workerConsumer(this.model),
      ack_policy: AckPolicy.Explicit,
      filter_subject: predictSubject(this.model),
      max_deliver: MAX_DELIVER,
      ack_wait: nanos(this.settings.ackWaitMs),
      max_ack_pending: Math.max(16, this.settings.batchMax * 4),
      // A model no process has served for a day loses its consumer (its requests stay in the stream
      // and are served when a worker starts again, which recreates it).
      inactive_threshold: nanos(86_400_000),
    };
    try {
      await this.jsm.consumers.add(PREDICT_STREAM, config);
    } catch {
      const { durable_name: _name, ...update } = config;
      await this.jsm.consumers.update(PREDICT_STREAM, config.durable_name, update);
    }
    this.loop = this.consumeLoop();
  }

  /** Stops pulling; the batch being scored is answered and acknowledged first. */
  async stop(): Promise<void> {
    this.stopped = true;
    // Not awaited: closing a pull iterator that is parked on an empty stream did not always settle
    // (seen with batches of 1), and nothing of it matters once no batch is in flight.
    void this.current?.close().catch(() => undefined);
    await this.flushing;
  }

  private async consumeLoop(): Promise<void> {
    while (!this.stopped) {
      const batch: JsMsg[] = [];
      try {
        const consumer = await this.js.consumers.get(PREDICT_STREAM, workerConsumer(this.model));
        // A pull window of at least 8, so small batches do not wait for a new pull request each time.
        const messages = await consumer.consume({ max_messages: Math.max(8, this.settings.batchMax) });
        this.current = messages;
        await drainInBoundedBatches(messages, { max: this.settings.batchMax, waitMs: this.settings.batchWaitMs, running: () => !this.stopped, flush: (b) => this.flush(b) }, batch);
      } catch (e) {
        this.logger.warn(`consumer failed, retrying in 1 s: ${(e as Error).message}`);
        for (const m of batch) m.nak(1000);
        await sleep(1000);
      } finally {
        await this.current?.close().catch(() => undefined);
        this.current = null;
      }
    }
  }

  private flush(batch: JsMsg[]): Promise<void> {
    this.flushing = this.score(batch);
    return this.flushing;
  }

  private async score(batch: JsMsg[]): Promise<void> {
    try {
      await this.handle(this.model, batch);
    } catch (e) {
      // Results could not be published (broker away): unacked requests come back after the ack wait.
      this.logger.warn(`batch of ${batch.length} not answered, redelivering: ${(e as Error).message}`);
      for (const m of batch) m.nak(1000);
    }
  }
}
