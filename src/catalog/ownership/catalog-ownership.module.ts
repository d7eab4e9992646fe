import { Module } from '@nestjs/common';
import { CatalogOwnershipQuery } from './catalog-ownership.query';

/** Only the ownership query: small, so authorization can import it without the whole catalog. */
@Module({
  providers: [CatalogOwnershipQuery],
  exports: [CatalogOwnershipQuery],
})
export class CatalogOwnershipModule {}
