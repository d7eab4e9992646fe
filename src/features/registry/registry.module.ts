import { Module } from '@nestjs/common';
import { FeatureDiscoveryService } from './feature-discovery.service';
import { FeatureRegistryQueryModule } from './feature-registry-query.module';
import { FeatureViewResolver } from './feature-view-resolver';
import { RegistryResolver } from './registry.resolver';
import { RegistryRepository } from './registry.repository';
import { FeatureRegistryService } from './registry.service';

/**
 * The feature registry (entities, feature views, feature services) and the one FeatureViewResolver
 * cache. Its own module so retrieval, materialization, push and serving import it directly instead of
 * importing FeaturesModule, which imports them (that was a module cycle held together by forwardRef).
 */
@Module({
  imports: [FeatureRegistryQueryModule],
  providers: [RegistryRepository, FeatureRegistryService, RegistryResolver, FeatureViewResolver, FeatureDiscoveryService],
  exports: [FeatureRegistryService, FeatureViewResolver, FeatureRegistryQueryModule],
})
export class FeatureRegistryModule {}
