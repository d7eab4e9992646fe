import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum ConsumerKindGql {
  principal = 'principal',
  team = 'team',
  dataProduct = 'dataProduct',
  model = 'model',
}
registerEnumType(ConsumerKindGql, { name: 'ConsumerKind' });

@ObjectType('AgreementParty')
export class AgreementConsumerModel {
  @Field(() => ConsumerKindGql) kind!: ConsumerKindGql;
  @Field() id!: string;
}

@ObjectType('AgreementProvider')
export class AgreementProviderModel {
  @Field() dataProduct!: string;
  @Field() outputPort!: string;
}

@ObjectType('AccessAgreement', { description: 'Who may read which output port, for what, until when (Bitol OAAS draft shape).' })
export class AccessAgreementModel {
  @Field(() => ID) id!: string;
  @Field(() => AgreementConsumerModel) consumer!: AgreementConsumerModel;
  @Field(() => AgreementProviderModel) provider!: AgreementProviderModel;
  @Field() purpose!: string;
  @Field({ description: 'Personal (pii, restricted, sensitive) properties readable in clear; else they are masked.' }) piiAccess!: boolean;
  @Field() startDate!: Date;
  @Field() endDate!: Date;
  @Field({ description: 'requested, approved, rejected, revoked or expired.' }) status!: string;
  @Field() requestedBy!: string;
  @Field() requestedAt!: Date;
  @Field(() => String, { nullable: true }) decidedBy!: string | null;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
}

@InputType()
export class AgreementConsumerInput {
  @Field(() => ConsumerKindGql) kind!: ConsumerKindGql;
  @Field() id!: string;
}

@InputType()
export class AccessRequestInput {
  @Field() dataProduct!: string;
  @Field() outputPort!: string;
  @Field() purpose!: string;
  @Field() endDate!: Date;
  @Field(() => Date, { nullable: true }) startDate?: Date | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) piiAccess?: boolean | null;
  @Field(() => AgreementConsumerInput, { nullable: true, description: 'Defaults to the caller.' }) consumer?: AgreementConsumerInput | null;
}
