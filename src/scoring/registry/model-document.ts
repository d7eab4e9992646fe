import { Cron } from 'croner';
import semver from 'semver';
import { z } from 'zod';
import { IssueSink } from '../../catalog/contracts/documents/apply-issue';
import { nameSchema } from '../../catalog/contracts/documents/common.schema';
import { FEATURE_REF_PATTERN } from '../../catalog/contracts/documents/tessera-v1.schema';
import { reportZodIssues } from '../../catalog/contracts/documents/zod-issues';
import { ScoringError, ScoringErrorCode, ScoringProblem } from '../scoring-error';
import { REQUEST_INPUT_TYPES, TensorDeclaration } from './model-version';

const TENSOR_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$/;
/** The model's own feature tensor; request inputs cannot take its name. */
export const FEATURES_INPUT_NAME = 'features';

const dimSchema = z.union([z.number().int().min(-1), z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a symbolic dimension is an identifier such as N')]);

/** The first dimension is the batch: symbolic or -1, so a request can carry any number of rows. */
const shapeSchema = z
  .array(dimSchema)
  .min(1, 'must have at least the batch dimension')
  .superRefine((shape, ctx) => {
    if (typeof shape[0] === 'number' && shape[0] !== -1) {
      ctx.addIssue({ code: 'custom', path: [0], message: `batch dimension must be symbolic (e.g. N) or -1, got ${shape[0]}` });
    }
    shape.slice(1).forEach((d, i) => {
      if (typeof d !== 'number' || d < 1) ctx.addIssue({ code: 'custom', path: [i + 1], message: `must be a fixed size >= 1 (only the batch dimension may vary), got ${JSON.stringify(d)}` });
    });
  });

const requestInputSchema = z.looseObject({
  name: z
    .string()
    .regex(TENSOR_NAME, 'must be a tensor name matching ^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$')
    .refine((n) => n !== FEATURES_INPUT_NAME, { message: `"${FEATURES_INPUT_NAME}" is the feature tensor; choose another name` }),
  type: z.enum(REQUEST_INPUT_TYPES),
  shape: shapeSchema,
});

const outputSchema = z.looseObject({
  name: z.string().regex(TENSOR_NAME, 'must be a tensor name'),
  type: z.string().min(1),
  shape: z.array(dimSchema).min(1).optional(),
});

/**
 * Batch scoring (ADR 0035): where a job's predictions go (a table output port of the model's data
 * product, whose contract `GET /v1/models/{name}/versions/{version}/predictions-contract` derives), an
 * optional online feature view over that port refreshed after each job, and an optional cron.
 */
const batchScoringSchema = z.strictObject({
  output: z.strictObject({ dataProduct: nameSchema, outputPort: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be an output port name') }),
  onlineView: nameSchema.optional(),
  schedule: z
    .string()
    .min(1)
    .refine((p) => cronValid(p), { message: 'must be a cron pattern of 5 or 6 fields, e.g. "0 2 * * *"' })
    .optional(),
});

function cronValid(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

const unique =
  <T extends { name: string }>(what: string) =>
  (list: T[], ctx: z.core.$RefinementCtx<T[]>) => {
    const seen = new Set<string>();
    list.forEach((t, i) => {
      if (seen.has(t.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate ${what} ${t.name}` });
      seen.add(t.name);
    });
  };

/**
 * The tessera/v1 Model document. `file` only means something in contracts/ (a path next to the
 * document) and is ignored on upload; unknown extra fields are kept, like every tessera/v1 kind.
 */
export const modelDocumentSchema = z
  .looseObject({
    apiVersion: z.literal('tessera/v1').optional(),
    kind: z.literal('Model').optional(),
    name: nameSchema,
    version: z.string().refine((v) => semver.valid(v) !== null, { message: 'must be a semantic version such as 1.0.0' }),
    description: z.string().optional(),
    owner: z.string().min(1).optional(),
    tags: z.array(z.string()).optional(),
    /** The domain that owns the model; without it, the single domain of its feature service's source products. */
    domain: nameSchema.optional(),
    featureService: nameSchema,
    file: z.string().min(1).optional(),
    requestInputs: z.array(requestInputSchema).superRefine(unique('request input')).optional(),
    outputs: z.array(outputSchema).min(1).superRefine(unique('output')).optional(),
    onMissing: z.enum(['reject', 'impute']).default('reject'),
    defaults: z.record(z.string().regex(FEATURE_REF_PATTERN, 'keys are feature references view:feature'), z.number()).optional(),
    batchScoring: batchScoringSchema.optional(),
    modelCard: z
      .looseObject({
        intendedUse: z.string().optional(),
        limitations: z.string().optional(),
        metrics: z.record(z.string(), z.number()).optional(),
        trainingDatasetId: z.string().optional(),
      })
      .optional(),
  })
  .superRefine((doc, ctx) => {
    if (doc.onMissing === 'impute' && doc.defaults === undefined) {
      ctx.addIssue({ code: 'custom', path: ['defaults'], message: 'onMissing: impute needs a default value per feature' });
    }
  });

export interface BatchScoringSettings {
  output: { dataProduct: string; outputPort: string };
  onlineView?: string;
  schedule?: string;
}

export interface ModelCard {
  intendedUse: string | null;
  limitations: string | null;
  metrics: Record<string, number>;
  trainingDatasetId: string | null;
  [extra: string]: unknown;
}

/** A validated, normalized Model document: what is stored and compared for immutability. */
export interface ModelMetadata {
  name: string;
  /** Clean semver (`v1.0.0` → `1.0.0`). */
  version: string;
  description: string | null;
  owner: string | null;
  tags: string[];
  /** Declared owning domain; absent (not null) when undeclared, so documents without it hash as before. */
  domain?: string;
  featureService: string;
  requestInputs: TensorDeclaration[];
  /** Outputs as declared; null = take them from the model. */
  declaredOutputs: TensorDeclaration[] | null;
  onMissing: 'reject' | 'impute';
  defaults: Record<string, number>;
  modelCard: ModelCard;
  /** Batch scoring settings; absent (not null) when undeclared, so documents without it hash as before. */
  batchScoring?: BatchScoringSettings;
  /** Unknown top-level fields, kept verbatim. */
  extra: Record<string, unknown>;
}

const KNOWN = new Set(Object.keys(modelDocumentSchema.shape));

/** Validates a Model document; every problem is named in one INVALID_METADATA error. */
export function parseModelDocument(raw: unknown, fieldPrefix = ''): ModelMetadata {
  const result = modelDocumentSchema.safeParse(raw);
  if (!result.success) {
    const sink = new IssueSink('metadata');
    reportZodIssues(result.error.issues, raw, sink);
    const details: ScoringProblem[] = sink.issues.map((i) => ({ field: prefixed(fieldPrefix, i.path), reason: i.message }));
    const summary = details
      .slice(0, 3)
      .map((d) => `${d.field || '(document)'}: ${d.reason}`)
      .join('; ');
    throw new ScoringError(ScoringErrorCode.INVALID_METADATA, `invalid Model document: ${summary}${details.length > 3 ? ` (+${details.length - 3} more)` : ''}`, details);
  }
  const d = result.data;
  const { intendedUse, limitations, metrics, trainingDatasetId, ...cardExtra } = d.modelCard ?? {};
  const extra = Object.fromEntries(Object.entries(d).filter(([k]) => !KNOWN.has(k)));
  return {
    name: d.name,
    version: semver.valid(d.version) ?? d.version,
    description: d.description ?? null,
    owner: d.owner ?? null,
    tags: d.tags ?? [],
    ...(d.domain !== undefined ? { domain: d.domain } : {}),
    featureService: d.featureService,
    requestInputs: (d.requestInputs ?? []).map((r) => ({ name: r.name, type: r.type, shape: r.shape })),
    declaredOutputs: d.outputs ? d.outputs.map((o) => ({ name: o.name, type: o.type, shape: o.shape ?? null })) : null,
    onMissing: d.onMissing,
    defaults: d.defaults ?? {},
    ...(d.batchScoring !== undefined ? { batchScoring: d.batchScoring } : {}),
    modelCard: { ...cardExtra, intendedUse: intendedUse ?? null, limitations: limitations ?? null, metrics: metrics ?? {}, trainingDatasetId: trainingDatasetId ?? null },
    extra,
  };
}

export function prefixed(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}
