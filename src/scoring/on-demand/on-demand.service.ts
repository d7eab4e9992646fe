import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { ChangeFeed } from '../../common/changes/change-feed';
import { TesseraConfig } from '../../config/tessera-config';
import { ModelRegistryService } from '../registry/model-registry.service';
import { OnDemandBatch } from './on-demand-batch';
import { ensureOnDemandStreams } from './on-demand-subjects';
import { OnDemandWorker } from './on-demand-worker';

/**
 * Model-on-demand workers (ADR 0027) in this process: one per served model, when NATS_URL is set and
 * TESSERA_PREDICT_WORKERS is not `off`. With `all`, the set follows the registry (the `models` change
 * kind): a model registered on any replica is served at once.
 */
@Injectable()
export class OnDemandService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OnDemand');
  private nats: { nc: NatsConnection; js: JetStreamClient; jsm: JetStreamManager } | null = null;
  private readonly workers = new Map<string, OnDemandWorker>();
  private reconciling: Promise<void> = Promise.resolve();

  constructor(
    @Inject(TesseraConfig) private readonly config: TesseraConfig,
    private readonly registry: ModelRegistryService,
    private readonly batch: OnDemandBatch,
    private readonly changes: ChangeFeed,
  ) {}

  /** Models this process is scoring requests of now. */
  get serving(): string[] {
    return [...this.workers.keys()].sort();
  }

  async onApplicationBootstrap(): Promise<void> {
    const servers = this.config.natsServers;
    const wanted = this.config.predictWorkers;
    if (!servers || (Array.isArray(wanted) && wanted.length === 0)) {
      this.logger.log(`model-on-demand workers are off: ${servers ? 'TESSERA_PREDICT_WORKERS=off' : 'NATS_URL is not set'}`);
      return;
    }
    const nc = await connect({ servers, maxReconnectAttempts: -1, reconnectTimeWait: 250, name: 'tessera-predict-workers' });
    const jsm = await jetstreamManager(nc);
    this.nats = { nc, js: jetstream(nc), jsm };
    await ensureOnDemandStreams(jsm);
    if (wanted === 'all') this.changes.subscribe('models', () => void this.reconcile());
    await this.reconcile();
    this.logger.log(`model-on-demand workers serve ${wanted === 'all' ? `every model (${this.serving.join(', ') || 'none yet'})` : wanted.join(', ')}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reconciling;
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
    this.workers.clear();
    await this.nats?.nc.drain().catch(() => undefined);
    this.nats = null;
  }

  /** Serialized: two model changes in a row must not start a worker twice. */
  reconcile(): Promise<void> {
    this.reconciling = this.reconciling.then(() => this.reconcileNow()).catch((e: Error) => this.logger.error(`on-demand workers not reconciled: ${e.message}`));
    return this.reconciling;
  }

  private async reconcileNow(): Promise<void> {
    if (!this.nats) return;
    const { js, jsm } = this.nats;
    const configured = this.config.predictWorkers;
    const models = configured === 'all' ? [...new Set((await this.registry.list()).map((v) => v.name))] : configured;
    for (const model of models) {
      if (this.workers.has(model)) continue;
      const worker = new OnDemandWorker(model, js, jsm, (m, b) => this.batch.handle(js, m, b), {
        batchMax: this.config.predictBatchMax,
        batchWaitMs: this.config.predictBatchWaitMs,
        ackWaitMs: this.config.streamAckWaitMs,
      });
      await worker.start();
      this.workers.set(model, worker);
    }
  }
}
