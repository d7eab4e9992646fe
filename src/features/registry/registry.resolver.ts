import { Args, Query, Resolver } from '@nestjs/graphql';
import { RegistryKindGql, RegistryObjectModel } from './registry.model';
import { FeatureRegistryService } from './registry.service';

@Resolver(() => RegistryObjectModel)
export class RegistryResolver {
  constructor(private readonly registry: FeatureRegistryService) {}

  @Query(() => [RegistryObjectModel], { description: 'Registry documents, optionally of one kind and matching a search string.' })
  async registryObjects(
    @Args('kind', { type: () => RegistryKindGql, nullable: true }) kind?: RegistryKindGql,
    @Args('search', { nullable: true }) search?: string,
  ): Promise<RegistryObjectModel[]> {
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
