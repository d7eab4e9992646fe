import { Logger } from '@nestjs/common';
import { AckPolicy } from '@nats-io/jetstream';
import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { drainInBoundedBatches } from '../../common/async/bounded-batches';
import { publishDeadLetter } from './dead-letter';
import type { StreamBatchWriter } from './stream-batch-writer';
import type { StreamMetrics } from './stream-metrics';
import type { StreamSourceSpec } from './stream-source-directory';

export interface RunnerSettings {
  batchRows: number;
  batchWaitMs: number;
  /** How long the broker waits for an ack before redelivering (a replica killed mid-batch). */
  ackWaitMs: number;
}

/** What GraphQL shows of one source on this replica. */
export interface StreamSourceStatus {
  paused: boolean;
  lag: number | null;
  stored: number;
  deadLettered: number;
  batches: number;
  lastError: string | null;
}

export const consumerName = (source: string): string => `tessera_${source}`;

/** Redelivery delay of a failed batch: 0.5 s doubling per delivery, at most 30 s. */
const retryDelayMs = (deliveries: number): number => Math.min(30_000, 500 * 2 ** Math.max(0, deliveries - 1));

/**
 * Consumes one stream source with a durable pull consumer shared by every replica (the broker splits
 * the messages between them). Batches are bounded by size and by time from their first message; the
 * consumer pulls at most one batch ahead, so memory stays bounded however far behind the source is —
 * the backlog waits in the stream (lag), not here.
 */
export class StreamSourceRunner {
  private readonly logger: Logger;
  private stopped = false;
  private pausedFlag = false;
  private wake: (() => void) | null = null;
  private current: ConsumerMessages | null = null;
  private loop: Promise<void> | null = null;
  private lagTimer: NodeJS.Timeout | null = null;
  private advisory: Subscription | null = null;
  readonly status: StreamSourceStatus = { paused: false, lag: null, stored: 0, deadLettered: 0, batches: 0, lastError: null };

  constructor(
    readonly spec: StreamSourceSpec,
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly writer: StreamBatchWriter,
    private readonly metrics: StreamMetrics,
    private readonly settings: RunnerSettings,
  ) {
    this.logger = new Logger(`StreamSource ${spec.name}`);
  }

