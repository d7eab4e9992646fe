import { Field, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';

@ObjectType('HistoricalFeatures', { description: 'A point-in-time correct training set: one value per entity row in every column.' })
export class HistoricalFeaturesModel {
  @Field(() => GraphQLJSON, {
    description:
      'Column name → values in entity row order: the entity columns as given (join keys normalized, event_timestamp as ISO-8601 UTC), then the features as requested (`feature`, or `view__feature` with fullFeatureNames). Integers beyond 2^53 come as strings.',
  })
  columns!: Record<string, unknown[]>;
}
