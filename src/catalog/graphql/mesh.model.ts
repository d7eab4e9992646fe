import { Field, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';
import { TeamModel } from './data-product.model';

export enum LineageDirectionGql {
  UPSTREAM = 'UPSTREAM',
  DOWNSTREAM = 'DOWNSTREAM',
  BOTH = 'BOTH',
}
registerEnumType(LineageDirectionGql, { name: 'LineageDirection' });

export enum ContractFileEncodingGql {
  base64 = 'base64',
}
registerEnumType(ContractFileEncodingGql, { name: 'ContractFileEncoding' });

@ObjectType('LineageNode')
export class LineageNodeModel {
  @Field() id!: string;
  @Field({ description: 'PRODUCT, or EXTERNAL for a contract no catalogued product publishes.' }) kind!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) domain!: string | null;
  @Field(() => String, { nullable: true }) type!: string | null;
  @Field(() => String, { nullable: true }) status!: string | null;
  @Field(() => Int, { description: 'Hops from the root: negative upstream, positive downstream.' }) distance!: number;
}

@ObjectType('LineageEdge', { description: 'Data flows from an output port of `from` into an input port of `to`.' })
export class LineageEdgeModel {
  @Field() from!: string;
  @Field() to!: string;
  @Field() contractId!: string;
  @Field(() => String, { nullable: true }) outputPort!: string | null;
  @Field() inputPort!: string;
}

@ObjectType('Lineage')
export class LineageModel {
  @Field(() => [LineageNodeModel]) nodes!: LineageNodeModel[];
  @Field(() => [LineageEdgeModel]) edges!: LineageEdgeModel[];
}

@ObjectType('GlossaryTerm', { description: "A term of a domain's ubiquitous language." })
export class GlossaryTermModel {
  @Field() domain!: string;
  @Field() term!: string;
  @Field() definition!: string;
  @Field(() => [String]) synonyms!: string[];
  @Field(() => [String], { description: 'Ids of the data products this term names.' }) products!: string[];
}

@ObjectType('Domain')
export class DomainModel {
  @Field() name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => TeamModel, { nullable: true }) team!: TeamModel | null;
  @Field(() => Int) productCount!: number;
}

@ObjectType('UseCase', { description: 'A consumer of the mesh and the data products it relies on.' })
export class UseCaseModel {
  @Field() name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => String, { nullable: true }) purpose!: string | null;
  @Field(() => GraphQLJSON) consumer!: unknown;
  @Field(() => GraphQLJSON) dataProducts!: unknown;
}

@InputType('ContractFileInput')
export class ContractFileInput {
  @Field({ description: 'Path of the file, e.g. contracts/rides/rides-trips.odps.yaml' }) path!: string;
  @Field({ description: 'YAML or JSON text (several YAML documents allowed), or base64 bytes when encoding is base64.' }) content!: string;
  @Field(() => ContractFileEncodingGql, { nullable: true, description: 'base64: a binary attachment such as the .onnx file a Model document names; absent: text.' })
  encoding?: 'base64';
}

@InputType('ContractRefInput')
export class ContractRefInput {
  @Field() id!: string;
  @Field(() => String, { nullable: true, description: 'A version applied before; the current one when omitted.' }) version?: string | null;
}

@ObjectType('ApplyIssue')
export class ApplyIssueModel {
  @Field() file!: string;
  @Field({ description: "Path inside the document, e.g. outputPorts[0].contractId ('' = whole document)." }) path!: string;
  @Field() message!: string;
  @Field() severity!: string;
  @Field(() => Int, { nullable: true }) docIndex?: number | null;
}

@ObjectType('ApplyChange')
export class ApplyChangeModel {
  @Field() file!: string;
  @Field() kind!: string;
  @Field() id!: string;
  @Field(() => String, { nullable: true }) version!: string | null;
  @Field({ description: 'created, updated or unchanged' }) action!: string;
  @Field(() => String, { nullable: true }) impact?: string | null;
  @Field(() => String, { nullable: true }) suggestedVersion?: string | null;
  @Field(() => GraphQLJSON, { nullable: true }) diff?: unknown;
}

@ObjectType('ApplySummary')
export class ApplySummaryModel {
  @Field(() => Int) created!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int) unchanged!: number;
}

@ObjectType('ApplyReport')
export class ApplyReportModel {
  @Field() applied!: boolean;
  @Field() dryRun!: boolean;
  @Field() changed!: boolean;
  @Field() message!: string;
  @Field(() => ApplySummaryModel) summary!: ApplySummaryModel;
  @Field(() => [ApplyChangeModel]) changes!: ApplyChangeModel[];
  @Field(() => [ApplyIssueModel]) warnings!: ApplyIssueModel[];
  @Field(() => [ApplyIssueModel]) errors!: ApplyIssueModel[];
}
