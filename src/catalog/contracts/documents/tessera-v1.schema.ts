import semver from 'semver';
import { z } from 'zod';
import {
  alwaysRefine,
  checkUnique,
  columnSchema,
  customIssue,
  dateSchema,
  dateTimeSchema,
  nameOf,
  nameSchema,
  nonEmptyString,
  tagsSchema,
} from './common.schema';
import { isCronExpression, parseDurationSeconds } from './duration';
import { isPlainObject } from './raw-document';
import { celCompileError } from '../../../governance/policies/cel-program';

/** Tessera's own kinds (`apiVersion: tessera/v1`). Unknown extra fields are kept. */
const header = <K extends string>(kind: K) => ({
  apiVersion: z.literal('tessera/v1'),
  kind: z.literal(kind),
  name: nameSchema,
  description: z.string().optional(),
});

export const domainSchema = z.looseObject({
  ...header('Domain'),
  team: z
    .looseObject({
      name: nonEmptyString,
      description: z.string().optional(),
      members: z
        .array(z.looseObject({ username: nonEmptyString, name: z.string().optional(), role: z.string().optional() }))
        .optional(),
    })
    .optional(),
  glossary: alwaysRefine(
    z.array(
      z.looseObject({
        term: nonEmptyString,
        definition: nonEmptyString,
        synonyms: z.array(z.string()).optional(),
        products: z.array(nonEmptyString).optional(),
      }),
    ),
    (list, ctx) =>
      checkUnique(list, (t) => (isPlainObject(t) && typeof t.term === 'string' ? t.term.toLowerCase() : null), ctx, (t) => `glossary term ${JSON.stringify(t)}`, ['term']),
  ).optional(),
});

export const useCaseSchema = z.looseObject({
  ...header('UseCase'),
  purpose: z.string().optional(),
  consumer: alwaysRefine(
    z.looseObject({ team: nonEmptyString.optional(), dataProduct: nonEmptyString.optional(), model: nonEmptyString.optional() }),
    (consumer, ctx) => {
      if (isPlainObject(consumer) && consumer.team === undefined && consumer.dataProduct === undefined && consumer.model === undefined) {
        customIssue(ctx, [], 'must name at least one of team, dataProduct, model');
      }
    },
  ),
  dataProducts: z.array(z.looseObject({ id: nonEmptyString, outputPort: nonEmptyString.optional() })).min(1),
});

export const JOIN_KEY_TYPES = ['string', 'integer', 'number', 'boolean', 'timestamp', 'date'] as const;
export type JoinKeyType = (typeof JOIN_KEY_TYPES)[number];

export const entitySchema = z.looseObject({
  ...header('Entity'),
  joinKeys: alwaysRefine(z.array(z.looseObject({ name: columnSchema, type: z.enum(JOIN_KEY_TYPES) })).min(1), (keys, ctx) =>
    checkUnique(keys, nameOf, ctx, (n) => `join key ${JSON.stringify(n)}`, ['name']),
  ),
  tags: tagsSchema.optional(),
});

const featureSchema = z.union([
  columnSchema,
  z.looseObject({ name: columnSchema, description: z.string().optional(), tags: tagsSchema.optional() }),
]);
const featureName = (f: unknown): string | null => (typeof f === 'string' ? f : nameOf(f));

export const featureViewSchema = z.looseObject({
  ...header('FeatureView'),
  entities: alwaysRefine(z.array(nameSchema).min(1), (list, ctx) =>
    checkUnique(list, (e) => (typeof e === 'string' ? e : null), ctx, (e) => `entity ${JSON.stringify(e)}`),
  ),
  source: z.looseObject({ dataProduct: nonEmptyString, outputPort: nonEmptyString }),
  timestampField: columnSchema,
  createdTimestampField: columnSchema.optional(),
  ttl: z
    .union([z.string(), z.number()])
    .refine((v) => parseDurationSeconds(v) !== null, {
      message: 'must be 0, a non-negative integer of seconds, or a duration like 90s, 30m, 2h, 1d, 1h30m',
    })
    .optional(),
  online: z.boolean().optional(),
  features: alwaysRefine(z.array(featureSchema).min(1), (list, ctx) =>
    checkUnique(list, featureName, ctx, (n) => `feature ${JSON.stringify(n)}`),
  ),
  tags: tagsSchema.optional(),
  schedule: z
    .string()
    .refine(isCronExpression, { message: 'must be a cron expression with 5 or 6 fields, e.g. "0 * * * *"' })
    .optional(),
});

