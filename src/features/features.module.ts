import { Module } from '@nestjs/common';
import { RegistryResolver } from './registry/registry.resolver';
import { RegistryRepository } from './registry/registry.repository';
import { FeatureRegistryService } from './registry/registry.service';
import { FeatureViewResolver } from './registry/feature-view-resolver';
import { FeatureDiscoveryService } from './registry/feature-discovery.service';
import { OfflineStoreModule } from './offline/offline-store.module';
import { RetrievalModule } from './retrieval/retrieval.module';
import { OnlineStoreModule } from './online/online-store.module';
import { MaterializationModule } from './materialization/materialization.module';
import { ServingModule } from './serving/serving.module';
import { PushModule } from './push/push.module';
import { DatasetsModule } from './datasets/datasets.module';
import { FeatureViewsController } from './registry/feature-views.controller';

@Module({
  imports: [
    // Feature store sub-modules are added here, one line each.
    OfflineStoreModule,
    RetrievalModule,
    OnlineStoreModule, MaterializationModule, ServingModule,
    PushModule,
    DatasetsModule,
  ],
  controllers: [FeatureViewsController],
  providers: [RegistryRepository, FeatureRegistryService, RegistryResolver, FeatureViewResolver, FeatureDiscoveryService],
  exports: [FeatureRegistryService, FeatureViewResolver, OfflineStoreModule],
})
export class FeaturesModule {}
