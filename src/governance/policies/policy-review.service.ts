import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ApplyAction } from '../../catalog/apply/apply-report';
import type { NormalizedPolicy } from '../../catalog/contracts/documents/normalized-types';
import { parseContractFiles } from '../../catalog/contracts/documents/parse-documents';
import { validateDocuments } from '../../catalog/contracts/documents/validate-documents';
import { ChangeFeed } from '../../common/changes/change-feed';
import { TesseraConfig } from '../../config/tessera-config';
import type { Principal } from '../auth/principal';
import { PoliciesError, PoliciesErrorCode } from './policies-error';
import { PolicyRecord, PolicyStatus, VoteChoice, VoteRecord } from './policy-record';
import { PolicyRepository } from './policy.repository';
import { tallyVotes } from './vote-tally';

const isAdmin = (p: Principal): boolean => p.roles.some((r) => r.role === 'admin');
const governedDomains = (p: Principal): string[] => [...new Set(p.roles.filter((r) => r.role === 'governance_member' && r.domain).map((r) => r.domain as string))];
/** Statuses whose revision still stands: re-proposing the same content to them changes nothing. */
const STANDING: ReadonlySet<PolicyStatus> = new Set(['draft', 'in_review', 'approved', 'active']);

/**
 * The review workflow (ADR 0010): draft → in_review → approved | rejected; approved → active at
 * effectiveFrom; active → deprecated | superseded. The business rules live here (not only in the
 * authorization guard): only governance members vote, the proposer never approves their own policy.
 */
