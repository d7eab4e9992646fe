import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line of a request carries, wherever in the code it is written. */
export interface RequestContext {
  requestId: string;
}

/**
 * Entered once per request in a callback-style onRequest hook (`run(store, done)`), so the rest of
 * Fastify's lifecycle, the Nest handler and everything it awaits see the same store.
 */
export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
