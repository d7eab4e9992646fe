/**
 * What a replica caches, grouped by what invalidates it together (ADR 0018). One version counter and
 * one set of invalidators per kind.
 */
export const CHANGE_KINDS = [
  /** Feature views, entities, feature services, offline tables (and serving plans built from them): apply. */
  'registry',
  /** Data products, output ports and contracts: ownership (product → domain) and PII classification: apply. */
  'products',
  /** Model versions, registry stages, deployments (routes) and prediction log sample rates. */
  'models',
  /** Governance policies: proposals, votes, activation, withdrawal, bootstrap, apply. */
  'policies',
  /** Access agreements: requests (auto-approved), decisions, revocations. */
  'agreements',
  /** Principals, their role grants and API keys (issue, revocation). */
  'principals',
  /** Stream source pauses and resumes (shared by every replica, ADR 0026). */
  'streams',
] as const;

export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const isChangeKind = (v: unknown): v is ChangeKind => typeof v === 'string' && (CHANGE_KINDS as readonly string[]).includes(v);

/** The one NOTIFY channel of the change feed. */
export const CHANGE_CHANNEL = 'tessera_changes';
