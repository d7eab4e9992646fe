import { Module } from '@nestjs/common';
import { FeatureRegistryModule } from '../registry/registry.module';
import { HistoricalFeaturesController } from './historical-features.controller';
import { HistoricalFeaturesResolver } from './historical-features.resolver';
import { FeaturePopulationQuery } from './feature-population.query';
import { HistoricalFeaturesService } from './historical-features.service';

/** Historical (point-in-time) retrieval, through the registry's one FeatureViewResolver cache (invalidated by apply). */
@Module({
  imports: [FeatureRegistryModule],
  controllers: [HistoricalFeaturesController],
  providers: [HistoricalFeaturesService, HistoricalFeaturesResolver, FeaturePopulationQuery],
  // Batch scoring (scoring module) reads point-in-time features and populations through these (ADR 0035).
  exports: [HistoricalFeaturesService, FeaturePopulationQuery],
})
export class RetrievalModule {}
