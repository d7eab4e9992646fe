import { z } from 'zod';
import { describeType, preview } from './apply-issue';
import {
  alwaysRefine,
  authoritativeDefinitionsSchema,
  checkBooleanCustomProperty,
  customIssue,
  customPropertiesSchema,
  dateSchema,
  dateTimeSchema,
  findCustomProperty,
  nonEmptyString,
  tagsSchema,
} from './common.schema';

/**
 * ODPS v1.0.0 (and v0.9.0, which the same official schema accepts), restricted to the fields
 * Tessera stores plus Tessera's own rules. Unknown fields pass through: ODPS forbids them, but
 * that is the OfficialSchemaValidator's job, so Tessera can read drafts that carry extras.
 */
export const ODPS_API_VERSIONS = ['v0.9.0', 'v1.0.0'] as const;

/** ODPS only lists these as examples; Tessera's lifecycle (and governance) relies on exactly these. */
export const PRODUCT_STATUSES = ['proposed', 'draft', 'active', 'deprecated', 'retired'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export const PRODUCT_TYPES = ['sourceAligned', 'aggregate', 'consumerAligned'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

/** Tessera extensions live in customProperties because ODPS 1.0 has additionalProperties: false. */
export const PRODUCT_TYPE_PROPERTY = 'dataProductType';
export const CONTAINS_PII_PROPERTY = 'containsPii';
export const AUTO_APPROVE_PROPERTY = 'autoApprove';

export const odpsTeamMemberSchema = z.looseObject({
  username: z.string(),
  name: z.string().optional(),
  description: z.string().optional(),
  role: z.string().optional(),
  dateIn: dateSchema.optional(),
  dateOut: dateSchema.optional(),
  replacedByUsername: z.string().optional(),
  tags: tagsSchema.optional(),
  customProperties: customPropertiesSchema.optional(),
  authoritativeDefinitions: authoritativeDefinitionsSchema.optional(),
});

export const odpsTeamSchema = z.looseObject({
  name: z.string().optional(),
  description: z.string().optional(),
  members: z.array(odpsTeamMemberSchema).optional(),
  tags: tagsSchema.optional(),
  customProperties: customPropertiesSchema.optional(),
  authoritativeDefinitions: authoritativeDefinitionsSchema.optional(),
});

export const descriptionSchema = z.looseObject({
  purpose: z.string().optional(),
  limitations: z.string().optional(),
  usage: z.string().optional(),
  authoritativeDefinitions: authoritativeDefinitionsSchema.optional(),
  customProperties: customPropertiesSchema.optional(),
});

const inputPortSchema = z.looseObject({
  name: z.string(),
  version: z.string(),
  contractId: z.string(),
  tags: tagsSchema.optional(),
  customProperties: customPropertiesSchema.optional(),
  authoritativeDefinitions: authoritativeDefinitionsSchema.optional(),
});

const portCustomProperties = alwaysRefine(customPropertiesSchema, (list, ctx) => {
  checkBooleanCustomProperty(list, CONTAINS_PII_PROPERTY, ctx);
  checkBooleanCustomProperty(list, AUTO_APPROVE_PROPERTY, ctx);
});

const outputPortSchema = z.looseObject({
  name: z.string(),
  version: z.string(),
  description: z.string().optional(),
  type: z.string().optional(),
  contractId: z.string().optional(),
  sbom: z.array(z.looseObject({ type: z.string().optional(), url: z.string() })).optional(),
  inputContracts: z.array(z.looseObject({ id: z.string(), version: z.string() })).optional(),
  tags: tagsSchema.optional(),
  customProperties: portCustomProperties.optional(),
  authoritativeDefinitions: authoritativeDefinitionsSchema.optional(),
});

const productCustomProperties = alwaysRefine(customPropertiesSchema, (list, ctx) => {
  const found = findCustomProperty(list, PRODUCT_TYPE_PROPERTY);
  if (found && !(PRODUCT_TYPES as readonly unknown[]).includes(found.value)) {
    const got = typeof found.value === 'string' ? preview(found.value) : describeType(found.value);
    customIssue(ctx, [found.index, 'value'], `${PRODUCT_TYPE_PROPERTY} must be one of ${PRODUCT_TYPES.join(', ')} (got ${got})`);
  }
});

/** A port is keyed by name + version: a new major version is a second port served side by side. */
const outputPortsSchema = alwaysRefine(z.array(outputPortSchema), (ports, ctx) => {
  if (!Array.isArray(ports)) return;
  const seen = new Map<string, number>();
  ports.forEach((port: unknown, index) => {
    const p = port as { name?: unknown; version?: unknown } | null;
    if (typeof p?.name !== 'string' || typeof p.version !== 'string') return;
    const key = `${p.name}@${p.version}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else customIssue(ctx, [index, 'version'], `duplicate output port ${p.name} version ${p.version} (first at index ${first})`);
  });
});

export const odpsSchema = z.looseObject({
  apiVersion: z.enum(ODPS_API_VERSIONS),
  kind: z.literal('DataProduct'),
  id: nonEmptyString,
  name: z.string().optional(),
  version: z.string().optional(),
  status: z.enum(PRODUCT_STATUSES),
  domain: z.string().optional(),
  tenant: z.string().optional(),
  authoritativeDefinitions: authoritativeDefinitionsSchema.optional(),
  description: descriptionSchema.optional(),
  customProperties: productCustomProperties.optional(),
  tags: tagsSchema.optional(),
  inputPorts: z.array(inputPortSchema).optional(),
  outputPorts: outputPortsSchema.optional(),
  managementPorts: z.array(z.looseObject({ name: z.string(), content: z.string() })).optional(),
  support: z
    .array(
      z.looseObject({
        channel: z.string(),
        url: z.string(),
        description: z.string().optional(),
        tool: z.string().optional(),
        scope: z.string().optional(),
      }),
    )
    .optional(),
  team: odpsTeamSchema.optional(),
  productCreatedTs: dateTimeSchema.optional(),
});

export type OdpsDocument = z.infer<typeof odpsSchema>;
export type OdpsTeam = z.infer<typeof odpsTeamSchema>;
