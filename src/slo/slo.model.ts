import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';

export enum SloStatusGql {
  met = 'met',
  at_risk = 'at_risk',
  breached = 'breached',
}
registerEnumType(SloStatusGql, { name: 'SloStatus' });

@ObjectType('ErrorBudget', { description: 'Budget of an SLO over its window: `time` (seconds it may be breached, objective 99%) or `requests` (reads that may fail).' })
export class ErrorBudgetModel {
  @Field() kind!: string;
  @Field(() => Float) total!: number;
  @Field(() => Float) consumed!: number;
  @Field(() => Float, { description: 'Share left: 1 untouched, 0 or less exhausted.' }) remaining!: number;
}

@ObjectType('SloEvaluation')
export class SloEvaluationModel {
  @Field() evaluatedAt!: Date;
  @Field(() => SloStatusGql) status!: SloStatusGql;
  @Field(() => Float, { nullable: true }) measured!: number | null;
}

@ObjectType('SloState', { description: 'One SLO of an output port as last measured from real data.' })
export class SloStateModel {
  @Field() productId!: string;
  @Field() port!: string;
  @Field({ description: 'latency, frequency, availability or retention.' }) slo!: string;
  @Field({ description: 'offline (the offline table), online:<view> (its last materialization) or reads.' }) scope!: string;
  @Field(() => SloStatusGql) status!: SloStatusGql;
  @Field({ description: 'The target as the contract declares it, e.g. "1 h".' }) declared!: string;
  @Field(() => Float, { description: 'In `unit`.' }) target!: number;
  @Field({ description: 'seconds or percent.' }) unit!: string;
  @Field(() => Float, { nullable: true, description: 'Null when there is nothing to measure yet.' }) measured!: number | null;
  @Field() evaluatedAt!: Date;
  @Field(() => GraphQLJSON, { description: 'What the measurement is based on (newest event, last load, read counts...).' }) evidence!: Record<string, unknown>;
  @Field(() => ErrorBudgetModel) errorBudget!: ErrorBudgetModel;
  @Field(() => [SloEvaluationModel], { description: 'Latest evaluations, newest first.' }) history!: SloEvaluationModel[];
}

@ObjectType('ProductSloSummary')
export class ProductSloSummaryModel {
  @Field() productId!: string;
  @Field() domain!: string;
  @Field() met!: number;
  @Field() atRisk!: number;
  @Field() breached!: number;
  @Field(() => [SloStateModel]) slos!: SloStateModel[];
}
