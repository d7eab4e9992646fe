import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('RetrievalJob', { description: 'A training-dataset save or historical retrieval run in the background (ADR 0028); its result is a training dataset version.' })
export class RetrievalJobModel {
  @Field(() => ID) id!: string;
  @Field({ description: 'training-dataset, or historical-features (an asynchronous retrieval kept as a dataset).' }) kind!: string;
  @Field({ description: 'queued, running, succeeded, failed or cancelled.' }) status!: string;
  @Field(() => Float, { description: 'Entity rows joined so far.' }) rowsDone!: number;
  @Field(() => Float, { description: 'Entity rows in all.' }) rowsTotal!: number;
  @Field(() => Float, { description: 'rowsDone / rowsTotal, 0..1.' }) progress!: number;
  @Field({ description: 'The training dataset the result is saved as.' }) datasetName!: string;
  @Field(() => Int, { nullable: true, description: 'Its version, once succeeded.' }) datasetVersion!: number | null;
  @Field(() => String, { nullable: true, description: 'REST download of the result (Arrow with Accept: application/vnd.apache.arrow.stream), once succeeded.' }) resultUrl!: string | null;
  @Field(() => Int, { description: 'Runs started: a job claimed again after its replica died counts again.' }) attempts!: number;
  @Field() cancelRequested!: boolean;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field() createdBy!: string;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) startedAt!: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
}
