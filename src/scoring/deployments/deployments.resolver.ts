import { Args, Float, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';
import { argField, modelInDomain } from '../../governance/auth/resources';
import type { DeploymentChange, DeploymentState } from './deployment';
import { DeploymentChangeModel, DeploymentModel } from './deployment.model';
import { DeploymentService } from './deployment.service';

@Resolver(() => DeploymentModel)
export class DeploymentsResolver {
  constructor(private readonly deployments: DeploymentService) {}

  @Query(() => DeploymentModel, { nullable: true, description: 'The current deployment; null when never deployed (predict then uses the production-stage version).' })
  @Authorize('models.read')
  deployment(@Args('name') name: string): Promise<DeploymentState | null> {
    return this.deployments.current(name);
  }

  @Query(() => [DeploymentChangeModel], { description: 'Deployment changes of a model, oldest first (the last `limit`).' })
  @Authorize('models.read')
  deploymentHistory(@Args('name') name: string, @Args('limit', { type: () => Int, nullable: true, defaultValue: 100 }) limit: number): Promise<DeploymentChange[]> {
    return this.deployments.history(name, limit);
  }

  @Mutation(() => DeploymentModel, { description: 'Makes a version the production version (its stage becomes production; the previous one is archived and kept for rollback).' })
  @Authorize('models.deploy', modelInDomain(argField('name')))
  deployModel(@Args('name') name: string, @Args('version') version: string, @CurrentPrincipal() who: Principal): Promise<DeploymentState> {
    return this.deployments.deploy(name, version, who.id);
  }

  @Mutation(() => DeploymentModel, { description: 'Routes `percent` % of entities (sticky by join-key hash) to a canary version.' })
  @Authorize('models.deploy', modelInDomain(argField('name')))
  setCanary(@Args('name') name: string, @Args('version') version: string, @Args('percent', { type: () => Float }) percent: number, @CurrentPrincipal() who: Principal): Promise<DeploymentState> {
    return this.deployments.setCanary(name, version, percent, who.id);
  }

  @Mutation(() => DeploymentModel)
  @Authorize('models.deploy', modelInDomain(argField('name')))
  clearCanary(@Args('name') name: string, @CurrentPrincipal() who: Principal): Promise<DeploymentState> {
    return this.deployments.clearCanary(name, who.id);
  }

  @Mutation(() => DeploymentModel, { description: 'Makes the canary the production version.' })
  @Authorize('models.deploy', modelInDomain(argField('name')))
  promoteCanary(@Args('name') name: string, @CurrentPrincipal() who: Principal): Promise<DeploymentState> {
    return this.deployments.promoteCanary(name, who.id);
  }

  @Mutation(() => DeploymentModel, { description: 'Back to the production version before the current one.' })
  @Authorize('models.deploy', modelInDomain(argField('name')))
  rollback(@Args('name') name: string, @CurrentPrincipal() who: Principal): Promise<DeploymentState> {
    return this.deployments.rollback(name, who.id);
  }

  @Mutation(() => DeploymentModel, { description: 'Adds a shadow version: it scores every request off the answer path, into the prediction log.' })
  @Authorize('models.deploy', modelInDomain(argField('name')))
  addShadow(@Args('name') name: string, @Args('version') version: string, @CurrentPrincipal() who: Principal): Promise<DeploymentState> {
    return this.deployments.addShadow(name, version, who.id);
  }

  @Mutation(() => DeploymentModel)
  @Authorize('models.deploy', modelInDomain(argField('name')))
  removeShadow(@Args('name') name: string, @Args('version') version: string, @CurrentPrincipal() who: Principal): Promise<DeploymentState> {
    return this.deployments.removeShadow(name, version, who.id);
  }
}
