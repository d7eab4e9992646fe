import { z } from 'zod';

/** Row caps: JSON answers are built in memory; Arrow answers stream a record batch at a time. */
export const MAX_JSON_ROWS = 100_000;
export const MAX_ARROW_ROWS = 5_000_000;
export const MAX_GRAPHQL_ROWS = 10_000;

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

/**
 * `POST /v1/historical-features` (Feast's get_historical_features, over HTTP): either feature
 * references or a feature service, the entity rows as columns, and whether outputs are named
 * `view__feature`. Entity values are checked later against the views' key types, per row.
 */
export const historicalFeaturesBody = z
  .strictObject({
    features: z.array(z.string().min(1, 'must not be empty')).min(1, 'at least one feature reference is required').optional(),
    feature_service: z.string().min(1, 'must not be empty').optional(),
    entities: z.record(z.string().min(1, 'column names must not be empty'), z.array(z.unknown(), 'must be an array of values (one per entity row)')),
    full_feature_names: z.boolean().default(false),
  })
  .superRefine((b, ctx) => {
    if ((b.features === undefined) === (b.feature_service === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['features'], message: 'give exactly one of features (["view:feature", ...]) or feature_service' });
    }
  });

export type HistoricalFeaturesBody = z.infer<typeof historicalFeaturesBody>;

/** Whether the Accept header asks for an Arrow IPC stream (q-values are not weighed: any mention wins). */
export function wantsArrow(accept: string | undefined): boolean {
  return (accept ?? '')
    .split(',')
    .map((t) => t.split(';')[0].trim().toLowerCase())
    .includes(ARROW_STREAM);
}
