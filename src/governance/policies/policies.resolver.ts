import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { TesseraConfig } from '../../config/tessera-config';
import { Authorize } from '../auth/authorize.decorator';
import { CurrentPrincipal } from '../auth/current-principal';
import type { Principal } from '../auth/principal';
import { ComplianceService, ProductCompliance, Scorecard } from './compliance.service';
import { ComplianceScorecardModel, PolicyModel, PolicyStatusGql, PolicyTallyModel, PolicyVoteModel, ProductComplianceModel, VoteChoiceGql } from './policy.model';
import type { PolicyRecord, PolicyStatus } from './policy-record';
import { PolicyReviewService } from './policy-review.service';
import { tallyVotes } from './vote-tally';

const toModel = (p: PolicyRecord): PolicyModel => ({
  id: p.id,
  name: p.name,
  revision: p.revision,
  status: p.status as PolicyStatusGql,
  statusReason: p.statusReason,
  title: p.policy.title,
  category: p.policy.category,
  severity: p.policy.severity,
  context: p.policy.context,
  decision: p.policy.decision,
  consequences: p.policy.consequences,
  rule: p.policy.rule,
  message: p.policy.message,
  effectiveFrom: p.effectiveFrom,
  proposedBy: p.proposedBy,
  sourceFile: p.sourceFile,
  createdAt: p.createdAt,
  submittedAt: p.submittedAt,
  decidedAt: p.decidedAt,
  activatedAt: p.activatedAt,
});

/** Policies as code and their review (ADR 0010). Thin: the workflow rules live in PolicyReviewService. */
@Resolver(() => PolicyModel)
export class PoliciesResolver {
  constructor(
    private readonly review: PolicyReviewService,
    private readonly complianceService: ComplianceService,
    private readonly config: TesseraConfig,
  ) {}

  @Query(() => [PolicyModel], { description: 'Policy revisions, optionally of one status, by name and revision.' })
  @Authorize('policies.read')
  async policies(@Args('status', { type: () => PolicyStatusGql, nullable: true }) status?: PolicyStatusGql): Promise<PolicyModel[]> {
    return (await this.review.list(status as PolicyStatus | undefined)).map(toModel);
  }

  @Query(() => PolicyModel, { description: 'One policy revision by id (name@revision).' })
  @Authorize('policies.read')
  async policy(@Args('id', { type: () => ID }) id: string): Promise<PolicyModel> {
    return toModel(await this.review.get(id));
  }

  @Mutation(() => PolicyModel, { description: 'Proposes a tessera/v1 Policy document (YAML or JSON) as a draft revision.' })
  @Authorize('policies.propose')
  async proposePolicy(@CurrentPrincipal() who: Principal, @Args('document') document: string): Promise<PolicyModel> {
    return toModel(await this.review.propose(who, document));
  }

  @Mutation(() => PolicyModel, { description: 'Moves a draft into review; governance members can then vote.' })
  @Authorize('policies.propose')
  async submitPolicyForReview(@CurrentPrincipal() who: Principal, @Args('id', { type: () => ID }) id: string): Promise<PolicyModel> {
    return toModel(await this.review.submit(who, id));
  }

  @Mutation(() => PolicyModel, { description: 'A governance member votes on a policy in review; `domain` is needed only when they represent several.' })
  @Authorize('policies.vote')
  async votePolicy(
    @CurrentPrincipal() who: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('vote', { type: () => VoteChoiceGql }) vote: VoteChoiceGql,
    @Args('comment') comment: string,
    @Args('domain', { type: () => String, nullable: true }) domain?: string | null,
  ): Promise<PolicyModel> {
    return toModel(await this.review.vote(who, id, vote, comment, domain));
  }

  @Mutation(() => PolicyModel, { description: 'Withdraws an active (or approved) policy: governance leads and admins.' })
  @Authorize('policies.withdraw')
  async deprecatePolicy(@CurrentPrincipal() who: Principal, @Args('id', { type: () => ID }) id: string, @Args('reason') reason: string): Promise<PolicyModel> {
    return toModel(await this.review.deprecate(who, id, reason));
  }

  @Query(() => ProductComplianceModel, { description: 'Every active policy evaluated over one data product: pass, fail or error with reasons.' })
  @Authorize('policies.read')
  compliance(@Args('productId') productId: string): Promise<ProductCompliance> {
    return this.complianceService.compliance(productId);
  }

  @Query(() => ComplianceScorecardModel, { description: 'Mesh-wide compliance with the active policies, per domain and per policy.' })
  @Authorize('policies.read')
  complianceScorecard(): Promise<Scorecard> {
    return this.complianceService.scorecard();
  }

  @Authorize('policies.read')
  @ResolveField(() => [PolicyVoteModel], { description: 'Every vote cast, oldest first (a later vote of a member replaces their earlier one in the tally).' })
  votes(@Parent() p: PolicyModel): Promise<PolicyVoteModel[]> {
    return this.review.votes(p.id) as Promise<PolicyVoteModel[]>;
  }

  @Authorize('policies.read')
  @ResolveField(() => PolicyTallyModel, { description: 'The current tally of the votes against the quorum.' })
  async tally(@Parent() p: PolicyModel): Promise<PolicyTallyModel> {
    const t = tallyVotes(await this.review.votes(p.id), this.config.policyQuorum);
    return { quorum: this.config.policyQuorum, approvingDomains: t.approvingDomains, rejectingDomains: t.rejectingDomains, blockedBy: t.blockedBy?.voter ?? null, outcome: t.outcome, reason: t.reason };
  }
}
