import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum RoleGql {
  admin = 'admin',
  governance_lead = 'governance_lead',
  governance_member = 'governance_member',
  domain_owner = 'domain_owner',
  domain_member = 'domain_member',
  consumer = 'consumer',
  model_service = 'model_service',
}
registerEnumType(RoleGql, { name: 'Role', description: 'governance_member, domain_owner and domain_member are held in one domain; the others mesh-wide. governance_lead withdraws policies.' });

export enum PrincipalKindGql {
  person = 'person',
  service = 'service',
}
registerEnumType(PrincipalKindGql, { name: 'PrincipalKind' });

@ObjectType('RoleGrant')
export class RoleGrantModel {
  @Field(() => RoleGql) role!: RoleGql;
  @Field(() => String, { nullable: true, description: 'The domain of a domain-scoped role.' }) domain?: string | null;
}

@ObjectType('Principal', { description: 'A person or a service that calls Tessera, with its roles.' })
export class PrincipalModel {
  @Field({ description: '`person:<name>` or `service:<name>`; `admin` for the bootstrap key.' }) id!: string;
  @Field(() => PrincipalKindGql) kind!: PrincipalKindGql;
  @Field() displayName!: string;
  @Field(() => [RoleGrantModel]) roles!: RoleGrantModel[];
  @Field(() => String, { nullable: true, description: 'How this caller authenticated (bootstrap, api_key, oidc); set on `me` only.' }) via?: string | null;
}

@ObjectType('ApiKey', { description: 'An API key without its secret: only the first characters are kept for display.' })
export class ApiKeyModel {
  @Field(() => ID) id!: string;
  @Field() principalId!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field({ description: 'The first characters of the key, to tell keys apart.' }) prefix!: string;
  @Field() createdAt!: Date;
  @Field() createdBy!: string;
  @Field(() => Date, { nullable: true }) expiresAt!: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
  @Field(() => String, { nullable: true }) revokedBy!: string | null;
}

@ObjectType('CreatedApiKey')
export class CreatedApiKeyModel {
  @Field({ description: 'The secret, shown this once: Tessera stores only its sha256.' }) key!: string;
  @Field(() => ApiKeyModel) apiKey!: ApiKeyModel;
  @Field(() => PrincipalModel) principal!: PrincipalModel;
}

@InputType('PrincipalInput')
export class PrincipalInput {
  @Field({ description: '`person:<name>` or `service:<name>`.' }) id!: string;
  @Field(() => PrincipalKindGql) kind!: PrincipalKindGql;
  @Field(() => String, { nullable: true, description: 'Defaults to the id.' }) displayName?: string | null;
}

@InputType('RoleGrantInput')
export class RoleGrantInput {
  @Field(() => RoleGql) role!: RoleGql;
  @Field(() => String, { nullable: true }) domain?: string | null;
}
