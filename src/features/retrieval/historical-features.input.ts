import { z } from 'zod';
import { parseBody } from '../../common/http/parse-body';

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

/** Whether the request body is an Arrow IPC stream of entity rows (the rest of the request is then in the query string). */
export function isArrowBody(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === ARROW_STREAM;
}

const listParam = z.union([z.string().min(1, 'must not be empty'), z.array(z.string().min(1, 'must not be empty'))]);

/**
 * The query string of a retrieval whose entity rows are an Arrow IPC body: `features` (repeated, or
 * comma-separated `view:feature` references) or `feature_service`, and `full_feature_names=true|false`.
 */
export const arrowRetrievalQuery = z.strictObject({
  features: listParam.optional(),
  feature_service: z.string().min(1, 'must not be empty').optional(),
  full_feature_names: z.enum(['true', 'false'], 'must be true or false').optional(),
  async: z.enum(['true', 'false'], 'must be true or false').optional(),
});

/** `?async=true`: run as a retrieval job (202 and a job id) whatever the size (ADR 0028). Read from the query string of any request. */
export const asyncQuery = z.looseObject({ async: z.enum(['true', 'false'], 'must be true or false').optional() });

/**
 * Splits `"async": true|false` off a JSON body (the retrieval's own schema is strict) and combines it
 * with `?async=`: either asks for a retrieval job.
 */
export function takeAsync(body: unknown, query: unknown): { body: unknown; async: boolean } {
  const fromQuery = parseBody(asyncQuery, query ?? {}).async === 'true';
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('async' in body)) return { body, async: fromQuery };
  const { async, ...rest } = body as Record<string, unknown>;
  const flag = parseBody(z.strictObject({ async: z.boolean('must be true or false') }), { async }).async;
  return { body: rest, async: flag || fromQuery };
}

/**
 * The retrieval of an Arrow upload, checked by the same schema as a JSON body before a byte of the
 * body is read; its `entities` are filled from the stream afterwards.
 */
export function arrowRetrieval(query: Omit<z.infer<typeof arrowRetrievalQuery>, 'async'>): HistoricalFeaturesBody {
  const features = query.features === undefined ? undefined : (Array.isArray(query.features) ? query.features : [query.features]).flatMap((f) => f.split(',').map((x) => x.trim()));
  const parsed = parseBody(historicalFeaturesBody, { features, feature_service: query.feature_service, full_feature_names: query.full_feature_names === 'true', entities: {} });
  return parsed;
}
