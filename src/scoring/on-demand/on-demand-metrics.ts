import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../../observability/metrics/metrics.service';

/** Model-on-demand workers (label `model`: a registered model name). */
@Injectable()
export class OnDemandMetrics {
  readonly requests: Counter<'model' | 'outcome'>;
  readonly batchSize: Histogram<'model'>;
  readonly batchDuration: Histogram<'model'>;
  readonly latency: Histogram<'model'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.requests = new Counter({
      name: 'tessera_on_demand_requests_total',
      help: 'On-demand prediction requests by outcome: answered (a prediction), error (an error result), retried (batch failed, redelivered)',
      labelNames: ['model', 'outcome'] as const,
      registers,
    });
    this.batchSize = new Histogram({
      name: 'tessera_on_demand_batch_requests',
      help: 'Requests per scored batch',
      labelNames: ['model'] as const,
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000],
      registers,
    });
    this.batchDuration = new Histogram({
      name: 'tessera_on_demand_batch_duration_seconds',
      help: 'Time to score one batch and publish its results',
      labelNames: ['model'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.latency = new Histogram({
      name: 'tessera_on_demand_latency_seconds',
      help: 'From the request reaching the broker to its result published',
      labelNames: ['model'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }
}