  async start(): Promise<void> {
    await this.ensureStream();
    await this.ensureConsumer();
    this.advisory = this.nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${this.spec.stream}.${consumerName(this.spec.name)}`, {
      callback: (err, msg) => {
        if (!err) void this.onMaxDeliveries(msg.json<{ stream_seq: number; deliveries: number }>());
      },
    });
    this.lagTimer = setInterval(() => void this.refreshLag(), 1000);
    this.lagTimer.unref();
    this.metrics.paused.set({ source: this.spec.name }, this.pausedFlag ? 1 : 0);
    this.loop = this.consumeLoop();
  }

  /** Stops pulling; the batch being written is finished and acknowledged first. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.current?.close().catch(() => undefined);
    await this.loop;
    if (this.lagTimer) clearInterval(this.lagTimer);
    this.advisory?.unsubscribe();
  }

  pause(): void {
    if (this.pausedFlag) return;
    this.pausedFlag = this.status.paused = true;
    this.metrics.paused.set({ source: this.spec.name }, 1);
    void this.current?.close().catch(() => undefined);
  }

  resume(): void {
    if (!this.pausedFlag) return;
    this.pausedFlag = this.status.paused = false;
    this.metrics.paused.set({ source: this.spec.name }, 0);
    this.wake?.();
  }

  private async ensureStream(): Promise<void> {
    const { stream, subject } = this.spec;
    try {
      const info = await this.jsm.streams.info(stream);
      if (!info.config.subjects?.includes(subject)) await this.jsm.streams.update(stream, { ...info.config, subjects: [...(info.config.subjects ?? []), subject] });
    } catch (e) {
      if (!isNotFound(e)) throw e;
      await this.jsm.streams.add({ name: stream, subjects: [subject] });
    }
  }

  private async ensureConsumer(): Promise<void> {
    const config = {
      durable_name: consumerName(this.spec.name),
      ack_policy: AckPolicy.Explicit,
      filter_subject: this.spec.subject,
      max_deliver: this.spec.maxDeliver,
      ack_wait: nanos(this.settings.ackWaitMs),
      // The broker never has more than this many messages of the source out for acknowledgement.
      max_ack_pending: this.settings.batchRows * 4,
    };
    try {
      await this.jsm.consumers.add(this.spec.stream, config);
    } catch {
      // Exists with another configuration (the document changed): update what may change.
      const { durable_name: _name, ...update } = config;
      await this.jsm.consumers.update(this.spec.stream, config.durable_name, update);
    }
  }

  private async consumeLoop(): Promise<void> {
    while (!this.stopped) {
      if (this.pausedFlag) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      const batch: JsMsg[] = [];
      try {
        const consumer = await this.js.consumers.get(this.spec.stream, consumerName(this.spec.name));
        const messages = await consumer.consume({ max_messages: this.settings.batchRows });
        this.current = messages;
        await drainInBoundedBatches(messages, { max: this.settings.batchRows, waitMs: this.settings.batchWaitMs, running: () => !this.stopped && !this.pausedFlag, flush: (b) => this.flush(b) }, batch);
      } catch (e) {
        this.status.lastError = (e as Error).message;
        this.logger.warn(`consumer failed, retrying in 1 s: ${(e as Error).message}`);
        for (const m of batch) m.nak(1000);
        await sleep(1000);
      } finally {
        await this.current?.close().catch(() => undefined);
        this.current = null;
      }
    }
  }

  private async flush(batch: JsMsg[]): Promise<void> {
    const source = this.spec.name;
    const started = performance.now();
    this.metrics.batchSize.observe({ source }, batch.length);
    try {
      const result = await this.writer.write(
        this.spec,
        batch.map((m) => ({ data: m.data, subject: m.subject, sequence: m.seq })),
      );
      for (const r of result.refused) {
        const m = batch[r.index];
        await publishDeadLetter(this.js, { source, stream: this.spec.stream, sequence: m.seq, subject: m.subject, data: m.data, reason: r.reason, field: r.field });
      }
      for (const m of batch) m.ack();
      this.status.batches++;
      this.status.stored += result.stored;
      this.status.deadLettered += result.refused.length;
      this.metrics.messages.inc({ source, outcome: 'stored' }, result.stored);
      if (result.refused.length > 0) this.metrics.messages.inc({ source, outcome: 'dead_lettered' }, result.refused.length);
      this.metrics.batchDuration.observe({ source, outcome: 'ok' }, (performance.now() - started) / 1000);
    } catch (e) {
      const reason = (e as Error).message;
      this.status.lastError = reason;
      this.logger.warn(`batch of ${batch.length} not stored, redelivering: ${reason}`);
      this.metrics.batchDuration.observe({ source, outcome: 'failed' }, (performance.now() - started) / 1000);
      await this.giveUpOrRetry(batch, reason);
    }
  }

  /** A message on its last delivery is dead-lettered with the failure; the others come back later. */
  private async giveUpOrRetry(batch: JsMsg[], reason: string): Promise<void> {
    const source = this.spec.name;
    for (const m of batch) {
      const deliveries = m.info.deliveryCount;
      if (deliveries < this.spec.maxDeliver) {
        m.nak(retryDelayMs(deliveries));
        this.metrics.messages.inc({ source, outcome: 'retried' });
        continue;
      }
      try {
        await publishDeadLetter(this.js, { source, stream: this.spec.stream, sequence: m.seq, subject: m.subject, data: m.data, reason: `not stored after ${deliveries} deliveries: ${reason}`, field: null });
        m.ack();
        this.status.deadLettered++;
        this.metrics.messages.inc({ source, outcome: 'dead_lettered' });
      } catch {
        m.nak(retryDelayMs(deliveries)); // the broker is away too: its max-deliveries advisory dead-letters it
      }
    }
  }

  /**
   * A message the broker stopped redelivering without our ack (a replica died on its last delivery):
   * JetStream 2.9 keeps it in the stream and only says so in an advisory, so it is copied from there.
   */
  private async onMaxDeliveries(advisory: { stream_seq: number; deliveries: number }): Promise<void> {
    try {
      const m = await this.jsm.streams.getMessage(this.spec.stream, { seq: advisory.stream_seq });
      if (!m) return;
      await publishDeadLetter(this.js, {
        source: this.spec.name,
        stream: this.spec.stream,
        sequence: m.seq,
        subject: m.subject,
        data: m.data,
        reason: `not acknowledged after ${advisory.deliveries} deliveries`,
        field: null,
      });
      this.status.deadLettered++;
      this.metrics.messages.inc({ source: this.spec.name, outcome: 'dead_lettered' });
    } catch (e) {
      this.logger.warn(`could not dead-letter message ${advisory.stream_seq} after max deliveries: ${(e as Error).message}`);
    }
  }

  private async refreshLag(): Promise<void> {
    try {
      const info = await this.jsm.consumers.info(this.spec.stream, consumerName(this.spec.name));
      this.status.lag = info.num_pending + info.num_ack_pending;
      this.metrics.lag.set({ source: this.spec.name }, this.status.lag);
    } catch {
      // broker away: keep the last known lag
    }
  }
}

function isNotFound(e: unknown): boolean {
  return e instanceof Error && /not found/i.test(e.message);
}
