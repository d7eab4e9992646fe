import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';
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
  @Field(() => GraphQLJSON, { description: 'The ODPS document exactly as applied (the design canvas carries the fields it does not show through an edit).' })
  spec!: Record<string, unknown>;
  @Field() updatedAt!: Date;
}

export enum SearchMatchFieldGql {
  name = 'name',
  description = 'description',
  domain = 'domain',
  tag = 'tag',
  glossaryTerm = 'glossaryTerm',
  glossarySynonym = 'glossarySynonym',
  fieldName = 'fieldName',
  fieldDescription = 'fieldDescription',
}
registerEnumType(SearchMatchFieldGql, {
  name: 'SearchMatchField',
  description: 'Where a search word was found: fieldName/fieldDescription are a column of an output port contract.',
});

@ObjectType('SearchMatch', { description: 'Why a product matched a search: one part of it holding a search word.' })
export class SearchMatchModel {
  @Field(() => SearchMatchFieldGql) field!: SearchMatchFieldGql;
  @Field({ description: 'The matching text: the tag, the glossary term or synonym, the contract field name, the name or description.' }) value!: string;
  @Field(() => String, { nullable: true, description: 'For a glossary synonym: the term it is a synonym of.' }) term!: string | null;
}

@ObjectType('FacetCount')
export class FacetCountModel {
  @Field() value!: string;
  @Field(() => Int) count!: number;
}

@ObjectType('DataProductFacets', { description: 'Counts over every product the query selects (all pages).' })
export class DataProductFacetsModel {
  @Field(() => [FacetCountModel]) domains!: FacetCountModel[];
  @Field(() => [FacetCountModel]) statuses!: FacetCountModel[];
  @Field(() => [FacetCountModel]) types!: FacetCountModel[];
  @Field(() => [FacetCountModel]) tags!: FacetCountModel[];
}

@ObjectType('DataProductEdge')
export class DataProductEdgeModel {
  @Field(() => DataProductModel) node!: DataProductModel;
  @Field() cursor!: string;
  @Field(() => Float, { description: 'Full-text rank (0 without a search).' }) rank!: number;
  @Field(() => [SearchMatchModel], { description: 'Why it matched the search (empty without one).' }) matches!: SearchMatchModel[];
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
  @Field(() => DataProductFacetsModel) facets!: DataProductFacetsModel;
}
