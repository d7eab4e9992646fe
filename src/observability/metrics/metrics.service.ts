import { Injectable } from '@nestjs/common';
import type { ReadRouter, ReplicaStatus } from '../../common/database/read-router';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds; from sub-millisecond online reads to multi-second training-set builds. */
const LATENCY_BUCKETS = [0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const JOB_BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600];

/**
 * Every Prometheus metric Tessera exports, in one registry per application (not prom-client's global
 * one, so several apps in one process — tests, replicas in a bench — never collide). Names follow
 * Prometheus conventions: `tessera_` prefix, base units, `_total` for counters. Label values are
 * bounded: route patterns, GraphQL root fields, view and model names from the registry — never ids
 * or user input.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'tessera_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: 'tessera_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency by operation type, root field and outcome',
    labelNames: ['operation_type', 'root_field', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly onlineStoreDuration = new Histogram({
    name: 'tessera_online_store_duration_seconds',
    help: 'Online store round trips by store kind, operation and outcome',
    labelNames: ['store', 'operation', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly postgresQueryDuration = new Histogram({
    name: 'tessera_postgres_query_duration_seconds',
    help: 'PostgreSQL query latency (every query through the application pool, streams excluded) by outcome',
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** Read at scrape time; set by instrumentPgPool. */
  poolStats?: () => { total: number; idle: number; waiting: number };

  readonly postgresPool: Gauge<'state'> = new Gauge({
    name: 'tessera_postgres_pool_connections',
    help: 'Application pool connections by state (total, idle, waiting requests)',
    labelNames: ['state'] as const,
    registers: [this.registry],
    collect: () => {
      const stats = this.poolStats?.();
      if (!stats) return;
      this.postgresPool.set({ state: 'total' }, stats.total);
      this.postgresPool.set({ state: 'idle' }, stats.idle);
      this.postgresPool.set({ state: 'waiting' }, stats.waiting);
    },
  });

  /** Read at scrape time; set by watchReadRouter. */
  private replicaStatus?: () => ReplicaStatus;

  readonly postgresReads = new Counter({
    name: 'tessera_postgres_heavy_reads_total',
    help: 'Heavy reads (retrieval, dataset exports, search) by where they ran (replica, primary) and why (ADR 0031)',
    labelNames: ['target', 'reason'] as const,
    registers: [this.registry],
  });

  readonly replicaUp: Gauge<'replica'> = new Gauge({
    name: 'tessera_postgres_replica_up',
    help: 'Whether the read replica (DATABASE_READ_URL, labelled host:port) answered its last probe: 1 up, 0 down; absent when none is configured',
    labelNames: ['replica'] as const,
    registers: [this.registry],
    collect: () => {
      const s = this.replicaStatus?.();
      if (s) this.replicaUp.set({ replica: s.host }, s.up ? 1 : 0);
    },
  });

  readonly replicaLagSeconds: Gauge<'replica'> = new Gauge({
    name: 'tessera_postgres_replica_lag_seconds',
    help: 'Read replica replay lag at its last probe: age of the last replayed transaction while WAL remains to replay, 0 when caught up',
    labelNames: ['replica'] as const,
    registers: [this.registry],
    collect: () => {
      const s = this.replicaStatus?.();
      if (s?.lagSeconds !== null && s?.lagSeconds !== undefined) this.replicaLagSeconds.set({ replica: s.host }, s.lagSeconds);
    },
  });

  readonly replicaLagBytes: Gauge<'replica'> = new Gauge({
    name: 'tessera_postgres_replica_lag_bytes',
    help: "Bytes of the primary's WAL the read replica had not replayed at its last probe",
    labelNames: ['replica'] as const,
    registers: [this.registry],
    collect: () => {
      const s = this.replicaStatus?.();
      if (s?.lagBytes !== null && s?.lagBytes !== undefined) this.replicaLagBytes.set({ replica: s.host }, s.lagBytes);
    },
  });

  /** Exports the router's decisions and, when a replica is configured, its health and lag. */
  watchReadRouter(router: ReadRouter): void {
    router.onRoute((r) => this.postgresReads.inc({ target: r.target, reason: r.reason }));
    if (router.configured) this.replicaStatus = () => router.status();
  }

  readonly materializationRows = new Counter({
    name: 'tessera_materialization_rows_total',
    help: 'Rows read from the offline store and written to the online store by materialization, per feature view',
    labelNames: ['feature_view', 'direction'] as const,
    registers: [this.registry],
  });

  readonly materializationDuration = new Histogram({
    name: 'tessera_materialization_job_duration_seconds',
    help: 'Materialization job duration by trigger and outcome',
    labelNames: ['trigger', 'outcome'] as const,
    buckets: JOB_BUCKETS,
    registers: [this.registry],
  });

  readonly predictions = new Counter({
    name: 'tessera_predictions_total',
    help: 'Rows scored or rejected, per model version and deployment role',
    labelNames: ['model', 'version', 'role', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly modelLatency = new Histogram({
    name: 'tessera_model_latency_seconds',
    help: 'Prediction latency (features + model) per model version',
    labelNames: ['model', 'version'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly modelFeaturePsi = new Gauge({
    name: 'tessera_model_drift_psi',
    help: 'Population stability index of a model version feature (or output:<name>) against its training dataset, as last computed',
    labelNames: ['model', 'version', 'feature'] as const,
    registers: [this.registry],
  });

  readonly sloStatus = new Gauge({
    name: 'tessera_slo_status',
    help: 'Current SLO status per output port and SLO: 0 met, 1 at risk, 2 breached',
    labelNames: ['product', 'port', 'slo'] as const,
    registers: [this.registry],
  });

  readonly qualityRuleResults = new Counter({
    name: 'tessera_quality_rule_results_total',
    help: 'Data quality rule evaluations per output port and outcome (passed, failed, error, skipped)',
    labelNames: ['product', 'port', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly policyViolations = new Gauge({
    name: 'tessera_policy_violations',
    help: 'Data products currently violating each active policy, by severity',
    labelNames: ['policy', 'severity'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'tessera_' });
  }

  /** Prometheus text exposition format. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** Seconds since `start` (process.hrtime.bigint()). */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
