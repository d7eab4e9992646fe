import type { FastifyInstance, FastifyRequest } from 'fastify';

const ARROW_STREAM = 'application/vnd.apache.arrow.stream';
const PARQUET = 'application/vnd.apache.parquet';

/**
 * Routes that read an Arrow IPC body themselves, record batch by record batch as it arrives: entity
 * rows of a training set are limited by a row cap (TESSERA_ENTITY_MAX_ROWS), not by the body limit.
 */
const STREAMED_ARROW_ROUTES = new Set(['POST /v1/historical-features', 'POST /v1/training-datasets']);

function bodyTooLarge(limit: number): Error {
  return Object.assign(new Error(`request body is larger than ${limit} bytes`), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
}

/** The whole body as one buffer, refused as soon as it passes `limit` bytes (what parseAs: 'buffer' does). */
async function readLimited(payload: AsyncIterable<Buffer>, declaredLength: string | undefined, limit: number): Promise<Buffer> {
  if (declaredLength !== undefined && Number(declaredLength) > limit) throw bodyTooLarge(limit);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of payload) {
    size += part.length;
    if (size > limit) throw bodyTooLarge(limit);
    parts.push(part);
  }
  return Buffer.concat(parts);
}

/**
 * Raw bodies for the ingestion formats (NDJSON, CSV, Arrow IPC) and YAML, so their routes parse and
 * validate them with clear, typed errors instead of Fastify refusing the media type.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  for (const type of ['application/x-ndjson', 'text/csv', 'application/yaml', 'text/yaml', 'text/plain']) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_req, body, done) => done(null, body));
  }
  // Parquet entity files too (ADR 0025): the route spools them to a file (the footer comes last).
  app.addContentTypeParser([ARROW_STREAM, PARQUET], async (req: FastifyRequest, payload: FastifyRequest['raw']) => {
    if (STREAMED_ARROW_ROUTES.has(`${req.method} ${req.routeOptions.url ?? ''}`)) return payload;
    return readLimited(payload, req.headers['content-length'], req.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 1024 * 1024);
  });
}
