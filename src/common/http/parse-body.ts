import { z } from 'zod';
import { CommonError, CommonErrorCode } from '../errors/common-error';

/** The refusal of a bad body: BAD_REQUEST naming the first problems in its message, all of them in details. */
export function badRequest(details: { field: string; reason: string }[]): CommonError {
  const summary = details
    .slice(0, 5)
    .map((d) => `${d.field}: ${d.reason}`)
    .join('; ');
  return new CommonError(CommonErrorCode.BAD_REQUEST, `invalid request: ${summary}${details.length > 5 ? ` (+${details.length - 5} more)` : ''}`, details);
}

/** Validates a request body; a bad one is refused with every problem named by field and reason. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  if (body === undefined || body === null || typeof body !== 'object') {
    throw new CommonError(CommonErrorCode.MALFORMED_BODY, 'request body must be a JSON object');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw badRequest(result.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', reason: i.message })));
}
