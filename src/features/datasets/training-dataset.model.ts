import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';

@ObjectType('TrainingDatasetColumn')
export class TrainingDatasetColumnModel {
  @Field() name!: string;
  @Field({ description: 'key, timestamp (event_timestamp), extra (passed through) or feature.' }) role!: string;
  @Field({ description: 'Logical type (integer, number, string, boolean, timestamp, date, time, object, array), or json for a mixed extra column.' })
  logicalType!: string;
  @Field(() => String, { nullable: true, description: '`view:feature` of a feature column.' }) feature!: string | null;
}

@ObjectType('TrainingDatasetFeatureView', { description: 'A feature view as the retrieval read it.' })
export class TrainingDatasetFeatureViewModel {
  @Field() name!: string;
  @Field({ description: 'Content hash of the applied view document.' }) version!: string;
  @Field({ description: 'Offline table read, schema.table.' }) table!: string;
  @Field(() => Int) ttlSeconds!: number;
}

@ObjectType('TrainingDatasetSourceContract', { description: 'The data contract behind a feature view, as its offline table was built from it.' })
export class TrainingDatasetSourceContractModel {
  @Field() featureView!: string;
  @Field() dataProduct!: string;
  @Field() outputPort!: string;
  @Field() portVersion!: string;
  @Field() contractId!: string;
  @Field() contractVersion!: string;
}

@ObjectType('TrainingDataset', { description: 'A saved point-in-time retrieval: one immutable version of a named training dataset.' })
export class TrainingDatasetModel {
  @Field(() => ID, { description: '`name@version`, also the table name in the tessera_datasets schema.' }) id!: string;
  @Field() name!: string;
  @Field(() => Int) version!: number;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field({ description: 'Qualified table holding the rows (column _row is the request row number).' }) table!: string;
  @Field(() => Int) rowCount!: number;
  @Field(() => [TrainingDatasetColumnModel]) columns!: TrainingDatasetColumnModel[];
  @Field(() => [String]) featureRefs!: string[];
  @Field(() => String, { nullable: true }) featureService!: string | null;
  @Field() fullFeatureNames!: boolean;
  @Field(() => [TrainingDatasetFeatureViewModel]) featureViews!: TrainingDatasetFeatureViewModel[];
  @Field(() => [TrainingDatasetSourceContractModel]) sourceContracts!: TrainingDatasetSourceContractModel[];
  @Field() createdAt!: Date;
  @Field({ description: 'Principal id of who saved it.' }) createdBy!: string;
}

@InputType('SaveTrainingDatasetInput', { description: 'The POST /v1/historical-features request plus a name; saved as the next version of that name.' })
export class SaveTrainingDatasetInput {
  @Field({ description: 'Lowercase letter, then lowercase letters, digits, _ or - (at most 50).' }) name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [String], { nullable: true, description: '`view:feature` references, in output order.' }) features?: string[] | null;
  @Field(() => String, { nullable: true }) featureService?: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Columns: the join keys of every requested view, event_timestamp, and any extra columns to keep.' }) entities?: unknown;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'Instead of entities: {dataProduct, outputPort, columns, timestamp?, from?, to?}, the rows of an output port you may read (as POST /v1/training-datasets entities_from).',
  })
  entitiesFrom?: unknown;
  @Field(() => Boolean, { nullable: true, description: 'Name outputs `view__feature`.' }) fullFeatureNames?: boolean | null;
}

/** The REST body a SaveTrainingDatasetInput stands for (parsed by the REST route's own parser). */
export function saveInputBody(input: SaveTrainingDatasetInput): Record<string, unknown> {
  return {
    name: input.name,
    description: input.description ?? undefined,
    features: input.features ?? undefined,
    feature_service: input.featureService ?? undefined,
    ...(input.entitiesFrom !== undefined && input.entitiesFrom !== null ? { entities_from: input.entitiesFrom } : { entities: input.entities }),
    full_feature_names: input.fullFeatureNames ?? false,
  };
}
