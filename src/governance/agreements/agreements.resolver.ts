import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize, ResourceFn } from '../auth/authorize.decorator';
import { CurrentPrincipal } from '../auth/current-principal';
import type { Principal } from '../auth/principal';
import { AccessAgreementModel, AccessRequestInput } from './agreements.model';
import { AgreementsService } from './agreements.service';

/** Deciding is scoped to the domain of the agreement's port (checked again by the service). */
const agreementPort: ResourceFn = async (input, lookup) => {
  const id = typeof input.args.id === 'string' ? input.args.id : '';
  const product = id ? await lookup.agreementProduct(id) : null;
  return { type: 'product', id: product ?? id, domain: product ? await lookup.productDomain(product) : null };
};

@Resolver(() => AccessAgreementModel)
export class AgreementsResolver {
  constructor(private readonly agreements: AgreementsService) {}

  @Mutation(() => AccessAgreementModel, { description: 'Asks for access to an output port; non-PII ports with autoApprove approve at once.' })
  @Authorize('agreements.request')
  requestAccess(@Args('input') input: AccessRequestInput, @CurrentPrincipal() who: Principal): Promise<AccessAgreementModel> {
    return this.agreements.request(who, input) as Promise<AccessAgreementModel>;
  }

  @Mutation(() => AccessAgreementModel)
  @Authorize('agreements.approve', agreementPort)
  approveAccess(@Args('id', { type: () => ID }) id: string, @Args('reason', { type: () => String, nullable: true }) reason: string | null, @CurrentPrincipal() who: Principal): Promise<AccessAgreementModel> {
    return this.agreements.approve(who, id, reason) as Promise<AccessAgreementModel>;
  }

  @Mutation(() => AccessAgreementModel)
  @Authorize('agreements.approve', agreementPort)
  rejectAccess(@Args('id', { type: () => ID }) id: string, @Args('reason', { type: () => String, nullable: true }) reason: string | null, @CurrentPrincipal() who: Principal): Promise<AccessAgreementModel> {
    return this.agreements.reject(who, id, reason) as Promise<AccessAgreementModel>;
  }

  @Mutation(() => AccessAgreementModel, { description: 'Ends an agreement early: the port owner, or the consumer who asked.' })
  @Authorize('agreements.request')
  revokeAccess(@Args('id', { type: () => ID }) id: string, @Args('reason', { type: () => String, nullable: true }) reason: string | null, @CurrentPrincipal() who: Principal): Promise<AccessAgreementModel> {
    return this.agreements.revoke(who, id, reason) as Promise<AccessAgreementModel>;
  }

  @Query(() => [AccessAgreementModel], { description: 'Agreements, newest first; page with `first` and `after`.' })
  @Authorize('agreements.read')
  accessAgreements(
    @Args('consumerId', { type: () => String, nullable: true }) consumerId: string | null,
    @Args('dataProduct', { type: () => String, nullable: true }) dataProduct: string | null,
    @Args('status', { type: () => String, nullable: true }) status: string | null,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => ID, nullable: true, description: 'The id of the last agreement of the previous page: the page after it.' }) after: string | null,
  ): Promise<AccessAgreementModel[]> {
    return this.agreements.list(
      { consumerId: consumerId ?? undefined, dataProduct: dataProduct ?? undefined, status: status ?? undefined, after: after ?? undefined },
      Math.min(Math.max(first, 1), 500),
    ) as Promise<AccessAgreementModel[]>;
  }
}
