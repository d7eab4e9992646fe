import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DataContractModel } from './data-contract.model';

export enum ProductStatusGql {
  proposed = 'proposed',
  draft = 'draft',
  active = 'active',
  deprecated = 'deprecated',
  retired = 'retired',
}
registerEnumType(ProductStatusGql, { name: 'DataProductStatus', description: 'Lifecycle: proposed → draft → active → deprecated → retired.' });

export enum ProductTypeGql {
  sourceAligned = 'sourceAligned',
  aggregate = 'aggregate',
  consumerAligned = 'consumerAligned',
}
registerEnumType(ProductTypeGql, { name: 'DataProductType' });

@ObjectType('TeamMember')
export class TeamMemberModel {
  @Field() username!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) role!: string | null;
}

@ObjectType('Team')
export class TeamModel {
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => [TeamMemberModel]) members!: TeamMemberModel[];
}

@ObjectType('SupportChannel')
export class SupportChannelModel {
  @Field() channel!: string;
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => String, { nullable: true }) tool!: string | null;
  @Field(() => String, { nullable: true }) scope!: string | null;
}

@ObjectType('ProductDescription')
export class ProductDescriptionModel {
  @Field(() => String, { nullable: true }) purpose!: string | null;
  @Field(() => String, { nullable: true }) limitations!: string | null;
  @Field(() => String, { nullable: true }) usage!: string | null;
}

@ObjectType('InputPort')
export class InputPortModel {
  @Field() name!: string;
  @Field() version!: string;
  @Field() contractId!: string;
  @Field(() => DataContractModel, { nullable: true, description: 'The upstream contract, when it is in the catalog.' })
  contract?: DataContractModel | null;
}

@ObjectType('OutputPort')
export class OutputPortModel {
  @Field() name!: string;
  @Field() version!: string;
  @Field(() => String, { nullable: true, description: 'table, featureView, model, api or file.' }) type!: string | null;
  @Field(() => String, { nullable: true }) contractId!: string | null;
  @Field() containsPii!: boolean;
  @Field() autoApprove!: boolean;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => DataContractModel, { nullable: true }) contract?: DataContractModel | null;
}

@ObjectType('DataProduct', { description: 'An ODPS data product: one tile of the mesh.' })
export class DataProductModel {
  @Field() id!: string;
  @Field() name!: string;
  @Field() domain!: string;
  @Field(() => ProductStatusGql) status!: ProductStatusGql;
  @Field(() => String, { nullable: true }) version!: string | null;
  @Field(() => ProductTypeGql, { nullable: true }) type!: ProductTypeGql | null;
  @Field(() => ProductDescriptionModel) description!: ProductDescriptionModel;
  @Field(() => [String]) tags!: string[];
  @Field(() => TeamModel, { nullable: true }) team!: TeamModel | null;
  @Field(() => [SupportChannelModel]) support!: SupportChannelModel[];
  @Field(() => [InputPortModel]) inputPorts!: InputPortModel[];
  @Field(() => [OutputPortModel]) outputPorts!: OutputPortModel[];
  @Field(() => String, { nullable: true }) sourceFile!: string | null;
  @Field() updatedAt!: Date;
}

@ObjectType('DataProductEdge')
export class DataProductEdgeModel {
  @Field(() => DataProductModel) node!: DataProductModel;
  @Field() cursor!: string;
  @Field(() => Float, { description: 'Full-text rank (0 without a search).' }) rank!: number;
}

@ObjectType('PageInfo')
export class PageInfoModel {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType('DataProductConnection')
export class DataProductConnectionModel {
  @Field(() => [DataProductEdgeModel]) edges!: DataProductEdgeModel[];
  @Field(() => PageInfoModel) pageInfo!: PageInfoModel;
  @Field(() => Int) totalCount!: number;
}
