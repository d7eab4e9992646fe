import type { TypedDocumentString } from '../gql/graphql';

/** The header every state-changing request made with the session cookie must carry (src/governance/auth/session). */
export const CSRF_HEADER = 'x-tessera-csrf';

/** A refusal or failure the page shows as it is: the server's code and message. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The server's `details` (e.g. `[{ field, reason }]` of a refused document), when it sent any. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

interface GraphqlAnswer<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; details?: unknown } }[];
}

/** Runs a typed operation with the session cookie (same origin; the key never reaches script). */
export async function gql<T, V>(document: TypedDocumentString<T, V>, variables?: V): Promise<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1' },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const answer = (await res.json()) as GraphqlAnswer<T> & { error?: { code: string; message: string } };
  if (answer.error) throw new ApiError(answer.error.code, answer.error.message);
  if (answer.errors?.length) throw new ApiError(answer.errors[0].extensions?.code ?? 'ERROR', answer.errors[0].message, answer.errors[0].extensions?.details);
  if (!answer.data) throw new ApiError('ERROR', `no data (HTTP ${res.status})`);
  return answer.data;
}

/** A REST call with the cookie and the CSRF header. */
export async function rest<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { [CSRF_HEADER]: '1', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  type Refusal = { error?: { code: string; message: string; details?: unknown } };
  const parsed = text ? (JSON.parse(text) as T & Refusal) : ({} as T & Refusal);
  if (!res.ok) throw new ApiError(parsed.error?.code ?? String(res.status), parsed.error?.message ?? res.statusText, parsed.error?.details);
  return parsed;
}
