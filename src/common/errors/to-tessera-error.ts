import { HttpException } from '@nestjs/common';
import { CommonError, CommonErrorCode } from './common-error';
import { TesseraError } from './tessera-error';

/** Fastify's own error codes for requests refused before our handlers run. */
const FASTIFY_CODES: Record<string, CommonErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: CommonErrorCode.PAYLOAD_TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_EMPTY_JSON_BODY: CommonErrorCode.MALFORMED_BODY,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: CommonErrorCode.MALFORMED_BODY,
  FST_ERR_CTP_INVALID_JSON_BODY: CommonErrorCode.MALFORMED_BODY,
};

const HTTP_CODES: Record<number, CommonErrorCode> = {
  400: CommonErrorCode.BAD_REQUEST,
  401: CommonErrorCode.UNAUTHENTICATED,
  403: CommonErrorCode.FORBIDDEN,
  404: CommonErrorCode.NOT_FOUND,
  413: CommonErrorCode.PAYLOAD_TOO_LARGE,
  415: CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
};

/**
 * Turns anything thrown into an error a client may see. Unknown errors become INTERNAL with a generic
 * message: their text and stack go to the log, never to the client.
 */
export function toTesseraError(err: unknown): { error: TesseraError; unexpected: boolean } {
  if (err instanceof TesseraError) return { error: err, unexpected: false };
  // Nest wraps Fastify's own errors (body parsing, size limit) in an HttpException with the cause.
  if (err instanceof HttpException && err.cause !== undefined) {
    const fromCause = fastifyError(err.cause);
    if (fromCause) return { error: fromCause, unexpected: false };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const code = HTTP_CODES[status] ?? (status < 500 ? CommonErrorCode.BAD_REQUEST : CommonErrorCode.INTERNAL);
    return { error: new CommonError(code, status < 500 ? err.message : 'internal error'), unexpected: status >= 500 };
  }
  const mapped = fastifyError(err);
  if (mapped) return { error: mapped, unexpected: false };
  const text = unstorableText(err);
  if (text) return { error: text, unexpected: false };
  const database = databaseUnavailable(err);
  if (database) return { error: database, unexpected: false };
  return { error: new CommonError(CommonErrorCode.INTERNAL, 'internal error'), unexpected: true };
}

function fastifyError(err: unknown): CommonError | null {
  const e = err as { code?: string; statusCode?: number; message?: string } | undefined;
  if (e?.code && FASTIFY_CODES[e.code]) return new CommonError(FASTIFY_CODES[e.code], String(e.message));
  if (e instanceof SyntaxError) return new CommonError(CommonErrorCode.MALFORMED_BODY, `malformed JSON body: ${e.message}`);
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return new CommonError(HTTP_CODES[e.statusCode] ?? CommonErrorCode.BAD_REQUEST, String(e.message));
  }
  return null;
}

/**
 * PostgreSQL text and jsonb cannot hold a NUL character (\u0000): a name, id or value carrying one
 * fails in the driver (22021 invalid byte sequence, 22P05 untranslatable character). That is the
 * client's input, whichever field it came in, so it is a 400, not an internal error.
 */
function unstorableText(err: unknown): CommonError | null {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | undefined;
  const code = e?.driverError?.code ?? e?.code;
  if (code === '22021' || code === '22P05') {
    return new CommonError(CommonErrorCode.BAD_REQUEST, 'a text value of the request contains a NUL (\\u0000) character, which cannot be stored', [{ field: '(request)', reason: 'contains a NUL character' }]);
  }
  return null;
}

/** Socket-level failures of a connection to PostgreSQL (refused, reset, timed out). */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** node-postgres's own words for a connection that broke or never came. */
const CONNECTION_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Connection ended)/;

/**
 * PostgreSQL is down, restarting or unreachable: SQLSTATE class 08 (connection exception), 57P01-03
 * (shut down by the administrator, crashed, starting up), or the driver's socket errors. The request
 * failed through no fault of the client and may be retried: 503, never the driver's text.
 */
export function databaseUnavailable(err: unknown): CommonError | null {
  const e = err as { code?: unknown; message?: unknown; driverError?: { code?: unknown; message?: unknown } } | undefined;
  if (!e || typeof e !== 'object') return null;
  const code = String(e.driverError?.code ?? e.code ?? '');
  const message = String(e.driverError?.message ?? e.message ?? '');
  const down = code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || CONNECTION_CODES.has(code) || CONNECTION_MESSAGES.test(message);
  return down ? new CommonError(CommonErrorCode.DATABASE_UNAVAILABLE, 'the database is unavailable; retry shortly') : null;
}
