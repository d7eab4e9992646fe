import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { ApiKeyRow, PrincipalRow } from './auth.repository';
import { ApiKeyModel, CreatedApiKeyModel, PrincipalInput, PrincipalModel, RoleGrantInput } from './auth.model';
import { ApiKeyService } from './api-key.service';
import { Authorize } from './authorize.decorator';
import { CurrentPrincipal } from './current-principal';
import type { Principal, RoleGrant } from './principal';

const grants = (roles: RoleGrantInput[]): RoleGrant[] => roles.map((r) => (r.domain ? { role: r.role, domain: r.domain } : { role: r.role }));

@Resolver()
export class AuthResolver {
  constructor(private readonly keys: ApiKeyService) {}

  @Query(() => PrincipalModel, { description: 'The caller, with its roles.' })
  @Authorize('self.read')
  me(@CurrentPrincipal() who: Principal): PrincipalModel {
    return who as PrincipalModel;
  }

  @Query(() => [PrincipalModel])
  @Authorize('keys.manage')
  principals(): Promise<PrincipalRow[]> {
    return this.keys.principals();
  }

  @Query(() => [ApiKeyModel], { description: 'API keys without their secrets.' })
  @Authorize('keys.manage')
  apiKeys(@Args('principalId', { nullable: true }) principalId?: string, @Args('includeRevoked', { defaultValue: true }) includeRevoked?: boolean): Promise<ApiKeyRow[]> {
    return this.keys.list(principalId ?? undefined, includeRevoked ?? true);
  }

  @Mutation(() => CreatedApiKeyModel, {
    description: "Issues an API key for a principal (created when new). With `roles`, the principal's grants become exactly these. The key is in the answer once and never again.",
  })
  @Authorize('keys.manage')
  createApiKey(
    @Args('principal') principal: PrincipalInput,
    @Args('roles', { type: () => [RoleGrantInput], nullable: true }) roles: RoleGrantInput[] | null,
    @Args('name', { type: () => String, nullable: true }) name: string | null,
    @Args('expiresAt', { type: () => Date, nullable: true }) expiresAt: Date | null,
    @CurrentPrincipal() who: Principal,
  ): Promise<{ key: string; apiKey: ApiKeyRow; principal: Principal }> {
    return this.keys.create(principal, roles ? grants(roles) : undefined, { name, expiresAt }, who);
  }

  @Mutation(() => PrincipalModel, { description: "Replaces a principal's role grants (in effect on every replica within a second)." })
  @Authorize('keys.manage')
  setPrincipalRoles(@Args('principalId') principalId: string, @Args('roles', { type: () => [RoleGrantInput] }) roles: RoleGrantInput[], @CurrentPrincipal() who: Principal): Promise<PrincipalRow> {
    return this.keys.setRoles(principalId, grants(roles), who);
  }

  @Mutation(() => ApiKeyModel, { description: 'Revokes a key: refused at once by this replica, by every other replica within a second.' })
  @Authorize('keys.manage')
  revokeApiKey(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() who: Principal): Promise<ApiKeyRow> {
    return this.keys.revoke(id, who);
  }
}
