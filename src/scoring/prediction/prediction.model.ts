import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';

@InputType('PredictInput', { description: 'Entity rows to score, column-major like POST /v1/models/{name}/predict.' })
export class PredictInput {
  @Field(() => GraphQLJSON, { description: 'Join key -> one value per row, e.g. {"driver_id": [1001, 1002]}.' }) entities!: unknown;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Request-time input -> one value (or array) per row.' }) requestFeatures?: unknown;
}

@ObjectType('PredictionModelRef')
export class PredictionModelRefModel {
  @Field() name!: string;
  @Field({ description: 'The version that answered; with a canary split inside one request, the production version (see rows.version).' }) version!: string;
}

@ObjectType('PredictionRow')
export class PredictionRowModel {
  @Field({ description: 'The version that scored or rejected this row.' }) version!: string;
  @Field({ description: 'production or canary.' }) role!: string;
  @Field(() => GraphQLJSON, { description: 'Feature values fed to the model by view:feature (after imputation).' }) features!: Record<string, number | null>;
  @Field(() => GraphQLJSON, { description: 'Per feature: PRESENT, NOT_FOUND, NULL_VALUE, OUTSIDE_MAX_AGE or IMPUTED.' }) statuses!: Record<string, string>;
  @Field(() => String, { nullable: true, description: 'Why the row was not scored (its outputs are null).' }) rejected?: string;
}

@ObjectType('Prediction')
export class PredictionModel {
  @Field({ description: 'Shared with the prediction log entries of this call.' }) requestId!: string;
  @Field(() => PredictionModelRefModel) model!: PredictionModelRefModel;
  @Field(() => GraphQLJSON, { description: 'Output name -> one value per row (null for rejected rows).' }) outputs!: Record<string, unknown[]>;
  @Field(() => [PredictionRowModel]) rows!: PredictionRowModel[];
}
