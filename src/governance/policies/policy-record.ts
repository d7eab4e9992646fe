import type { NormalizedPolicy } from '../../catalog/contracts/documents/normalized-types';

export const POLICY_STATUSES = ['draft', 'in_review', 'approved', 'rejected', 'active', 'deprecated', 'superseded'] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];
export const VOTE_CHOICES = ['approve', 'reject', 'abstain', 'block'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];

/** One revision of a policy, as stored. */
export interface PolicyRecord {
  id: string;
  name: string;
  revision: number;
  status: PolicyStatus;
  statusReason: string | null;
  policy: Omit<NormalizedPolicy, 'raw'>;
  spec: Record<string, unknown>;
  contentHash: string;
  effectiveFrom: Date | null;
  proposedBy: string;
  sourceFile: string | null;
  createdAt: Date;
  submittedAt: Date | null;
  decidedAt: Date | null;
  activatedAt: Date | null;
  statusChangedAt: Date;
}

export interface VoteRecord {
  seq: number;
  policyId: string;
  voter: string;
  domain: string;
  vote: VoteChoice;
  comment: string;
  castAt: Date;
}

export const policyId = (name: string, revision: number): string => `${name}@${revision}`;
