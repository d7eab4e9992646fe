import { SetMetadata } from '@nestjs/common';
import type { z } from 'zod';

export const API_DOC_METADATA = 'tessera:api-doc';

/** A request body that is not JSON (rows as NDJSON/CSV/Arrow, a multipart upload): its media types, described in words. */
export interface RawBody {
  contentTypes: string[];
  description: string;
}

/**
 * The OpenAPI description of one REST route. Body, query and path schemas are the zod schemas the
 * handler validates with (pass the same constant to parseBody), so the document cannot drift from
 * what the route accepts; /openapi.json is generated from these declarations (src/api-docs).
 */
export interface ApiDocDeclaration {
  summary: string;
  description?: string;
  tag: string;
  body?: z.ZodType | RawBody;
  query?: z.ZodType;
  /** Path parameters and their meaning (names as in the route, `:name`). */
  params?: Record<string, string>;
  /** Media types of a 200 answer besides application/json (Arrow streams, Prometheus text, HTML). */
  produces?: string[];
  /** Status codes this route answers besides 200 and the common errors, with their meaning. */
  responses?: Record<number, string>;
}

export const ApiDoc = (doc: ApiDocDeclaration): MethodDecorator => SetMetadata(API_DOC_METADATA, doc);

export const isRawBody = (body: ApiDocDeclaration['body']): body is RawBody => body !== undefined && 'contentTypes' in body && Array.isArray(body.contentTypes);
