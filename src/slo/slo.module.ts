import { Module } from '@nestjs/common';
import { SloAlerts } from './slo-alerts';
import { SloEvaluator } from './slo-evaluator.service';
import { SloMeasurementsRepository } from './slo-measurements.repository';
import { SloRuntime } from './slo-runtime';
import { SloStatusService } from './slo-status.service';
import { SloResolver } from './slo.resolver';

/** SLOs measured from real data, their history and error budgets, and breach alerts (issue 6). */
@Module({
  providers: [SloMeasurementsRepository, SloAlerts, SloEvaluator, SloStatusService, SloRuntime, SloResolver],
  exports: [SloStatusService, SloEvaluator, SloRuntime, SloAlerts, SloMeasurementsRepository],
})
export class SloModule {}
