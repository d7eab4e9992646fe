import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { RunEvents, RunTransition } from '../common/events/run-events';
import { TesseraConfig } from '../config/tessera-config';
import { MetricsService } from '../observability/metrics/metrics.service';
import { toRunEvent, OpenLineageRunEvent } from './openlineage-event';
import { OpenLineageOutboxRepository } from './openlineage-outbox.repository';

/** Events per delivery round, and the longest a lineage endpoint may take to answer one. */
const ROUND_EVENTS = 200;
const POST_TIMEOUT_MS = 5_000;
const POLL_MS = 1_000;
const MAX_DELAY_MS = 5 * 60_000;

/**
 * Records every run transition in the outbox and delivers the outbox to OPENLINEAGE_URL in id order
 * (ADR 0034). Recording is queued (a run never waits for lineage) and batched; delivery runs on one
 * replica at a time, stops at the first failure and retries it with exponential backoff, so the
 * endpoint sees each run's START before its COMPLETE even after an outage.
 */
@Injectable()
export class OpenLineageDelivery implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('OpenLineage');
  private readonly settings: TesseraConfig['openLineage'];
  private queue: OpenLineageRunEvent[] = [];
  private writing: Promise<void> = Promise.resolve();
  private delivering: Promise<void> | null = null;
  private again = false;
  private timer?: NodeJS.Timeout;
  private readonly events: Counter<'outcome'>;
  private readonly pendingGauge: Gauge;

  constructor(
    config: TesseraConfig,
    private readonly runs: RunEvents,
    private readonly outbox: OpenLineageOutboxRepository,
    metrics: MetricsService,
  ) {
    this.settings = config.openLineage;
    this.events = new Counter({
      name: 'tessera_openlineage_events_total',
      help: 'OpenLineage run events by outcome: recorded (in the outbox), delivered, retried (a failed delivery attempt)',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
    this.pendingGauge = new Gauge({ name: 'tessera_openlineage_outbox_events', help: 'OpenLineage events waiting in the outbox after the last delivery round', registers: [metrics.registry] });
  }

  onModuleInit(): void {
    if (!this.settings) {
      this.logger.log('OpenLineage is off: OPENLINEAGE_URL is not set (no run events are recorded)');
      return;
    }
    this.logger.log(`OpenLineage run events go to ${this.settings.url} (namespace ${this.settings.namespace})`);
    this.runs.onRun((e) => this.record(e));
    this.timer = setInterval(() => this.poke(), POLL_MS);
    this.timer.unref();
    this.poke();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    await this.delivering;
  }

  /** Waits until every event reported so far is in the outbox (tests, shutdown). */
  async flush(): Promise<void> {
    this.write();
    await this.writing;
  }

  private record(e: RunTransition): void {
    this.queue.push(toRunEvent(e, this.settings!.namespace));
    // One INSERT per tick for every event reported in it, in order.
    if (this.queue.length === 1) setImmediate(() => this.write());
  }

  private write(): void {
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.writing = this.writing
      .then(() => this.outbox.append(batch))
      .then(
        () => {
          this.events.inc({ outcome: 'recorded' }, batch.length);
          this.poke();
        },
        (err: Error) => this.logger.warn(`could not record ${batch.length} lineage event(s): ${err.message}`),
      );
  }

  /** Starts a delivery round, or asks the running one to go again when it ends. */
  poke(): void {
    if (!this.settings) return;
    if (this.delivering) {
      this.again = true;
      return;
    }
    this.delivering = this.deliverRound()
      .catch((err: Error) => this.logger.warn(`lineage delivery round failed: ${err.message}`))
      .finally(() => {
        this.delivering = null;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }

  private async deliverRound(): Promise<void> {
    await this.outbox.whileDelivering(async (client) => {
      for (const row of await this.outbox.oldest(client, ROUND_EVENTS)) {
        if (!row.due) break; // the oldest waits for its retry: later ones wait behind it (order)
        const error = await this.post(row.event);
        if (error === null) {
          await this.outbox.delivered(client, row.id);
          this.events.inc({ outcome: 'delivered' });
          continue;
        }
        const delay = Math.min(MAX_DELAY_MS, this.settings!.retryBaseMs * 2 ** row.attempts);
        await this.outbox.postpone(client, row.id, delay, error);
        this.events.inc({ outcome: 'retried' });
        if (row.attempts === 0) this.logger.warn(`lineage endpoint refused an event (${error}); retrying with backoff`);
        setTimeout(() => this.poke(), delay + 5).unref();
        break;
      }
    });
    this.pendingGauge.set(await this.outbox.pending());
  }

  /** null when the endpoint took the event, else why not. */
  private async post(event: OpenLineageRunEvent): Promise<string | null> {
    const { url, apiKey } = this.settings!;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(POST_TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok ? null : `HTTP ${res.status}`;
    } catch (err) {
      return (err as Error).message;
    }
  }
}
