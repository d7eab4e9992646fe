import { Module } from '@nestjs/common';
import { FeatureRegistryModule } from '../registry/registry.module';
import { HistoricalFeaturesService } from './historical-features.service';

/**
 * Historical (point-in-time) retrieval, through the registry's one FeatureViewResolver cache (invalidated by apply).
 * Its REST route and GraphQL query (HistoricalFeaturesController, HistoricalFeaturesResolver) are registered by DatasetsModule, which adds entity
 * queries and retrieval jobs to it.
 */
@Module({
  imports: [FeatureRegistryModule],
  providers: [HistoricalFeaturesService],
  exports: [HistoricalFeaturesService],
})
export class RetrievalModule {}
