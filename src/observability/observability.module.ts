import { Global, Inject, Module, OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ReadRouter } from '../common/database/read-router';
import { HealthController } from './health/health.controller';
import { GraphqlMetricsPlugin } from './metrics/graphql-metrics.plugin';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { instrumentPgPool } from './metrics/pg-pool-instrumentation';

/**
 * Metrics for every module (global, so the feature store, scoring and governance record into one
 * registry), the /metrics route and the /health and /ready probes. Logging is set up before Nest starts (create-app.ts).
 */
@Global()
@Module({
  controllers: [MetricsController],
  // HealthController's probes are fast routes (ADR 0037): routed by src/governance/auth/fast-routes.ts.
  providers: [MetricsService, GraphqlMetricsPlugin, HealthController],
  exports: [MetricsService],
})
export class ObservabilityModule implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
    private readonly readRouter: ReadRouter,
  ) {}

  onModuleInit(): void {
    instrumentPgPool((this.dataSource.driver as unknown as { master: Pool }).master, this.metrics);
    this.metrics.watchReadRouter(this.readRouter);
  }
}
