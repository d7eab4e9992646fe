import { z } from 'zod';
import { CommonError, CommonErrorCode } from '../errors/common-error';

/** Validates a request body; a bad one is refused with every problem named by field and reason. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  if (body === undefined || body === null || typeof body !== 'object') {
    throw new CommonError(CommonErrorCode.MALFORMED_BODY, 'request body must be a JSON object');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', reason: i.message }));
  const summary = details
    .slice(0, 5)
    .map((d) => `${d.field}: ${d.reason}`)
    .join('; ');
  throw new CommonError(CommonErrorCode.BAD_REQUEST, `invalid request: ${summary}${details.length > 5 ? ` (+${details.length - 5} more)` : ''}`, details);
}
