import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum PolicyStatusGql {
  draft = 'draft',
  in_review = 'in_review',
  approved = 'approved',
  rejected = 'rejected',
  active = 'active',
  deprecated = 'deprecated',
  superseded = 'superseded',
}
registerEnumType(PolicyStatusGql, { name: 'PolicyStatus', description: 'draft → in_review → approved | rejected; approved → active at effectiveFrom → deprecated | superseded.' });

export enum VoteChoiceGql {
  approve = 'approve',
  reject = 'reject',
  abstain = 'abstain',
  block = 'block',
}
registerEnumType(VoteChoiceGql, { name: 'VoteChoice', description: 'A governance member’s vote; one block rejects the policy (consent).' });

@ObjectType('PolicyVote')
export class PolicyVoteModel {
  @Field() voter!: string;
  @Field({ description: 'Domain the voter represented.' }) domain!: string;
  @Field(() => VoteChoiceGql) vote!: VoteChoiceGql;
  @Field() comment!: string;
  @Field() castAt!: Date;
}

@ObjectType('Policy')
export class PolicyModel {
  @Field({ description: 'name@revision' }) id!: string;
  @Field() name!: string;
  @Field(() => Int) revision!: number;
  @Field(() => PolicyStatusGql) status!: PolicyStatusGql;
  @Field(() => String, { nullable: true, description: 'Why the status is what it is (tally, deprecation reason, bootstrap).' }) statusReason!: string | null;
  @Field() title!: string;
  @Field({ description: 'interoperability, documentation, security, privacy or compliance' }) category!: string;
  @Field({ description: 'blocking or warning' }) severity!: string;
  @Field() context!: string;
  @Field() decision!: string;
  @Field() consequences!: string;
  @Field({ description: 'CEL expression over product, ports, contracts, properties, changes (ADR 0010).' }) rule!: string;
  @Field() message!: string;
  @Field(() => Date, { nullable: true }) effectiveFrom!: Date | null;
  @Field() proposedBy!: string;
  @Field(() => String, { nullable: true }) sourceFile!: string | null;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) submittedAt!: Date | null;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;
  @Field(() => Date, { nullable: true }) activatedAt!: Date | null;
}

@ObjectType('PolicyTally')
export class PolicyTallyModel {
  @Field(() => Int) quorum!: number;
  @Field(() => [String]) approvingDomains!: string[];
  @Field(() => [String]) rejectingDomains!: string[];
  @Field(() => String, { nullable: true }) blockedBy!: string | null;
  @Field({ description: 'approved, rejected or open' }) outcome!: string;
  @Field() reason!: string;
}

@ObjectType('PolicyViolation')
export class PolicyViolationModel {
  @Field({ description: "Path in the product document, or contractId#path in a contract ('' = the product)." }) path!: string;
  @Field() reason!: string;
}

@ObjectType('PolicyResult')
export class PolicyResultModel {
  @Field() policyId!: string;
  @Field() name!: string;
  @Field() title!: string;
  @Field() category!: string;
  @Field() severity!: string;
  @Field({ description: 'pass, fail or error (the rule could not be evaluated)' }) outcome!: string;
  @Field(() => [PolicyViolationModel]) violations!: PolicyViolationModel[];
  @Field(() => String, { nullable: true }) error!: string | null;
}

@ObjectType('ProductCompliance')
export class ProductComplianceModel {
  @Field() productId!: string;
  @Field() domain!: string;
  @Field() status!: string;
  @Field({ description: 'No blocking policy fails or errors.' }) compliant!: boolean;
  @Field() evaluatedAt!: Date;
  @Field(() => [PolicyResultModel]) results!: PolicyResultModel[];
}

@ObjectType('PolicyScore')
export class PolicyScoreModel {
  @Field() policyId!: string;
  @Field() name!: string;
  @Field() severity!: string;
  @Field(() => Int) evaluated!: number;
  @Field(() => Int) passed!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) errored!: number;
  @Field(() => Float, { description: 'Percentage of evaluated products passing.' }) passRate!: number;
}

@ObjectType('DomainScore')
export class DomainScoreModel {
  @Field() domain!: string;
  @Field(() => Int) products!: number;
  @Field(() => Int) compliantProducts!: number;
  @Field(() => Float) complianceRate!: number;
  @Field(() => [PolicyScoreModel]) policies!: PolicyScoreModel[];
}

@ObjectType('ComplianceScorecard')
export class ComplianceScorecardModel {
  @Field() evaluatedAt!: Date;
  @Field(() => Int) activePolicies!: number;
  @Field(() => Int) products!: number;
  @Field(() => Int) compliantProducts!: number;
  @Field(() => Float) complianceRate!: number;
  @Field(() => [PolicyScoreModel]) policies!: PolicyScoreModel[];
  @Field(() => [DomainScoreModel]) domains!: DomainScoreModel[];
}