export const FEATURE_REF_PATTERN = /^([a-z][a-z0-9_-]{0,62}):([A-Za-z_][A-Za-z0-9_]{0,62})$/;

export const featureServiceSchema = z.looseObject({
  ...header('FeatureService'),
  features: alwaysRefine(
    z.array(z.string().regex(FEATURE_REF_PATTERN, 'must be a feature reference view:feature, e.g. driver_stats:conv_rate')).min(1),
    (list, ctx) => checkUnique(list, (f) => (typeof f === 'string' ? f : null), ctx, (f) => `feature reference ${JSON.stringify(f)}`),
  ),
  tags: tagsSchema.optional(),
});

export const modelSchema = z.looseObject({
  ...header('Model'),
  version: z.string().refine((v) => semver.valid(v) !== null, { message: 'must be a semantic version such as 1.0.0' }),
  featureService: nameSchema,
  file: nonEmptyString.optional(),
  /** Owning domain; without it, the single domain of the feature service's source products. */
  domain: nameSchema.optional(),
});

/** NATS names: a stream is one token; a subject is dot-separated tokens, `*` / `>` wildcards allowed. */
const NATS_STREAM = /^[A-Za-z0-9_-]{1,64}$/;
const NATS_SUBJECT = /^([A-Za-z0-9_-]+|\*)(\.([A-Za-z0-9_-]+|\*))*(\.>)?$|^>$/;

/** Messages of a NATS JetStream subject ingested as rows of a table output port (ADR 0026). */
export const streamSourceSchema = z.looseObject({
  ...header('StreamSource'),
  dataProduct: nonEmptyString,
  outputPort: nonEmptyString,
  stream: z.string().regex(NATS_STREAM, 'must be a NATS stream name: 1-64 letters, digits, _ or -'),
  subject: z.string().regex(NATS_SUBJECT, 'must be a NATS subject: dot-separated tokens of letters, digits, _ or -, wildcards * and a final >'),
  /** Deliveries of one message before it goes to the dead-letter subject. */
  maxDeliver: z.number().int().min(1).max(100).optional(),
});

export const POLICY_CATEGORIES = ['interoperability', 'documentation', 'security', 'privacy', 'compliance'] as const;
export const POLICY_SEVERITIES = ['blocking', 'warning'] as const;

/**
 * A global policy (ADR 0010): an MADR-like record plus a CEL rule over a data product. The rule is
 * compiled here so a rule CEL cannot parse is an apply error on `rule` with CEL's own message.
 */
export const policySchema = z.looseObject({
  ...header('Policy'),
  title: nonEmptyString,
  category: z.enum(POLICY_CATEGORIES),
  severity: z.enum(POLICY_SEVERITIES),
  context: nonEmptyString,
  decision: nonEmptyString,
  consequences: nonEmptyString,
  rule: nonEmptyString.superRefine((rule, ctx) => {
    const error = celCompileError(rule);
    if (error) ctx.addIssue({ code: 'custom', message: `does not compile as CEL: ${error}` });
  }),
  /** Reason reported when the rule returns false (or a violation without its own reason). */
  message: nonEmptyString.optional(),
  /** Path reported with that reason, e.g. `description.purpose`. */
  path: z.string().optional(),
  effectiveFrom: z.union([dateTimeSchema, dateSchema]).optional(),
});

export type DomainDocument = z.infer<typeof domainSchema>;
export type UseCaseDocument = z.infer<typeof useCaseSchema>;
export type EntityDocument = z.infer<typeof entitySchema>;
export type FeatureViewDocument = z.infer<typeof featureViewSchema>;
export type FeatureServiceDocument = z.infer<typeof featureServiceSchema>;
export type ModelDocument = z.infer<typeof modelSchema>;
export type PolicyDocument = z.infer<typeof policySchema>;
export type StreamSourceDocument = z.infer<typeof streamSourceSchema>;
