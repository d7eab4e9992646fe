import { Module } from '@nestjs/common';
import { RegistryResolver } from './registry/registry.resolver';
import { RegistryRepository } from './registry/registry.repository';
import { FeatureRegistryService } from './registry/registry.service';
import { FeatureViewResolver } from './registry/feature-view-resolver';
import { FeatureDiscoveryService } from './registry/feature-discovery.service';

@Module({
  imports: [
    // Feature store sub-modules are added here, one line each.
  ],
  providers: [RegistryRepository, FeatureRegistryService, RegistryResolver, FeatureViewResolver, FeatureDiscoveryService],
  exports: [FeatureRegistryService, FeatureViewResolver],
})
export class FeaturesModule {}
