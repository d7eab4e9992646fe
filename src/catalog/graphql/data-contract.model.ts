import { Field, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';

@ObjectType('SchemaProperty', { description: 'An ODCS schema property (a column of a table port).' })
export class SchemaPropertyModel {
  @Field() name!: string;
  @Field(() => String, { nullable: true }) physicalName!: string | null;
  @Field(() => String, { nullable: true }) logicalType!: string | null;
  @Field(() => String, { nullable: true }) physicalType!: string | null;
  @Field() required!: boolean;
  @Field() unique!: boolean;
  @Field() primaryKey!: boolean;
  @Field(() => Int, { nullable: true }) primaryKeyPosition!: number | null;
  @Field(() => String, { nullable: true }) classification!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => String, { nullable: true }) businessName!: string | null;
  @Field(() => [String]) tags!: string[];
  @Field(() => GraphQLJSON, { nullable: true }) logicalTypeOptions!: Record<string, unknown> | null;
  @Field(() => GraphQLJSON, { description: 'ODCS quality rules declared on this property.' }) quality!: unknown[];
}

@ObjectType('SchemaObject')
export class SchemaObjectModel {
  @Field() name!: string;
  @Field(() => String, { nullable: true }) physicalName!: string | null;
  @Field(() => String, { nullable: true }) physicalType!: string | null;
  @Field(() => String, { nullable: true }) businessName!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => [SchemaPropertyModel]) properties!: SchemaPropertyModel[];
  @Field(() => GraphQLJSON) quality!: unknown[];
}

@ObjectType('SlaProperty', { description: "One of the port's SLOs (ODCS slaProperties)." })
export class SlaPropertyModel {
  @Field() property!: string;
  @Field(() => GraphQLJSON, { nullable: true }) value!: unknown;
  @Field(() => String, { nullable: true }) unit!: string | null;
  @Field(() => String, { nullable: true }) element!: string | null;
  @Field(() => String, { nullable: true }) driver!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
}

@ObjectType('DataContract', { description: 'An ODCS v3 data contract, as currently applied.' })
export class DataContractModel {
  @Field() id!: string;
  @Field() version!: string;
  @Field() status!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) domain!: string | null;
  @Field(() => String, { nullable: true }) purpose!: string | null;
  @Field(() => [SchemaObjectModel]) schema!: SchemaObjectModel[];
  @Field(() => [SlaPropertyModel]) slaProperties!: SlaPropertyModel[];
  @Field(() => GraphQLJSON, { description: 'Quality rules, each with the path where it was declared.' }) quality!: unknown[];
  @Field(() => GraphQLJSON, { nullable: true }) team!: unknown;
  @Field(() => GraphQLJSON) roles!: unknown[];
  @Field(() => GraphQLJSON) support!: unknown[];
  @Field(() => [String]) tags!: string[];
  @Field(() => GraphQLJSON, { description: 'The document exactly as applied.' }) spec!: Record<string, unknown>;
  @Field(() => String, { nullable: true }) sourceFile!: string | null;
  @Field() updatedAt!: Date;
}

@ObjectType('ContractChange')
export class ContractChangeModel {
  @Field() path!: string;
  @Field({ description: 'added, removed or changed' }) change!: string;
  @Field(() => String, { nullable: true }) field!: string | null;
  @Field(() => String, { nullable: true, description: 'The schema element, e.g. orders.customer_email.' }) element!: string | null;
  @Field(() => GraphQLJSON, { nullable: true }) from!: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) to!: unknown;
  @Field({ description: 'MAJOR, MINOR or PATCH' }) impact!: string;
  @Field() reason!: string;
}

@ObjectType('ContractDiff')
export class ContractDiffModel {
  @Field() fromId!: string;
  @Field() fromVersion!: string;
  @Field() toId!: string;
  @Field() toVersion!: string;
  @Field({ description: 'Highest impact: MAJOR, MINOR, PATCH or NONE.' }) impact!: string;
  @Field() suggestedVersion!: string;
  @Field(() => [ContractChangeModel]) changes!: ContractChangeModel[];
  @Field(() => [ContractChangeModel]) breaking!: ContractChangeModel[];
}

@ObjectType('ContractVersion', { description: 'One applied revision of a contract.' })
export class ContractVersionModel {
  @Field() contractId!: string;
  @Field() version!: string;
  @Field({ description: 'INITIAL, MAJOR, MINOR or PATCH versus the previous revision.' }) impact!: string;
  @Field(() => [ContractChangeModel]) changes!: ContractChangeModel[];
  @Field() contentHash!: string;
  @Field(() => String, { nullable: true }) sourceFile!: string | null;
  @Field() appliedAt!: Date;
}
