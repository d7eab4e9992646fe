import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { argField, modelInDomain } from '../../governance/auth/resources';
import type { ModelStage, ModelVersionView } from '../registry/model-version';
import { ModelRegistryService } from '../registry/model-registry.service';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';
import { ModelStageChangeModel, ModelStageGql, ModelVersionModel } from './model-version.model';

@Resolver(() => ModelVersionModel)
export class ModelsResolver {
  constructor(private readonly registry: ModelRegistryService) {}

  @Query(() => [ModelVersionModel], {
    description: 'Model versions matching all search words (name, version, owner, description, tags, features, inputs, outputs), newest version first per model.',
  })
  @Authorize('models.read')
  models(
    @Args('search', { nullable: true }) search?: string,
    @Args('stage', { type: () => ModelStageGql, nullable: true }) stage?: ModelStageGql,
    @Args('owner', { nullable: true }) owner?: string,
    @Args('name', { nullable: true }) name?: string,
  ): Promise<ModelVersionView[]> {
    return this.registry.list({ search, stage: stage as ModelStage | undefined, owner, name });
  }

  @Query(() => ModelVersionModel, { description: 'One model version; without `version`, the production version, else the highest registered.' })
  @Authorize('models.read')
  model(@Args('name') name: string, @Args('version', { nullable: true }) version?: string): Promise<ModelVersionView> {
    return this.registry.get(name, version);
  }

  @Mutation(() => ModelVersionModel, { description: 'Moves a version to a stage; promoting to production archives the previous production version.' })
  @Authorize('models.deploy', modelInDomain(argField('name')))
  setModelStage(@Args('name') name: string, @Args('version') version: string, @Args('stage', { type: () => ModelStageGql }) stage: ModelStageGql, @CurrentPrincipal() who: Principal): Promise<ModelVersionView> {
    return this.registry.setStage(name, version, stage, who.id);
  }

  @ResolveField(() => [ModelStageChangeModel], { description: 'Every stage change of this version, oldest first, with who made it.' })
  @Authorize('models.read')
  stageHistory(@Parent() model: ModelVersionView): Promise<ModelStageChangeModel[]> {
    return this.registry.stageHistory(model.name, model.version) as Promise<ModelStageChangeModel[]>;
  }
}
