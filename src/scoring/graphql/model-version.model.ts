import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';

export enum ModelStageGql {
  staging = 'staging',
  production = 'production',
  archived = 'archived',
}
registerEnumType(ModelStageGql, { name: 'ModelStage', description: 'Lifecycle stage of a model version; at most one version of a model is in production.' });

export enum OnMissingGql {
  reject = 'reject',
  impute = 'impute',
}
registerEnumType(OnMissingGql, { name: 'OnMissingFeature', description: 'What prediction does with a missing or stale feature: reject the row, or impute the declared default.' });

@ObjectType('ModelTensor', { description: 'An input or output tensor of a model.' })
export class ModelTensorModel {
  @Field() name!: string;
  @Field({ description: 'Element type as onnxruntime names it: float32, int64, bool, string, ...' }) type!: string;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Dimensions: numbers are fixed, strings symbolic (the batch, e.g. "N"), -1 unknown; null when not declared.' })
  shape!: (number | string)[] | null;
}

@ObjectType('ModelFeature', { description: "One column of the model's `features` tensor, in order." })
export class ModelFeatureModel {
  @Field({ description: 'Feature reference view:feature.' }) ref!: string;
  @Field(() => String, { nullable: true, description: 'Logical type in the offline store; null when it could not be checked at registration.' }) type!: string | null;
}

@ObjectType('ModelCard')
export class ModelCardModel {
  @Field(() => String, { nullable: true }) intendedUse!: string | null;
  @Field(() => String, { nullable: true }) limitations!: string | null;
  @Field(() => GraphQLJSON, { description: 'Evaluation metrics by name, e.g. {"auc": 0.81}.' }) metrics!: Record<string, number>;
  @Field(() => String, { nullable: true }) trainingDatasetId!: string | null;
}

@ObjectType('ModelStageChange')
export class ModelStageChangeModel {
  @Field(() => ModelStageGql, { nullable: true, description: 'null for the registration itself.' }) fromStage!: ModelStageGql | null;
  @Field(() => ModelStageGql) toStage!: ModelStageGql;
  @Field() changedBy!: string;
  @Field() changedAt!: Date;
}

@ObjectType('ModelVersion', { description: 'A registered, immutable ONNX model version bound to a feature service.' })
export class ModelVersionModel {
  @Field() name!: string;
  @Field() version!: string;
  @Field({ description: 'sha256 of the ONNX bytes: their address in the registry.' }) sha256!: string;
  @Field(() => Int) sizeBytes!: number;
  @Field() featureService!: string;
  @Field(() => [ModelFeatureModel]) features!: ModelFeatureModel[];
  @Field(() => [ModelTensorModel], { description: 'Inputs of the ONNX graph.' }) inputs!: ModelTensorModel[];
  @Field(() => [ModelTensorModel], { description: 'Outputs of the ONNX graph.' }) outputs!: ModelTensorModel[];
  @Field(() => [ModelTensorModel], { description: 'Inputs the caller sends with each prediction request.' }) requestInputs!: ModelTensorModel[];
  @Field(() => OnMissingGql) onMissing!: OnMissingGql;
  @Field(() => GraphQLJSON, { description: 'Default per feature reference, used when onMissing is impute.' }) defaults!: Record<string, number>;
  @Field(() => ModelCardModel) modelCard!: ModelCardModel;
  @Field(() => String, { nullable: true }) owner!: string | null;
  @Field(() => String, { nullable: true, description: 'The domain that owns the model: its role registers, stages and deploys it. Null for a model registered before models had domains (admin only).' })
  domain!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => [String]) tags!: string[];
  @Field(() => ModelStageGql) stage!: ModelStageGql;
  @Field() registeredAt!: Date;
  @Field() registeredBy!: string;
  @Field() stageChangedAt!: Date;
  @Field() stageChangedBy!: string;
  @Field(() => String, { nullable: true, description: 'The Model document in contracts/, when registered by apply.' }) sourceFile!: string | null;
}
