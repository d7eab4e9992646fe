import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { FeaturesModule } from '../features/features.module';
import { QualityModule } from '../quality/quality.module';
import { MeasuredPorts } from './measured-ports';
import { SloAlerts } from './slo-alerts';
import { SloEvaluator } from './slo-evaluator.service';
import { SloMeasurementsRepository } from './slo-measurements.repository';
import { SloRuntime } from './slo-runtime';
import { SloStatusService } from './slo-status.service';
import { SloResolver } from './slo.resolver';

/** SLOs measured from real data, their history and error budgets, and breach alerts (issue 6). */
@Module({
  // What SLOs are measured from comes through these modules' query interfaces (MeasuredPorts).
  imports: [CatalogModule, FeaturesModule, QualityModule],
  providers: [SloMeasurementsRepository, MeasuredPorts, SloAlerts, SloEvaluator, SloStatusService, SloRuntime, SloResolver],
  exports: [SloStatusService, SloEvaluator, SloRuntime, SloAlerts, SloMeasurementsRepository],
})
export class SloModule {}
