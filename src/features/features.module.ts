import { Module } from '@nestjs/common';
import { FeatureRegistryModule } from './registry/registry.module';
import { OfflineStoreModule } from './offline/offline-store.module';
import { RetrievalModule } from './retrieval/retrieval.module';
import { OnlineStoreModule } from './online/online-store.module';
import { MaterializationModule } from './materialization/materialization.module';
import { ServingModule } from './serving/serving.module';
import { PushModule } from './push/push.module';
import { DatasetsModule } from './datasets/datasets.module';
import { StreamingModule } from './streaming/streaming.module';
import { FeatureViewsController } from './registry/feature-views.controller';

@Module({
  imports: [
    // Feature store sub-modules are added here, one line each.
    FeatureRegistryModule,
    OfflineStoreModule,
    RetrievalModule,
    OnlineStoreModule,
    MaterializationModule,
    ServingModule,
    PushModule,
    DatasetsModule,
    StreamingModule,
  ],
  controllers: [FeatureViewsController],
  // Re-exported: the modules whose services or query interfaces other modules use (ADR 0021).
  exports: [FeatureRegistryModule, OfflineStoreModule, RetrievalModule, ServingModule, MaterializationModule, DatasetsModule],
})
export class FeaturesModule {}
