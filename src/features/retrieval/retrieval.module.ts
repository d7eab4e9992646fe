import { forwardRef, Module } from '@nestjs/common';
import { FeaturesModule } from '../features.module';
import { HistoricalFeaturesController } from './historical-features.controller';
import { HistoricalFeaturesResolver } from './historical-features.resolver';
import { HistoricalFeaturesService } from './historical-features.service';

/**
 * Historical (point-in-time) retrieval. FeaturesModule imports this module and provides the
 * FeatureViewResolver it needs (one cache, invalidated by apply), hence the forwardRef.
 */
@Module({
  imports: [forwardRef(() => FeaturesModule)],
  controllers: [HistoricalFeaturesController],
  providers: [HistoricalFeaturesService, HistoricalFeaturesResolver],
  exports: [HistoricalFeaturesService],
})
export class RetrievalModule {}
