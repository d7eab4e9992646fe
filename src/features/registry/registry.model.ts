import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';

export enum RegistryKindGql {
  Entity = 'Entity',
  FeatureView = 'FeatureView',
  FeatureService = 'FeatureService',
  Model = 'Model',
}
registerEnumType(RegistryKindGql, { name: 'RegistryKind', description: 'Kinds of tessera/v1 registry documents.' });

@ObjectType('RegistryObject', { description: 'A tessera/v1 registry document (Entity, FeatureView, FeatureService, Model) as applied.' })
export class RegistryObjectModel {
  @Field(() => RegistryKindGql) kind!: RegistryKindGql;
  @Field() name!: string;
  @Field({ description: 'Version for kinds that carry one (Model); empty otherwise.' }) version!: string;
  @Field(() => GraphQLJSON, { description: 'The normalized document.' }) spec!: Record<string, unknown>;
  @Field() contentHash!: string;
  @Field({ nullable: true }) sourceFile?: string;
  @Field() updatedAt!: Date;
}
