import type { StagedSpine } from '../retrieval/pit-entity-frame';
import { z } from 'zod';
import { CommonError, CommonErrorCode } from '../../common/errors/common-error';
import { parseBody } from '../../common/http/parse-body';
import { arrowRetrieval, arrowRetrievalQuery, HistoricalFeaturesBody, historicalFeaturesBody } from '../retrieval/historical-features.input';

/** Stored datasets hold at most as many rows as an Arrow retrieval may stream. */
export { MAX_ARROW_ROWS as MAX_DATASET_ROWS } from '../retrieval/historical-features.input';
/** Rows of one JSON export page (Arrow exports stream every row). */
export const MAX_JSON_EXPORT_ROWS = 100_000;
export const MAX_GRAPHQL_EXPORT_ROWS = 10_000;
export const MAX_LIST = 1_000;

/**
 * Lowercase so the table name `"<name>@<version>"` needs no case games in SQL; 50 characters leave
 * room for `@<version>` in PostgreSQL's 63-byte identifiers. Checked again by the table's CHECK.
 */
const NAME = /^[a-z][a-z0-9_-]{0,49}$/;
const NAME_RULE = 'must be 1-50 characters: a lowercase letter, then lowercase letters, digits, _ or -';

export const datasetName = z.string(`must be a string (${NAME_RULE})`).regex(NAME, NAME_RULE);

const isoWithZone = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp with a zone' });

/**
 * `entities_from`: the entity rows are the rows of an output port (a labels port) the caller may read,
 * never leaving PostgreSQL. `columns` are port columns (join keys and labels); `timestamp` is the port
 * column that becomes event_timestamp (default: event_timestamp, else the port's only timestamp column);
 * `from` (inclusive) and `to` (exclusive) bound it.
 */
export const entityQuery = z.strictObject({
  dataProduct: z.string().min(1, 'must not be empty'),
  outputPort: z.string().min(1, 'must not be empty'),
  columns: z.array(z.string().min(1, 'must not be empty')).min(1, 'at least the join key columns'),
  timestamp: z.string().min(1, 'must not be empty').optional(),
  from: isoWithZone.optional(),
  to: isoWithZone.optional(),
});

export type EntityQuery = z.infer<typeof entityQuery>;

const saveMeta = z.looseObject({
  name: datasetName,
  description: z.string().max(2000, 'at most 2000 characters').nullish(),
  entities_from: entityQuery.optional(),
  /** Run as a retrieval job (202 and a job id) whatever the size (ADR 0028). */
  async: z.boolean('must be true or false').optional(),
});

export interface SaveTrainingDatasetRequest {
  name: string;
  description: string | null;
  /** The retrieval, exactly as `POST /v1/historical-features` takes it (`entities` empty with `entitiesFrom`). */
  retrieval: HistoricalFeaturesBody;
  entitiesFrom?: EntityQuery;
  /** A retrieval job's uploaded spine, kept in a table (`entities` then empty; see RetrievalJobRequest). */
  staged?: StagedSpine;
}

/**
 * `POST /v1/training-datasets`: the historical-features body plus `name` and `description`. The
 * retrieval part goes through the historical-features schema itself, so both routes accept the same.
 */
export function parseSaveBody(body: unknown): SaveTrainingDatasetRequest {
  const meta = parseBody(saveMeta, body);
  const { name: _name, description: _description, entities_from: entitiesFrom, async: _async, ...retrieval } = meta;
  if (entitiesFrom === undefined) return { name: meta.name, description: meta.description ?? null, retrieval: parseBody(historicalFeaturesBody, retrieval) };
  if ('entities' in retrieval) throw new CommonError(CommonErrorCode.BAD_REQUEST, 'give entities or entities_from, not both', [{ field: 'entities', reason: 'not allowed with entities_from' }]);
  return { name: meta.name, description: meta.description ?? null, retrieval: parseBody(historicalFeaturesBody, { ...retrieval, entities: {} }), entitiesFrom };
}

/** Query string of a save whose entity rows are an Arrow IPC body: the retrieval's parameters plus `name` and `description`. */
export const arrowSaveQuery = arrowRetrievalQuery.extend({ name: datasetName, description: z.string().max(2000, 'at most 2000 characters').optional() });

/** A save from its query string; the entity rows are read from the Arrow body afterwards. */
export function parseArrowSaveQuery(query: unknown): SaveTrainingDatasetRequest {
  const q = parseBody(arrowSaveQuery, query ?? {});
  const { name, description, async: _async, ...retrieval } = q;
  return { name, description: description ?? null, retrieval: arrowRetrieval(retrieval) };
}

/** `latest` or a version number >= 1. */
export const datasetVersion = z.union([z.literal('latest'), z.coerce.number('must be a version number or latest').int('must be a whole number').min(1, 'versions start at 1')]);

export const datasetPath = z.strictObject({ name: datasetName, version: datasetVersion });
export const listQuery = z.strictObject({
  name: datasetName.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIST, `at most ${MAX_LIST}`).default(100),
});

/** `offset` (row number to start at) and `limit`; JSON pages are capped, Arrow streams all by default. */
export const rowsQuery = z.strictObject({
  offset: z.coerce.number().int('must be a whole number').min(0, 'must be >= 0').default(0),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be >= 1').optional(),
});

/** The body of `POST /v1/training-datasets` as one schema, for its OpenAPI description: both schemas parseSaveBody applies. */
export const saveBodyDescription = z.intersection(saveMeta, historicalFeaturesBody);

/** `POST /v1/historical-features`'s JSON body: the retrieval, or its `entities_from` form (then no `entities`). */
export function parseRetrievalBody(body: unknown): { retrieval: HistoricalFeaturesBody; entitiesFrom?: EntityQuery } {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('entities_from' in body)) return { retrieval: parseBody(historicalFeaturesBody, body) };
  const { entities_from, ...rest } = body as Record<string, unknown>;
  const entitiesFrom = parseBody(z.strictObject({ entities_from: entityQuery }), { entities_from }).entities_from;
  if ('entities' in rest) throw new CommonError(CommonErrorCode.BAD_REQUEST, 'give entities or entities_from, not both', [{ field: 'entities', reason: 'not allowed with entities_from' }]);
  return { retrieval: parseBody(historicalFeaturesBody, { ...rest, entities: {} }), entitiesFrom };
}

/** The body of `POST /v1/historical-features` for its OpenAPI description: the retrieval plus `entities_from` and `async`. */
export const retrievalBodyDescription = z.intersection(
  z.looseObject({ entities_from: entityQuery.optional().describe('instead of entities: the rows of an output port (ADR 0025)'), async: z.boolean().optional().describe('run as a retrieval job (ADR 0028)') }),
  historicalFeaturesBody,
);
