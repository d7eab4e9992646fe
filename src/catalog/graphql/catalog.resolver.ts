import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { CatalogQueryService } from '../discovery/catalog-query.service';
import { CatalogRepository } from '../discovery/catalog.repository';
import { ContractHistoryService } from '../discovery/contract-history.service';
import { LineageService } from '../discovery/lineage.service';
import { ContractDiffModel, ContractVersionModel, DataContractModel } from './data-contract.model';
import { DataProductConnectionModel, DataProductModel, ProductStatusGql, ProductTypeGql } from './data-product.model';
import { ContractRefInput, DomainModel, GlossaryTermModel, LineageDirectionGql, LineageModel, UseCaseModel } from './mesh.model';

@Resolver()
export class CatalogResolver {
  constructor(
    private readonly queries: CatalogQueryService,
    private readonly repo: CatalogRepository,
    private readonly lineageService: LineageService,
    private readonly history: ContractHistoryService,
  ) {}

  @Query(() => DataProductConnectionModel, { description: 'Data products, ranked by full-text relevance when `search` is given.' })
  @Authorize('catalog.read')
  dataProducts(
    @Args('search', { nullable: true }) search?: string,
    @Args('domain', { nullable: true }) domain?: string,
    @Args('tags', { type: () => [String], nullable: true, description: 'Products having all of these tags.' }) tags?: string[],
    @Args('status', { type: () => ProductStatusGql, nullable: true }) status?: ProductStatusGql,
    @Args('type', { type: () => ProductTypeGql, nullable: true }) type?: ProductTypeGql,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<DataProductConnectionModel> {
    return this.queries.search({ search, domain, tags, status, type }, first, after);
  }

  @Query(() => DataProductModel)
  @Authorize('catalog.read')
  dataProduct(@Args('id') id: string): Promise<DataProductModel> {
    return this.queries.product(id);
  }

  @Query(() => DataContractModel)
  @Authorize('catalog.read')
  dataContract(@Args('id') id: string): Promise<DataContractModel> {
    return this.queries.contract(id);
  }

  @Query(() => [ContractVersionModel], { description: 'Applied revisions of a contract, newest first.' })
  @Authorize('catalog.read')
  contractHistory(@Args('id') id: string): Promise<ContractVersionModel[]> {
    return this.history.history(id);
  }

  @Query(() => ContractDiffModel, { description: 'Changes from one contract (version) to another, with their impact.' })
  @Authorize('catalog.read')
  contractDiff(@Args('from') from: ContractRefInput, @Args('to') to: ContractRefInput): Promise<ContractDiffModel> {
    return this.history.diff(from, to);
  }

  @Query(() => LineageModel, { description: 'Lineage derived from input ports → upstream output port contracts.' })
  @Authorize('catalog.read')
  lineage(
    @Args('id') id: string,
    @Args('direction', { type: () => LineageDirectionGql, defaultValue: LineageDirectionGql.BOTH }) direction: LineageDirectionGql,
    @Args('depth', { type: () => Int, defaultValue: 3 }) depth: number,
  ): Promise<LineageModel> {
    return this.lineageService.lineage(id, direction, depth);
  }

  @Query(() => [DomainModel])
  @Authorize('catalog.read')
  domains(): Promise<DomainModel[]> {
    return this.repo.domains();
  }

  @Query(() => [GlossaryTermModel])
  @Authorize('catalog.read')
  glossary(@Args('domain', { nullable: true }) domain?: string, @Args('search', { nullable: true }) search?: string): Promise<GlossaryTermModel[]> {
    return this.repo.glossary(domain, search);
  }

  @Query(() => [UseCaseModel])
  @Authorize('catalog.read')
  useCases(): Promise<UseCaseModel[]> {
    return this.repo.useCases();
  }
}
