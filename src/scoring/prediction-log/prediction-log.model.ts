import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';

export enum PredictionLogRoleGql {
  production = 'production',
  canary = 'canary',
  shadow = 'shadow',
}
registerEnumType(PredictionLogRoleGql, { name: 'PredictionLogRole', description: 'How a model version came to score a row: the production version, a canary, or a shadow (scored, never answered).' });

export enum PredictionLogOrderGql {
  asc = 'asc',
  desc = 'desc',
}
registerEnumType(PredictionLogOrderGql, { name: 'PredictionLogOrder', description: 'Order by the time of the prediction: asc oldest first, desc newest first.' });

@ObjectType('PredictionLogEntry', { description: 'One sampled scored (or rejected) row of a prediction request.' })
export class PredictionLogEntryModel {
  @Field({ description: 'Row id in the log (orders rows within one millisecond).' }) id!: string;
  @Field({ description: 'Shared by every row, and every version (production, canary, shadow), of one predict call.' }) requestId!: string;
  @Field() model!: string;
  @Field() version!: string;
  @Field(() => PredictionLogRoleGql) role!: PredictionLogRoleGql;
  @Field(() => GraphQLJSON, { description: 'Entity key values by join key.' }) entity!: Record<string, unknown>;
  @Field(() => GraphQLJSON, { description: 'Feature values used (after imputation) by feature reference.' }) features!: Record<string, unknown>;
  @Field(() => GraphQLJSON, { description: 'Per feature: PRESENT, NOT_FOUND, NULL_VALUE, OUTSIDE_MAX_AGE or IMPUTED.' }) statuses!: Record<string, string>;
  @Field(() => GraphQLJSON, { description: 'Model outputs by output name; empty for a rejected row.' }) outputs!: Record<string, unknown>;
  @Field(() => String, { nullable: true, description: 'Why the row was rejected instead of scored.' }) rejected?: string | null;
  @Field(() => Float, { description: 'End-to-end latency of the predict call (features + model), ms.' }) latencyMs!: number;
  @Field() at!: Date;
}

@ObjectType('PredictionLogSampleRate', { description: 'The per-model sample rate of the prediction log.' })
export class PredictionLogSampleRateModel {
  @Field() model!: string;
  @Field(() => Float, { nullable: true, description: "Fraction of requests logged, 0..1; null: no setting (each version uses its document's predictionLog.sampleRate, else 1)." })
  sampleRate!: number | null;
  @Field(() => String, { nullable: true }) updatedBy!: string | null;
  @Field(() => Date, { nullable: true }) updatedAt!: Date | null;
}

@ObjectType('PredictionLogStats', { description: "Counters of this instance's prediction log writer since start." })
export class PredictionLogStatsModel {
  @Field(() => Int, { description: 'Entries waiting for the next flush.' }) buffered!: number;
  @Field(() => Int) written!: number;
  @Field(() => Int, { description: 'Not kept by sampling.' }) sampledOut!: number;
  @Field(() => Int, { description: 'Dropped because the buffer was full.' }) dropped!: number;
  @Field(() => Int, { description: 'Lost to write failures.' }) failed!: number;
  @Field(() => Int) flushes!: number;
  @Field(() => String, { nullable: true }) lastError!: string | null;
}
