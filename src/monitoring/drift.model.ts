import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('FeatureDrift')
export class FeatureDriftModel {
  @Field({ description: 'view:feature' }) feature!: string;
  @Field(() => Float, { nullable: true, description: 'Population stability index against the training dataset; null with too few serving rows.' }) psi!: number | null;
  @Field(() => Float) trainingMissingRate!: number;
  @Field(() => Float, { description: 'Share of logged rows whose online value was not PRESENT (missing, null, stale), rejected rows included.' }) servingMissingRate!: number;
  @Field() drifted!: boolean;
}

@ObjectType('OutputDrift')
export class OutputDriftModel {
  @Field() output!: string;
  @Field(() => Float, { nullable: true }) psi!: number | null;
  @Field() drifted!: boolean;
}

@ObjectType('ModelDriftReport', { description: 'Feature and prediction drift of a model version: its prediction log against its training dataset.' })
export class ModelDriftReportModel {
  @Field() model!: string;
  @Field() version!: string;
  @Field() trainingDataset!: string;
  @Field() since!: Date;
  @Field() until!: Date;
  @Field() trainingRows!: number;
  @Field() servingRows!: number;
  @Field(() => Float) threshold!: number;
  @Field() drifted!: boolean;
  @Field(() => [FeatureDriftModel]) features!: FeatureDriftModel[];
  @Field(() => [OutputDriftModel]) predictions!: OutputDriftModel[];
  @Field(() => [String]) notes!: string[];
}

@ObjectType('ModelDriftHistory', { description: 'Drift of a model version over consecutive windows of the prediction log, oldest first: PSI per feature over time.' })
export class ModelDriftHistoryModel {
  @Field() model!: string;
  @Field() version!: string;
  @Field() trainingDataset!: string;
  @Field() trainingRows!: number;
  @Field(() => Float) threshold!: number;
  @Field(() => Int) windowMinutes!: number;
  @Field(() => [ModelDriftReportModel], { description: 'One report per window, each as modelDrift answers for it.' }) windows!: ModelDriftReportModel[];
}
