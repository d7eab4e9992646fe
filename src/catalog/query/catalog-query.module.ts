import { Module } from '@nestjs/common';
import { CatalogFactsQuery } from './catalog-facts.query';

/** Only the catalog's query interface: small, so authorization and scoring can import it without the whole catalog. */
@Module({
  providers: [CatalogFactsQuery],
  exports: [CatalogFactsQuery],
})
export class CatalogQueryModule {}
