import { Module } from '@nestjs/common';
import { FeaturesModule } from '../features/features.module';
import { ScoringModule } from '../scoring/scoring.module';
import { SloModule } from '../slo/slo.module';
import { DriftMonitor } from './drift-monitor';
import { DriftRepository } from './drift.repository';
import { DriftResolver } from './drift.resolver';
import { DriftService } from './drift.service';

/** Model monitoring (issue 6): drift of live model versions against their training datasets. */
@Module({
  // Training datasets (FeaturesModule) and logged traffic (ScoringModule) through their query interfaces.
  imports: [FeaturesModule, ScoringModule, SloModule],
  providers: [DriftRepository, DriftService, DriftMonitor, DriftResolver],
  exports: [DriftService, DriftMonitor],
})
export class MonitoringModule {}
