import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { TesseraConfig } from '../../config/tessera-config';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import { ensureDlqStream } from './dead-letter';
import { StreamBatchWriter } from './stream-batch-writer';
import { StreamMetrics } from './stream-metrics';
import { StreamSourceRunner, StreamSourceStatus } from './stream-source-runner';
import { StreamSourceDirectory, StreamSourceSpec } from './stream-source-directory';
import { StreamPauses } from './stream-pauses';

export interface StreamSourceView extends StreamSourceSpec, StreamSourceStatus {
  /** False when streaming is off (no NATS_URL) or the source could not start (see lastError). */
  running: boolean;
}

/**
 * Runs a consumer per applied StreamSource when NATS_URL is set (ADR 0026), and keeps the set in step
 * with the registry: a source applied, changed or removed starts, restarts or stops on every replica.
 */
@Injectable()
export class StreamingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Streaming');
  private nats: { nc: NatsConnection; js: JetStreamClient; jsm: JetStreamManager } | null = null;
  private readonly runners = new Map<string, { key: string; runner: StreamSourceRunner }>();
  private readonly failures = new Map<string, string>();
  private reconciling: Promise<void> = Promise.resolve();

  constructor(
    @Inject(TesseraConfig) private readonly config: TesseraConfig,
    private readonly directory: StreamSourceDirectory,
    private readonly writer: StreamBatchWriter,
    private readonly metrics: StreamMetrics,
    private readonly pauses: StreamPauses,
  ) {}

  get enabled(): boolean {
    return this.nats !== null;
  }

  async onApplicationBootstrap(): Promise<void> {
    const servers = this.config.natsServers;
    if (!servers) {
      this.logger.log('streaming is off: NATS_URL is not set (stream sources are stored but not consumed)');
      return;
    }
    const nc = await connect({ servers, maxReconnectAttempts: -1, reconnectTimeWait: 250, name: 'tessera' });
    const jsm = await jetstreamManager(nc);
    this.nats = { nc, js: jetstream(nc), jsm };
    await ensureDlqStream(jsm);
    this.logger.log(`streaming is on: ${servers.join(',')}`);
    this.directory.onChange(() => void this.reconcile());
    // A pause or resume made on any replica (ADR 0026): every replica re-reads the paused set.
    this.pauses.onChange(() => void this.reconcile());
    await this.reconcile();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reconciling;
    await Promise.all([...this.runners.values()].map((r) => r.runner.stop()));
    this.runners.clear();
    await this.nats?.nc.drain().catch(() => undefined);
    this.nats = null;
  }

  /** Serialized: two registry changes in a row must not start a source twice. */
  reconcile(): Promise<void> {
    this.reconciling = this.reconciling.then(() => this.reconcileNow()).catch((e: Error) => this.logger.error(`stream sources not reconciled: ${e.message}`));
    return this.reconciling;
  }

  async list(): Promise<StreamSourceView[]> {
    return (await this.directory.sources()).map((s) => this.view(s));
  }

  async source(name: string): Promise<StreamSourceView> {
    const s = (await this.directory.sources()).find((x) => x.name === name);
    if (!s) throw new FeaturesError(FeaturesErrorCode.STREAM_SOURCE_NOT_FOUND, `stream source ${name} not found`);
    return this.view(s);
  }

  /** Pauses the source on every replica (a stored pause, announced by the change feed), and here at once. */
  async pause(name: string, by: string): Promise<StreamSourceView> {
    this.running(name);
    await this.pauses.set(name, true, by);
    await this.reconcile();
    return this.source(name);
  }

  async resume(name: string, by: string): Promise<StreamSourceView> {
    this.running(name);
    await this.pauses.set(name, false, by);
    await this.reconcile();
    return this.source(name);
  }

  private running(name: string): StreamSourceRunner {
    const r = this.runners.get(name);
    if (r) return r.runner;
    if (!this.nats) throw new FeaturesError(FeaturesErrorCode.STREAMING_OFF, 'streaming is off: set NATS_URL to consume stream sources');
    throw new FeaturesError(FeaturesErrorCode.STREAM_SOURCE_NOT_FOUND, `stream source ${name} is not running${this.failures.has(name) ? `: ${this.failures.get(name)}` : ''}`);
  }

  private view(s: StreamSourceSpec): StreamSourceView {
    const r = this.runners.get(s.name);
    const base = { name: s.name, description: s.description, dataProduct: s.dataProduct, outputPort: s.outputPort, stream: s.stream, subject: s.subject, maxDeliver: s.maxDeliver };
    if (r) return { ...base, ...r.runner.status, running: true };
    return { ...base, paused: false, lag: null, stored: 0, deadLettered: 0, batches: 0, lastError: this.failures.get(s.name) ?? null, running: false };
  }

  private async reconcileNow(): Promise<void> {
    if (!this.nats) return;
    const { nc, js, jsm } = this.nats;
    const wanted = new Map((await this.directory.sources()).map((s) => [s.name, s]));
    const paused = await this.pauses.paused();
    for (const [name, { key, runner }] of this.runners) {
      const spec = wanted.get(name);
      if (spec && JSON.stringify(spec) === key) continue;
      await runner.stop();
      this.runners.delete(name);
    }
    for (const [name, spec] of wanted) {
      if (this.runners.has(name)) continue;
      const runner = new StreamSourceRunner(spec, nc, js, jsm, this.writer, this.metrics, {
        batchRows: this.config.streamBatchRows,
        batchWaitMs: this.config.streamBatchWaitMs,
        ackWaitMs: this.config.streamAckWaitMs,
      });
      try {
        if (paused.has(name)) runner.pause();
        await runner.start();
        this.runners.set(name, { key: JSON.stringify(spec), runner });
        this.failures.delete(name);
      } catch (e) {
        this.failures.set(name, (e as Error).message);
        this.logger.error(`stream source ${name} not started: ${(e as Error).message}`);
      }
    }
    for (const [name, { runner }] of this.runners) {
      if (paused.has(name)) runner.pause();
      else runner.resume();
    }
  }
}
