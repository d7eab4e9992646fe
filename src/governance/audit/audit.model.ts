import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum AuditOutcomeGql {
  allowed = 'allowed',
  denied = 'denied',
  failed = 'failed',
}
registerEnumType(AuditOutcomeGql, { name: 'AuditOutcome', description: 'allowed: the mutation succeeded; denied: authentication or authorization refused; failed: the mutation was allowed but raised an error.' });

@ObjectType('AuditEntry', { description: 'One line of the append-only audit trail.' })
export class AuditEntryModel {
  @Field(() => ID) seq!: string;
  @Field() at!: Date;
  @Field(() => String, { nullable: true, description: 'Null when the caller could not be authenticated.' }) principalId!: string | null;
  @Field() action!: string;
  @Field() resource!: string;
  @Field(() => AuditOutcomeGql) outcome!: AuditOutcomeGql;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => String, { nullable: true }) requestId!: string | null;
  @Field(() => String, { nullable: true, description: 'REST method and path, or GraphQL Mutation.field.' }) operation!: string | null;
  @Field(() => String, { nullable: true, description: 'sha256 of the JSON of the state before, when the service supplied it.' }) beforeDigest!: string | null;
  @Field(() => String, { nullable: true, description: 'sha256 of the JSON of the result (or of the state after, when the service supplied it).' }) afterDigest!: string | null;
}

@InputType('AuditFilter')
export class AuditFilterInput {
  @Field(() => String, { nullable: true }) principalId?: string | null;
  @Field(() => String, { nullable: true }) action?: string | null;
  @Field(() => AuditOutcomeGql, { nullable: true }) outcome?: AuditOutcomeGql | null;
  @Field(() => String, { nullable: true, description: 'Substring of the resource.' }) resource?: string | null;
  @Field(() => Date, { nullable: true }) since?: Date | null;
  @Field(() => Date, { nullable: true }) until?: Date | null;
  @Field(() => ID, { nullable: true, description: 'Only entries older than this seq (paging).' }) beforeSeq?: string | null;
}
