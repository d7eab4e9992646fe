import { AsyncLocalStorage } from 'node:async_hooks';

interface AuditState {
  before?: unknown;
  after?: unknown;
}

const storage = new AsyncLocalStorage<AuditState>();

/** Runs a mutation handler with a place where services can leave the states the audit trail digests. */
export function runWithAuditState<T>(work: () => T): { result: T; state: AuditState } {
  const state: AuditState = {};
  return { result: storage.run(state, work), state };
}

/**
 * A service that knows the state it is about to change (and the state it left) supplies them here;
 * the audit record then carries their sha256 digests. Outside an audited request this does nothing.
 */
export function supplyAuditStates(states: { before?: unknown; after?: unknown }): void {
  const s = storage.getStore();
  if (!s) return;
  if ('before' in states) s.before = states.before;
  if ('after' in states) s.after = states.after;
}
