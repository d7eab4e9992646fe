import { Module } from '@nestjs/common';
import { FeaturesModule } from '../features/features.module';
import { ApplyExtensions } from './apply/apply-extensions';
import { ApplyService } from './apply/apply.service';
import { CatalogQueryService } from './discovery/catalog-query.service';
import { CatalogRepository } from './discovery/catalog.repository';
import { ContractHistoryService } from './discovery/contract-history.service';
import { LineageService } from './discovery/lineage.service';
import { CatalogQueryModule } from './query/catalog-query.module';
import { ApplyResolver } from './graphql/apply.resolver';
import { CatalogResolver } from './graphql/catalog.resolver';
import { ApplyController } from './rest/apply.controller';
import { CatalogController } from './rest/catalog.controller';

@Module({
  imports: [FeaturesModule, CatalogQueryModule],
  controllers: [ApplyController, CatalogController],
  providers: [ApplyExtensions, ApplyService, CatalogRepository, CatalogQueryService, LineageService, ContractHistoryService, CatalogResolver, ApplyResolver],
  exports: [ApplyExtensions, ApplyService, CatalogQueryService, CatalogQueryModule],
})
export class CatalogModule {}
