import { Logger } from '@nestjs/common';
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { TesseraError } from './tessera-error';
import { toTesseraError } from './to-tessera-error';

const logger = new Logger('GraphQL');

/** Maps our errors to `extensions.code`; anything unexpected is logged and hidden from the client. */
export function formatGraphqlError(formatted: GraphQLFormattedError, raw: unknown): GraphQLFormattedError {
  // graphql-js wraps a thrown value it does not see as an Error (another realm's Error, as under Jest) in NonErrorThrown.
  const unwrapped = unwrapResolverError(raw);
  const original = (unwrapped as { name?: string; thrownValue?: unknown } | null)?.name === 'NonErrorThrown' ? (unwrapped as { thrownValue: unknown }).thrownValue : unwrapped;
  const code = formatted.extensions?.code;
  // Apollo's own validation/parse errors already carry a precise code and message.
  if (!(original instanceof TesseraError) && typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  const { error, unexpected } = toTesseraError(original);
  if (unexpected) logger.error(original instanceof Error ? original.stack : String(original));
  return {
    message: error.message,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: error.surface.graphql, tesseraCode: error.code, ...(error.details === undefined ? {} : { details: error.details }) },
  };
}
