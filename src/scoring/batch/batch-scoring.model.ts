import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum BatchScoringJobStatusGql {
  queued = 'queued',
  running = 'running',
  succeeded = 'succeeded',
  failed = 'failed',
}
registerEnumType(BatchScoringJobStatusGql, { name: 'BatchScoringJobStatus' });

@ObjectType('BatchScoringJob', { description: 'One batch scoring (precompute) job: a model version over entities as of a time, into its predictions port (ADR 0035).' })
export class BatchScoringJobModel {
  @Field(() => ID) id!: string;
  @Field() model!: string;
  @Field() version!: string;
  @Field({ description: 'Features were read point-in-time as of this time, from the offline store.' }) asOf!: Date;
  @Field(() => Float, { nullable: true, description: 'Entities listed with the request; null: the whole population of the feature service as of asOf.' }) entityCount!: number | null;
  @Field({ description: 'api or schedule.' }) trigger!: string;
  @Field(() => BatchScoringJobStatusGql) status!: BatchScoringJobStatusGql;
  // Float, not Int: GraphQL Int is 32-bit.
  @Field(() => Float, { nullable: true, description: 'Entities to score; null until started.' }) total!: number | null;
  @Field(() => Float, { description: 'Entities handled (scored or rejected).' }) done!: number;
  @Field(() => Float) scored!: number;
  @Field(() => Float, { description: "Entities the model's onMissing rule refused (features missing as of asOf): not written." }) rejected!: number;
  @Field(() => Float, { description: 'Rows new to the predictions port; a repeated job (same version, as-of) inserts none.' }) inserted!: number;
  @Field(() => Float, { nullable: true, description: 'Rows the online view refresh wrote to the online store.' }) onlineWritten!: number | null;
  @Field(() => Float, { description: 'done / total, 0..1.' }) progress!: number;
  @Field(() => Int, { description: 'Claims by a worker; above 1 the job was resumed after its process died.' }) attempts!: number;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field() requestedBy!: string;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) startedAt!: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
}
