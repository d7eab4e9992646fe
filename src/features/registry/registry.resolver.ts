import { Args, Query, Resolver } from '@nestjs/graphql';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { FeatureDiscoveryService } from './feature-discovery.service';
import { FeatureModel } from './feature.model';
import { RegistryKindGql, RegistryObjectModel } from './registry.model';
import { FeatureRegistryService } from './registry.service';

@Resolver(() => RegistryObjectModel)
export class RegistryResolver {
  constructor(
    private readonly registry: FeatureRegistryService,
    private readonly discovery: FeatureDiscoveryService,
  ) {}

  @Query(() => [FeatureModel], { description: 'Features by name/description/tag text, logical type, owning data product and tags (all of).' })
  @Authorize('catalog.read')
  features(
    @Args('search', { nullable: true }) search?: string,
    @Args('type', { nullable: true }) type?: string,
    @Args('dataProduct', { nullable: true }) product?: string,
    @Args('tags', { type: () => [String], nullable: true }) tags?: string[],
  ): Promise<FeatureModel[]> {
    return this.discovery.search({ search, type, product, tags });
  }

  @Query(() => [RegistryObjectModel], { description: 'Registry documents, optionally of one kind and matching a search string.' })
  @Authorize('catalog.read')
  async registryObjects(@Args('kind', { type: () => RegistryKindGql, nullable: true }) kind?: RegistryKindGql, @Args('search', { nullable: true }) search?: string): Promise<RegistryObjectModel[]> {
    const rows = await this.registry.list(kind, search);
    return rows.map((r) => ({
      kind: r.kind as RegistryKindGql,
      name: r.name,
      version: r.version,
      spec: r.normalized,
      contentHash: r.contentHash,
      sourceFile: r.sourceFile ?? undefined,
      updatedAt: r.updatedAt,
    }));
  }
}
