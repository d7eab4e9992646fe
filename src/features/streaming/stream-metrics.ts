import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../../observability/metrics/metrics.service';

/** Per stream source (label `source`: a registry name, bounded by the applied documents). */
@Injectable()
export class StreamMetrics {
  readonly messages: Counter<'source' | 'outcome'>;
  readonly batchSize: Histogram<'source'>;
  readonly batchDuration: Histogram<'source' | 'outcome'>;
  readonly lag: Gauge<'source'>;
  readonly paused: Gauge<'source'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.messages = new Counter({
      name: 'tessera_stream_messages_total',
      help: 'Stream source messages by outcome: stored (new or already stored), dead_lettered (refused or out of deliveries), retried (batch failed, redelivered)',
      labelNames: ['source', 'outcome'] as const,
      registers,
    });
    this.batchSize = new Histogram({ name: 'tessera_stream_batch_messages', help: 'Messages per written batch', labelNames: ['source'] as const, buckets: [1, 5, 10, 50, 100, 250, 500, 1000, 5000], registers });
    this.batchDuration = new Histogram({
      name: 'tessera_stream_batch_duration_seconds',
      help: 'Time to write one batch (offline, online, dead letters) by outcome',
      labelNames: ['source', 'outcome'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.lag = new Gauge({
      name: 'tessera_stream_lag_messages',
      help: 'Messages of the source not yet acknowledged (pending plus in flight), as last read from the broker',
      labelNames: ['source'] as const,
      registers,
    });
    this.paused = new Gauge({ name: 'tessera_stream_paused', help: '1 while the source is paused on this replica', labelNames: ['source'] as const, registers });
  }
}
