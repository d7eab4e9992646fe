/**
 * Everything a caller can ask Tessera to do, as named actions. Every REST route and GraphQL resolver
 * declares one (`@Authorize(action)`); `authorize()` decides on it.
 */
export const ACTIONS = [
  'self.read',
  'catalog.read',
  'catalog.apply',
  'jobs.read',
  'features.read.online',
  'features.read.offline',
  'features.ingest',
  'features.push',
  'features.materialize',
  'models.read',
  'models.register',
  'models.predict',
  'models.deploy',
  'keys.manage',
  'audit.read',
  /** Prometheus scrape; admin only until a monitoring role exists. */
  'metrics.read',
  'policies.read',
  'policies.propose',
  'policies.vote',
  /** Withdrawing (deprecating) an active or approved policy: governance leads and admins, not every voter. */
  'policies.withdraw',
  'agreements.read',
  'agreements.request',
  'agreements.approve',
] as const;

export type Action = (typeof ACTIONS)[number];

/**
 * Actions that change state: every one is written to the audit trail, allowed or not. Reads are
 * recorded only when denied (an allowed online read must not cost a write on the serving hot path).
 */
export const WRITE_ACTIONS: ReadonlySet<Action> = new Set<Action>([
  'catalog.apply',
  'features.ingest',
  'features.push',
  'features.materialize',
  'models.register',
  'models.deploy',
  'keys.manage',
  'policies.propose',
  'policies.vote',
  'policies.withdraw',
  'agreements.request',
  'agreements.approve',
]);

export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && (ACTIONS as readonly string[]).includes(value);
}
