import type { VoteRecord } from '../../../src/governance/policies/policy-record';
import { tallyVotes } from '../../../src/governance/policies/vote-tally';

let seq = 0;
const v = (voter: string, domain: string, vote: VoteRecord['vote'], comment = 'ok'): VoteRecord => ({ seq: ++seq, policyId: 'p@1', voter, domain, vote, comment, castAt: new Date() });

describe('policy vote tally (consent with a quorum of domains)', () => {
  it('stays open below quorum; two members of one domain count once', () => {
    const t = tallyVotes([v('a', 'rides', 'approve'), v('b', 'rides', 'approve')], 2);
    expect(t.outcome).toBe('open');
    expect(t.approvingDomains).toEqual(['rides']);
  });

  it('approves at quorum of distinct domains without a block', () => {
    const t = tallyVotes([v('a', 'rides', 'approve'), v('c', 'payments', 'approve'), v('d', 'risk', 'abstain')], 2);
    expect(t).toMatchObject({ outcome: 'approved', approvingDomains: ['payments', 'rides'] });
  });

  it('one block rejects, whatever the approvals', () => {
    const t = tallyVotes([v('a', 'rides', 'approve'), v('c', 'payments', 'approve'), v('d', 'risk', 'block', 'breaks our batch jobs')], 2);
    expect(t.outcome).toBe('rejected');
    expect(t.reason).toBe('blocked by d (risk): breaks our batch jobs');
  });

  it('a member’s latest vote replaces their earlier one', () => {
    const t = tallyVotes([v('d', 'risk', 'block'), v('a', 'rides', 'approve'), v('d', 'risk', 'approve')], 2);
    expect(t.outcome).toBe('approved');
    expect(t.current).toHaveLength(2);
  });

  it('rejects when quorum domains reject and approvals do not outnumber them', () => {
    expect(tallyVotes([v('a', 'rides', 'reject'), v('c', 'payments', 'reject'), v('d', 'risk', 'approve')], 2).outcome).toBe('rejected');
    expect(tallyVotes([v('a', 'rides', 'reject'), v('c', 'payments', 'approve'), v('d', 'risk', 'approve')], 2).outcome).toBe('approved');
    expect(tallyVotes([v('a', 'rides', 'reject'), v('c', 'payments', 'approve')], 2).outcome).toBe('open');
  });
});
