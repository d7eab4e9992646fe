import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('StreamSource', { description: 'Messages of a NATS JetStream subject ingested as rows of a table output port; counters are this replica’s since it started.' })
export class StreamSourceModel {
  @Field() name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field() dataProduct!: string;
  @Field() outputPort!: string;
  @Field() stream!: string;
  @Field() subject!: string;
  @Field(() => Int, { description: 'Deliveries of a message before it goes to tessera.dlq.<name>.' }) maxDeliver!: number;
  @Field({ description: 'False when streaming is off (no NATS_URL) or the source could not start (see lastError).' }) running!: boolean;
  @Field({ description: 'Paused (a pause is shared by every replica and kept across restarts).' }) paused!: boolean;
  @Field(() => Float, { nullable: true, description: 'Messages not yet acknowledged (pending and in flight), from the broker; null until first read.' }) lag!: number | null;
  @Field(() => Float, { description: 'Messages whose rows are stored (new or already stored).' }) stored!: number;
  @Field(() => Float, { description: 'Messages copied to the dead-letter subject.' }) deadLettered!: number;
  @Field(() => Float) batches!: number;
  @Field(() => String, { nullable: true }) lastError!: string | null;
}
