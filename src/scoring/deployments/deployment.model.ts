import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';

@ObjectType('CanaryDeployment')
export class CanaryModel {
  @Field() version!: string;
  @Field(() => Float, { description: 'Share of entities (0-100, sticky by join-key hash) the canary answers.' }) percent!: number;
}

@ObjectType('ModelDeployment', { description: 'Which versions of a model serve predictions.' })
export class DeploymentModel {
  @Field() name!: string;
  @Field({ description: 'Answers every row not routed to the canary.' }) production!: string;
  @Field(() => CanaryModel, { nullable: true }) canary!: CanaryModel | null;
  @Field(() => [String], { description: 'Score the same rows off the answer path; results only reach the prediction log.' }) shadows!: string[];
  @Field(() => [String], { description: 'Former production versions, most recent last: where rollback goes.' }) previous!: string[];
  @Field(() => Int) revision!: number;
  @Field() updatedAt!: Date;
  @Field() updatedBy!: string;
}

@ObjectType('ModelDeploymentChange', { description: 'One recorded deployment change.' })
export class DeploymentChangeModel {
  @Field(() => Int) seq!: number;
  @Field() name!: string;
  @Field({ description: 'deploy, set_canary, clear_canary, add_shadow, remove_shadow, promote_canary or rollback.' }) action!: string;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Deployment before: {production, canary, shadows, previous}; null for the first.' }) before!: unknown;
  @Field(() => GraphQLJSON, { description: 'Deployment after.' }) after!: unknown;
  @Field({ description: 'Principal id of who made the change.' }) changedBy!: string;
  @Field() changedAt!: Date;
}
