import { Module } from '@nestjs/common';
import { FeatureRegistryModule } from '../registry/registry.module';
import { HistoricalFeaturesController } from './historical-features.controller';
import { HistoricalFeaturesResolver } from './historical-features.resolver';
import { HistoricalFeaturesService } from './historical-features.service';

/** Historical (point-in-time) retrieval, through the registry's one FeatureViewResolver cache (invalidated by apply). */
@Module({
  imports: [FeatureRegistryModule],
  controllers: [HistoricalFeaturesController],
  providers: [HistoricalFeaturesService, HistoricalFeaturesResolver],
  exports: [HistoricalFeaturesService],
})
export class RetrievalModule {}
