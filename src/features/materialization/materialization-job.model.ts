import { Field, Float, ID, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum MaterializationJobStatusGql {
  queued = 'queued',
  running = 'running',
  succeeded = 'succeeded',
  failed = 'failed',
}
registerEnumType(MaterializationJobStatusGql, { name: 'MaterializationJobStatus' });

@ObjectType('MaterializationJob', { description: 'One run copying the latest offline rows of online feature views into the online store.' })
export class MaterializationJobModel {
  @Field(() => ID) id!: string;
  @Field(() => [String]) featureViews!: string[];
  @Field({ description: 'Each view started at its own watermark (startTs is then null).' }) incremental!: boolean;
  @Field({ description: 'api or schedule.' }) trigger!: string;
  @Field(() => Date, { nullable: true, description: 'Inclusive start of the event-time interval.' }) startTs!: Date | null;
  @Field({ description: 'Exclusive end of the event-time interval.' }) endTs!: Date;
  @Field(() => MaterializationJobStatusGql) status!: MaterializationJobStatusGql;
  // Float, not Int: GraphQL Int is 32-bit and a large table overflows it.
  @Field(() => Float) rowsRead!: number;
  @Field(() => Float, { description: 'Rows that were newer than the online store held.' }) rowsWritten!: number;
  @Field(() => Float, { description: 'Fraction of the views done, 0..1.' }) progress!: number;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) startedAt!: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
}
