import { z } from 'zod';
import {
  alwaysRefine,
  authoritativeDefinitionsSchema,
  checkUnique,
  customPropertiesSchema,
  dateSchema,
  dateTimeSchema,
  nameOf,
  nonEmptyString,
  tagsSchema,
} from './common.schema';
import { checkLogicalTypeOptions } from './logical-type-options';
import { qualityListSchema } from './odcs-quality.schema';
import { isPlainObject } from './raw-document';

/**
 * ODCS v3.1.0 rules for the fields Tessera stores; everything else passes through untouched
 * (strict unknown-field checks belong to the OfficialSchemaValidator).
 */
export const ODCS_API_VERSIONS = ['v3.1.0', 'v3.0.2', 'v3.0.1', 'v3.0.0', 'v2.2.2', 'v2.2.1', 'v2.2.0'] as const;
export const LOGICAL_TYPES = ['string', 'date', 'timestamp', 'time', 'number', 'integer', 'object', 'array', 'boolean'] as const;
export type LogicalType = (typeof LOGICAL_TYPES)[number];

const stableId = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must match ^[A-Za-z0-9_-]+$');

/** Shape of a property after parsing; declared by hand because the schema is recursive. */
export interface OdcsProperty {
  [key: string]: unknown;
  name?: string;
  logicalType?: LogicalType;
  logicalTypeOptions?: Record<string, unknown>;
  items?: OdcsProperty;
  properties?: OdcsProperty[];
}

const basePropertyShape = {
  id: stableId.optional(),
  name: z.string().optional(),
  physicalName: z.string().optional(),
  physicalType: z.string().optional(),
  businessName: z.string().optional(),
  description: z.string().optional(),
  logicalType: z.enum(LOGICAL_TYPES).optional(),
  logicalTypeOptions: z.record(z.string(), z.unknown()).optional(),
  required: z.boolean().optional(),
  unique: z.boolean().optional(),
  primaryKey: z.boolean().optional(),
  primaryKeyPosition: z.int().optional(),
  partitioned: z.boolean().optional(),
  partitionKeyPosition: z.int().optional(),
  criticalDataElement: z.boolean().optional(),
  classification: z.string().optional(),
  encryptedName: z.string().optional(),
  transformSourceObjects: z.array(z.string()).optional(),
  transformLogic: z.string().optional(),
  transformDescription: z.string().optional(),
  examples: z.array(z.unknown()).optional(),
  relationships: z.array(z.record(z.string(), z.unknown())).optional(),
  quality: qualityListSchema.optional(),
  tags: tagsSchema.optional(),
  customProperties: customPropertiesSchema.optional(),
  authoritativeDefinitions: authoritativeDefinitionsSchema.optional(),
  items: z.lazy(() => itemPropertySchema).optional(),
  properties: z.lazy(() => propertyListSchema).optional(),
};

function withPropertyRules<T extends z.ZodType>(schema: T): T {
  return alwaysRefine(schema, (value, ctx) => {
    if (isPlainObject(value)) checkLogicalTypeOptions(value.logicalType, value.logicalTypeOptions, ctx);
  });
}

/** `items` of an array property: same fields, but no name is required. */
const itemPropertySchema: z.ZodType<OdcsProperty> = withPropertyRules(z.looseObject(basePropertyShape));

export const propertySchema: z.ZodType<OdcsProperty> = withPropertyRules(
  z.looseObject({ ...basePropertyShape, name: z.string() }),
);

/** Tessera matches properties by name (diffs, feature columns), so names must be unique per level. */
const propertyListSchema: z.ZodType<OdcsProperty[]> = alwaysRefine(z.array(propertySchema), (list, ctx) =>
  checkUnique(list, nameOf, ctx, (n) => `property name ${JSON.stringify(n)}`, ['name']),
);

