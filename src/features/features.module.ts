import { Module } from '@nestjs/common';
import { RegistryResolver } from './registry/registry.resolver';
import { RegistryRepository } from './registry/registry.repository';
import { FeatureRegistryService } from './registry/registry.service';

@Module({
  providers: [RegistryRepository, FeatureRegistryService, RegistryResolver],
  exports: [FeatureRegistryService],
})
export class FeaturesModule {}
