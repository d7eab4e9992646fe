import { Module } from '@nestjs/common';
import { FeatureRegistryModule } from '../registry/registry.module';
import { FeaturePopulationQuery } from './feature-population.query';
import { HistoricalFeaturesService } from './historical-features.service';

/**
 * Historical (point-in-time) retrieval, through the registry's one FeatureViewResolver cache (invalidated by apply).
 * Its REST route and GraphQL query (HistoricalFeaturesController, HistoricalFeaturesResolver) are registered by DatasetsModule, which adds entity
 * queries and retrieval jobs to it.
 */
@Module({
  imports: [FeatureRegistryModule],
  providers: [HistoricalFeaturesService, FeaturePopulationQuery],
  // Batch scoring (scoring module) reads point-in-time features and populations through these (ADR 0035).
  exports: [HistoricalFeaturesService, FeaturePopulationQuery],
})
export class RetrievalModule {}
