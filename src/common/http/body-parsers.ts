import type { FastifyInstance } from 'fastify';

/**
 * Raw bodies for the ingestion formats (NDJSON, CSV, Arrow IPC) and YAML, so their routes parse and
 * validate them with clear, typed errors instead of Fastify refusing the media type.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  for (const type of ['application/x-ndjson', 'text/csv', 'application/yaml', 'text/yaml', 'text/plain']) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_req, body, done) => done(null, body));
  }
  app.addContentTypeParser('application/vnd.apache.arrow.stream', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
}