@Injectable()
export class PolicyReviewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: PolicyRepository,
    private readonly config: TesseraConfig,
    private readonly changes: ChangeFeed,
  ) {}

  // Reads only read: approved policies become active by PolicyActivationSchedule (and votes, applies).
  async list(status?: PolicyStatus): Promise<PolicyRecord[]> {
    return this.repo.list(status);
  }

  async get(id: string): Promise<PolicyRecord> {
    const p = await this.repo.get(id);
    if (!p) throw new PoliciesError(PoliciesErrorCode.POLICY_NOT_FOUND, `policy ${id} not found (ids look like name@revision)`);
    return p;
  }

  votes(policyId: string): Promise<VoteRecord[]> {
    return this.repo.votes([policyId]);
  }

  /** A policy document (YAML or JSON) becomes a draft revision, validated exactly like apply does. */
  async propose(who: Principal, document: string): Promise<PolicyRecord> {
    this.requireGovernance(who, 'propose a policy');
    const parsed = parseContractFiles([{ path: 'proposal', content: document }]);
    const validated = validateDocuments(parsed.docs);
    const problems = [...parsed.issues, ...validated.issues].filter((i) => i.severity === 'error');
    const policies = validated.documents.filter((d) => d.kind === 'Policy');
    if (problems.length === 0 && (policies.length !== 1 || validated.documents.length !== 1)) {
      problems.push({ file: 'proposal', path: 'kind', severity: 'error', message: 'must be exactly one document with apiVersion tessera/v1 and kind Policy' });
    }
    if (problems.length > 0) {
      throw new PoliciesError(
        PoliciesErrorCode.INVALID_POLICY,
        `policy document rejected: ${problems.map((p) => `${p.path || '(document)'}: ${p.message}`).join('; ')}`,
        problems.map((p) => ({ field: p.path, reason: p.message })),
      );
    }
    const doc = policies[0];
    const { id } = await this.dataSource.transaction(async (m) => {
      const draft = await this.upsertDraft(m, doc.value, doc.hash, who.id, null);
      if (draft.action !== 'unchanged') await this.changes.publish(m, 'policies', draft.id);
      return draft;
    });
    return this.get(id);
  }

  /**
   * Stores a proposed revision: unchanged when a standing revision has this content, the latest
   * draft is edited in place, anything else starts a new draft revision. Used by apply as well.
   */
  async upsertDraft(m: EntityManager, p: NormalizedPolicy, hash: string, actor: string, sourceFile: string | null): Promise<{ id: string; revision: number; action: ApplyAction }> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('tessera.policy:' || $1))`, [p.name]);
    const revisions = await this.repo.revisions(p.name, m);
    const same = revisions.find((r) => r.contentHash === hash && STANDING.has(r.status));
    if (same) return { id: same.id, revision: same.revision, action: 'unchanged' };
    const latest = revisions.at(-1);
    if (latest?.status === 'draft') {
      await this.repo.replaceDraft(m, latest.id, p, hash, sourceFile);
      return { id: latest.id, revision: latest.revision, action: 'updated' };
    }
    const revision = (latest?.revision ?? 0) + 1;
    const id = await this.repo.insert(m, p, { revision, hash, proposedBy: actor, sourceFile, status: 'draft' });
    return { id, revision, action: 'created' };
  }

  async submit(who: Principal, id: string): Promise<PolicyRecord> {
    return this.transition(id, async (m, p) => {
      if (p.proposedBy !== who.id && !isAdmin(who) && governedDomains(who).length === 0) {
        throw new PoliciesError(PoliciesErrorCode.FORBIDDEN, `only the proposer (${p.proposedBy}), a governance member or an admin may submit ${id}`);
      }
      this.requireStatus(p, ['draft'], 'submit for review');
      await this.repo.setStatus(m, id, 'in_review', `submitted by ${who.id}`);
    });
  }

  async vote(who: Principal, id: string, vote: VoteChoice, comment: string, domain?: string | null): Promise<PolicyRecord> {
    return this.transition(id, async (m, p) => {
      const domains = governedDomains(who);
      if (domains.length === 0) throw new PoliciesError(PoliciesErrorCode.VOTE_REFUSED, `${who.id} is not a governance member: only governance members vote on policies`);
      const as = domain ?? (domains.length === 1 ? domains[0] : null);
      if (as === null)
        throw new PoliciesError(PoliciesErrorCode.VOTE_REFUSED, `${who.id} represents several domains (${domains.join(', ')}): name the domain to vote for`, [{ field: 'domain', reason: 'required' }]);
      if (!domains.includes(as)) throw new PoliciesError(PoliciesErrorCode.VOTE_REFUSED, `${who.id} is no governance member of domain ${as}`, [{ field: 'domain', reason: `must be one of ${domains.join(', ')}` }]);
      if (vote === 'approve' && p.proposedBy === who.id) throw new PoliciesError(PoliciesErrorCode.VOTE_REFUSED, `${who.id} proposed ${id} and cannot approve it; other domains decide`);
      if (comment.trim() === '') throw new PoliciesError(PoliciesErrorCode.VOTE_REFUSED, 'a vote needs a comment', [{ field: 'comment', reason: 'must not be empty' }]);
      this.requireStatus(p, ['in_review'], 'vote on');
      await this.repo.addVote(m, { policyId: id, voter: who.id, domain: as, vote, comment: comment.trim() });
      const tally = tallyVotes(await this.repo.votes([id], m), this.config.policyQuorum);
      if (tally.outcome !== 'open') await this.repo.setStatus(m, id, tally.outcome, tally.reason);
      if (tally.outcome === 'approved') await this.repo.activateDue(m);
    });
  }

  async deprecate(who: Principal, id: string, reason: string): Promise<PolicyRecord> {
    return this.transition(id, async (m, p) => {
      if (!isAdmin(who) && !who.roles.some((r) => r.role === 'governance_lead')) throw new PoliciesError(PoliciesErrorCode.FORBIDDEN, `only governance leads and admins withdraw policies`);
      this.requireStatus(p, ['active', 'approved'], 'deprecate');
      await this.repo.setStatus(m, id, 'deprecated', `deprecated by ${who.id}: ${reason}`);
    });
  }

  /** Inserts the shipped defaults as active, bypassing the vote: only for a mesh that has no policy at all. */
  async bootstrap(policies: { value: NormalizedPolicy; hash: string; file: string }[], reason: string): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`LOCK TABLE tessera.policies IN EXCLUSIVE MODE`);
      if ((await this.repo.count(m)) > 0) return 0;
      for (const p of policies) {
        const id = await this.repo.insert(m, p.value, { revision: 1, hash: p.hash, proposedBy: 'system:bootstrap', sourceFile: p.file, status: 'active' });
        await this.repo.setStatus(m, id, 'active', reason);
      }
      await this.changes.publish(m, 'policies');
      return policies.length;
    });
  }

  private async transition(id: string, step: (m: EntityManager, p: PolicyRecord) => Promise<void>): Promise<PolicyRecord> {
    await this.dataSource.transaction(async (m) => {
      await this.repo.activateDue(m);
      const p = await this.repo.get(id, m, true);
      if (!p) throw new PoliciesError(PoliciesErrorCode.POLICY_NOT_FOUND, `policy ${id} not found (ids look like name@revision)`);
      await step(m, p);
      await this.changes.publish(m, 'policies', id);
    });
    return this.get(id);
  }

  private requireStatus(p: PolicyRecord, allowed: PolicyStatus[], what: string): void {
    if (!allowed.includes(p.status)) {
      throw new PoliciesError(PoliciesErrorCode.INVALID_TRANSITION, `cannot ${what} policy ${p.id}: it is ${p.status} (allowed from ${allowed.join(' or ')})`, [{ field: 'status', reason: p.status }]);
    }
  }

  private requireGovernance(who: Principal, what: string): void {
    if (!isAdmin(who) && governedDomains(who).length === 0) throw new PoliciesError(PoliciesErrorCode.FORBIDDEN, `only governance members and admins may ${what}`);
  }
}
