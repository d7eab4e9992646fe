import { z } from 'zod';
import { compileBodyCheck } from '../../common/http/fast-route';
import { badRequest } from '../../common/http/parse-body';

/** Most entity rows one online request may carry: bounds the MGET and the response size. */
export const MAX_ENTITY_ROWS = 10_000;
export const MAX_FEATURES = 1_000;

/** The one rule of the body JSON Schema cannot say (the fast route checks it by hand, zod by refine). */
export const EXACTLY_ONE = 'give exactly one of features (["view:feature", ...]) or feature_service';

/** Feast's GetOnlineFeaturesRequest (extra Feast fields are ignored). */
export const onlineFeaturesBody = z
  .object({
    features: z.array(z.string().min(1)).min(1).max(MAX_FEATURES).optional(),
    feature_service: z.string().min(1).optional(),
    entities: z.record(z.string().min(1), z.array(z.unknown())),
    full_feature_names: z.boolean().default(false),
  })
  .refine((b) => (b.features === undefined) !== (b.feature_service === undefined), { message: EXACTLY_ONE, path: ['features'] });

const checkShape = compileBodyCheck<z.output<typeof onlineFeaturesBody>>(onlineFeaturesBody);

/**
 * The fast route's check of the body (ADR 0037): ajv compiled from the zod schema above, plus its
 * refinement. Accepts exactly what `parseBody(onlineFeaturesBody, body)` accepts (a property test
 * holds them together) and refuses with the same codes, naming each field.
 */
export function checkOnlineFeaturesBody(body: unknown): z.output<typeof onlineFeaturesBody> {
  const req = checkShape(body);
  if ((req.features === undefined) === (req.feature_service === undefined)) throw badRequest([{ field: 'features', reason: EXACTLY_ONE }]);
  return req;
}

export interface OnlineFeaturesRequest {
  features?: string[];
  featureService?: string;
  /** Column-major entity rows: join key -> one value per row. */
  entities: Record<string, unknown[]>;
  fullFeatureNames: boolean;
}

export type FeatureStatus = 'PRESENT' | 'NOT_FOUND' | 'NULL_VALUE' | 'OUTSIDE_MAX_AGE';

export interface OnlineFeatureColumn {
  values: unknown[];
  statuses: FeatureStatus[];
  event_timestamps: string[];
}

/** Exactly the JSON of Feast's feature server: join key columns first, then one column per feature. */
export interface OnlineFeaturesResponse {
  metadata: { feature_names: string[] };
  results: OnlineFeatureColumn[];
}
