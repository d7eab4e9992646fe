import type { VoteChoice, VoteRecord } from './policy-record';

export interface Tally {
  /** Each voter's latest vote counts (a member may change their mind while the review is open). */
  current: { voter: string; domain: string; vote: VoteChoice; comment: string }[];
  approvingDomains: string[];
  rejectingDomains: string[];
  blockedBy: { voter: string; comment: string } | null;
  outcome: 'approved' | 'rejected' | 'open';
  reason: string;
}

/**
 * Consent with a quorum of domains (ADR 0010): one block rejects; otherwise the policy is approved
 * once governance members of `quorum` distinct domains approve and approving domains outnumber
 * rejecting ones; it is rejected once `quorum` domains reject and they are not outnumbered.
 * Two members of one domain count as that domain once.
 */
export function tallyVotes(votes: readonly VoteRecord[], quorum: number): Tally {
  const latest = new Map<string, VoteRecord>();
  for (const v of [...votes].sort((a, b) => a.seq - b.seq)) latest.set(v.voter, v);
  const current = [...latest.values()].map((v) => ({ voter: v.voter, domain: v.domain, vote: v.vote, comment: v.comment }));
  const domainsVoting = (choice: VoteChoice): string[] => [...new Set(current.filter((v) => v.vote === choice).map((v) => v.domain))].sort();
  const approvingDomains = domainsVoting('approve');
  const rejectingDomains = domainsVoting('reject');
  const block = current.find((v) => v.vote === 'block');
  const base = { current, approvingDomains, rejectingDomains, blockedBy: block ? { voter: block.voter, comment: block.comment } : null };
  if (block) return { ...base, outcome: 'rejected', reason: `blocked by ${block.voter} (${block.domain}): ${block.comment}` };
  if (approvingDomains.length >= quorum && approvingDomains.length > rejectingDomains.length) {
    return { ...base, outcome: 'approved', reason: `approved by ${approvingDomains.length} domain(s) (${approvingDomains.join(', ')}), quorum ${quorum}, no block` };
  }
  if (rejectingDomains.length >= quorum && rejectingDomains.length >= approvingDomains.length) {
    return { ...base, outcome: 'rejected', reason: `rejected by ${rejectingDomains.length} domain(s) (${rejectingDomains.join(', ')}), quorum ${quorum}` };
  }
  return { ...base, outcome: 'open', reason: `${approvingDomains.length} of ${quorum} domain(s) approve so far` };
}
