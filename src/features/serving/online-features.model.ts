import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';

export enum FeatureStatusGql {
  PRESENT = 'PRESENT',
  NOT_FOUND = 'NOT_FOUND',
  NULL_VALUE = 'NULL_VALUE',
  OUTSIDE_MAX_AGE = 'OUTSIDE_MAX_AGE',
}
registerEnumType(FeatureStatusGql, { name: 'FeatureStatus', description: "Status of one online value, as in Feast's feature server." });

@ObjectType('OnlineFeaturesMetadata')
export class OnlineFeaturesMetadataModel {
  @Field(() => [String], { description: 'Join key columns first, then one name per requested feature.' }) featureNames!: string[];
}

@ObjectType('OnlineFeatureColumn', { description: 'One column: a value, status and event timestamp per entity row.' })
export class OnlineFeatureColumnModel {
  @Field(() => [GraphQLJSON], { nullable: 'items' }) values!: unknown[];
  @Field(() => [FeatureStatusGql]) statuses!: FeatureStatusGql[];
  @Field(() => [String], { description: 'ISO-8601; 1970-01-01T00:00:00Z when not found.' }) eventTimestamps!: string[];
}

@ObjectType('OnlineFeatures', { description: "The content of Feast's get-online-features response." })
export class OnlineFeaturesModel {
  @Field(() => OnlineFeaturesMetadataModel) metadata!: OnlineFeaturesMetadataModel;
  @Field(() => [OnlineFeatureColumnModel]) results!: OnlineFeatureColumnModel[];
}
