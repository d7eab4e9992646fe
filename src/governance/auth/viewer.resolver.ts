import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { PrincipalModel } from './auth.model';
import { actionsAnywhere } from './authorize';
import { Authorize } from './authorize.decorator';
import { CurrentPrincipal } from './current-principal';
import type { Principal } from './principal';

@ObjectType('Viewer', { description: 'The signed-in caller and what it may do: a user interface offers only these actions.' })
export class ViewerModel {
  @Field(() => PrincipalModel) principal!: PrincipalModel;
  @Field(() => [String], { description: 'Actions allowed somewhere (mesh-wide or in one of its domains); each request is still authorized on its resource.' })
  permissions!: string[];
}

@Resolver()
export class ViewerResolver {
  @Query(() => ViewerModel, { description: 'The caller and the actions it may take somewhere (for the portal).' })
  @Authorize('self.read')
  viewer(@CurrentPrincipal() who: Principal): ViewerModel {
    return { principal: who as PrincipalModel, permissions: actionsAnywhere(who) };
  }
}
