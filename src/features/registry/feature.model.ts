import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Feature', { description: 'One feature of a feature view, with where it comes from.' })
export class FeatureModel {
  @Field() name!: string;
  @Field() view!: string;
  @Field({ description: '`view:feature`, as feature services and retrieval requests name it.' }) reference!: string;
  @Field(() => String, { nullable: true, description: 'ODCS logicalType of the source column (null until the port has an offline table).' })
  type!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => [String]) tags!: string[];
  @Field() dataProduct!: string;
  @Field() outputPort!: string;
  @Field(() => [String]) entities!: string[];
  @Field() online!: boolean;
  @Field(() => Int, { description: 'Max age in seconds (0: none).' }) ttlSeconds!: number;
}
