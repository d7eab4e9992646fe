import { Module } from '@nestjs/common';
import { FeatureRegistryQuery } from './feature-registry.query';

/** Only the registry's query interface: small, so authorization can import it without the feature store. */
@Module({
  providers: [FeatureRegistryQuery],
  exports: [FeatureRegistryQuery],
})
export class FeatureRegistryQueryModule {}