export const schemaObjectSchema = z.looseObject({
  id: stableId.optional(),
  name: z.string(),
  logicalType: z.literal('object').optional(),
  physicalName: z.string().optional(),
  physicalType: z.string().optional(),
  businessName: z.string().optional(),
  description: z.string().optional(),
  dataGranularityDescription: z.string().optional(),
  tags: tagsSchema.optional(),
  properties: propertyListSchema.optional(),
  relationships: z.array(z.record(z.string(), z.unknown())).optional(),
  quality: qualityListSchema.optional(),
  customProperties: customPropertiesSchema.optional(),
  authoritativeDefinitions: authoritativeDefinitionsSchema.optional(),
});

export const odcsTeamMemberSchema = z.looseObject({
  id: stableId.optional(),
  username: z.string(),
  name: z.string().optional(),
  description: z.string().optional(),
  role: z.string().optional(),
  dateIn: dateSchema.optional(),
  dateOut: dateSchema.optional(),
  replacedByUsername: z.string().optional(),
  tags: tagsSchema.optional(),
  customProperties: customPropertiesSchema.optional(),
});

const teamObjectSchema = z.looseObject({
  id: stableId.optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  members: z.array(odcsTeamMemberSchema).optional(),
  tags: tagsSchema.optional(),
  customProperties: customPropertiesSchema.optional(),
});

const slaPropertySchema = z.looseObject({
  id: stableId.optional(),
  property: z.string(),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  valueExt: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  unit: z.string().optional(),
  element: z.string().optional(),
  driver: z.string().optional(),
  description: z.string().optional(),
  scheduler: z.string().optional(),
  schedule: z.string().optional(),
});

export const odcsSchema = z.looseObject({
  version: z.string(),
  kind: z.literal('DataContract'),
  apiVersion: z.enum(ODCS_API_VERSIONS),
  id: nonEmptyString,
  name: z.string().optional(),
  tenant: z.string().optional(),
  tags: tagsSchema.optional(),
  status: z.string(),
  servers: z.array(z.looseObject({ server: z.string(), type: z.string() })).optional(),
  dataProduct: z.string().optional(),
  description: z
    .looseObject({
      usage: z.string().optional(),
      purpose: z.string().optional(),
      limitations: z.string().optional(),
      authoritativeDefinitions: authoritativeDefinitionsSchema.optional(),
      customProperties: customPropertiesSchema.optional(),
    })
    .optional(),
  domain: z.string().optional(),
  schema: alwaysRefine(z.array(schemaObjectSchema), (list, ctx) =>
    checkUnique(list, nameOf, ctx, (n) => `schema object name ${JSON.stringify(n)}`, ['name']),
  ).optional(),
  support: z
    .array(
      z.looseObject({
        id: stableId.optional(),
        channel: z.string(),
        url: z.string().optional(),
        description: z.string().optional(),
        tool: z.string().optional(),
        scope: z.string().optional(),
        invitationUrl: z.string().optional(),
        customProperties: customPropertiesSchema.optional(),
      }),
    )
    .optional(),
  price: z.looseObject({ priceAmount: z.number().optional(), priceCurrency: z.string().optional() }).optional(),
  // v3.1.0 object form, or the deprecated (pre-3.1) array of members.
  team: z.union([teamObjectSchema, z.array(odcsTeamMemberSchema)]).optional(),
  roles: z
    .array(
      z.looseObject({
        id: stableId.optional(),
        role: z.string(),
        description: z.string().optional(),
        access: z.string().optional(),
        firstLevelApprovers: z.string().optional(),
        secondLevelApprovers: z.string().optional(),
        customProperties: customPropertiesSchema.optional(),
      }),
    )
    .optional(),
  slaDefaultElement: z.string().optional(),
  slaProperties: z.array(slaPropertySchema).optional(),
  authoritativeDefinitions: authoritativeDefinitionsSchema.optional(),
  customProperties: customPropertiesSchema.optional(),
  contractCreatedTs: dateTimeSchema.optional(),
});

export type OdcsDocument = z.infer<typeof odcsSchema>;
export type OdcsSchemaObject = z.infer<typeof schemaObjectSchema>;
