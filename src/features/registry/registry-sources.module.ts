import { Module } from '@nestjs/common';
import { RegistrySourcesQuery } from './registry-sources.query';

/** Only the registry's source query: small, so authorization can import it without the feature store. */
@Module({
  providers: [RegistrySourcesQuery],
  exports: [RegistrySourcesQuery],
})
export class RegistrySourcesModule {}
