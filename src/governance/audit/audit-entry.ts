import { createHash } from 'node:crypto';

export type AuditOutcome = 'allowed' | 'denied' | 'failed';

/** One line of the audit trail. */
export interface AuditRecord {
  /** Null when the caller could not be authenticated. */
  principalId: string | null;
  /** An authorization action (`catalog.apply`), or `authenticate` for a refused credential. */
  action: string;
  resource: string;
  outcome: AuditOutcome;
  reason?: string | null;
  requestId?: string | null;
  /** `POST /v1/contracts/apply` or `Mutation.applyContracts`. */
  operation?: string | null;
  beforeDigest?: string | null;
  afterDigest?: string | null;
}

export interface AuditEntry extends Required<AuditRecord> {
  seq: string;
  at: Date;
}

export interface AuditFilter {
  principalId?: string;
  action?: string;
  outcome?: AuditOutcome;
  resource?: string;
  since?: Date;
  until?: Date;
  /** Entries with seq below this (paging backwards from the newest). */
  beforeSeq?: string;
}

/** sha256 of a value's JSON: what the trail keeps of a state, so it proves change without copying data. */
export function auditDigest(value: unknown): string | null {
  if (value === undefined) return null;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    return null; // cycles or BigInt: no digest rather than a failed mutation
  }
  return json === undefined ? null : createHash('sha256').update(json).digest('hex');
}
