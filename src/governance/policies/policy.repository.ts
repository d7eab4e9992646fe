import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { NormalizedPolicy } from '../../catalog/contracts/documents/normalized-types';
import { PolicyRecord, PolicyStatus, VoteChoice, VoteRecord, policyId } from './policy-record';

type Row = Record<string, unknown>;
type Db = Pick<EntityManager, 'query'>;

const COLUMNS = `id, name, revision, status, status_reason, normalized, spec, content_hash, effective_from, proposed_by, source_file,
  created_at, submitted_at, decided_at, activated_at, status_changed_at`;

/** Policies and votes in PostgreSQL (raw SQL: two small tables, no entity mapping needed). */
@Injectable()
export class PolicyRepository {
  constructor(private readonly dataSource: DataSource) {}

  private db(m?: Db): Db {
    return m ?? this.dataSource.manager;
  }

  async list(status?: PolicyStatus, m?: Db): Promise<PolicyRecord[]> {
    const rows: Row[] = status
      ? await this.db(m).query(`SELECT ${COLUMNS} FROM tessera.policies WHERE status = $1 ORDER BY name, revision`, [status])
      : await this.db(m).query(`SELECT ${COLUMNS} FROM tessera.policies ORDER BY name, revision`);
    return rows.map(toRecord);
  }

  async get(id: string, m?: Db, forUpdate = false): Promise<PolicyRecord | null> {
    const rows: Row[] = await this.db(m).query(`SELECT ${COLUMNS} FROM tessera.policies WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async revisions(name: string, m?: Db): Promise<PolicyRecord[]> {
    const rows: Row[] = await this.db(m).query(`SELECT ${COLUMNS} FROM tessera.policies WHERE name = $1 ORDER BY revision`, [name]);
    return rows.map(toRecord);
  }

  async count(m?: Db): Promise<number> {
    const rows: { n: string }[] = await this.db(m).query(`SELECT count(*) AS n FROM tessera.policies`);
    return Number(rows[0].n);
  }

  async insert(m: Db, p: NormalizedPolicy, rev: { revision: number; hash: string; proposedBy: string; sourceFile: string | null; status: PolicyStatus }): Promise<string> {
    const { raw, ...normalized } = p;
    const id = policyId(p.name, rev.revision);
    await m.query(
      `INSERT INTO tessera.policies (id, name, revision, title, category, severity, rule, normalized, spec, content_hash, effective_from, status, proposed_by, source_file, activated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, CASE WHEN $12 = 'active' THEN now() END)`,
      [id, p.name, rev.revision, p.title, p.category, p.severity, p.rule, JSON.stringify(normalized), JSON.stringify(raw), rev.hash, p.effectiveFrom, rev.status, rev.proposedBy, rev.sourceFile],
    );
    return id;
  }

  /** Replaces a draft's content (a draft is the only editable state). */
  async replaceDraft(m: Db, id: string, p: NormalizedPolicy, hash: string, sourceFile: string | null): Promise<void> {
    const { raw, ...normalized } = p;
    await m.query(
      `UPDATE tessera.policies SET title = $2, category = $3, severity = $4, rule = $5, normalized = $6, spec = $7, content_hash = $8,
         effective_from = $9, source_file = $10 WHERE id = $1 AND status = 'draft'`,
      [id, p.title, p.category, p.severity, p.rule, JSON.stringify(normalized), JSON.stringify(raw), hash, p.effectiveFrom, sourceFile],
    );
  }

  async setStatus(m: Db, id: string, status: PolicyStatus, reason: string | null): Promise<void> {
    await m.query(
      `UPDATE tessera.policies SET status = $2, status_reason = $3, status_changed_at = now(),
         submitted_at = CASE WHEN $2 = 'in_review' THEN now() ELSE submitted_at END,
         decided_at = CASE WHEN $2 IN ('approved', 'rejected') THEN now() ELSE decided_at END,
         activated_at = CASE WHEN $2 = 'active' THEN now() ELSE activated_at END
       WHERE id = $1`,
      [id, status, reason],
    );
  }

  /**
   * Approved revisions whose effectiveFrom has come become active; the revision they replace is
   * superseded. Called lazily before every read and evaluation, so no scheduler is needed.
   */
  async activateDue(m?: Db): Promise<number> {
    if (!m) return this.dataSource.transaction((tx) => this.activateDue(tx));
    // Cheap check first: reads must not queue on the lock when nothing is due.
    const due0: Row[] = await m.query(`SELECT 1 FROM tessera.policies WHERE status = 'approved' AND (effective_from IS NULL OR effective_from <= now()) LIMIT 1`);
    if (due0.length === 0) return 0;
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('tessera.policy.activate'))`);
    const due: Row[] = await m.query(`SELECT id, name FROM tessera.policies WHERE status = 'approved' AND (effective_from IS NULL OR effective_from <= now()) ORDER BY name, revision`);
    for (const d of due) {
      await m.query(`UPDATE tessera.policies SET status = 'superseded', status_reason = $2, status_changed_at = now() WHERE name = $1 AND status = 'active'`, [d.name, `superseded by ${String(d.id)}`]);
      await m.query(`UPDATE tessera.policies SET status = 'active', status_changed_at = now(), activated_at = now() WHERE id = $1 AND status = 'approved'`, [d.id]);
    }
    return due.length;
  }

  async addVote(m: Db, v: { policyId: string; voter: string; domain: string; vote: VoteChoice; comment: string }): Promise<void> {
    await m.query(`INSERT INTO tessera.policy_votes (policy_id, voter, domain, vote, comment) VALUES ($1, $2, $3, $4, $5)`, [v.policyId, v.voter, v.domain, v.vote, v.comment]);
  }

  async votes(policyIds: string[], m?: Db): Promise<VoteRecord[]> {
    if (policyIds.length === 0) return [];
    const rows: Row[] = await this.db(m).query(`SELECT seq, policy_id, voter, domain, vote, comment, cast_at FROM tessera.policy_votes WHERE policy_id = ANY($1) ORDER BY seq`, [policyIds]);
    return rows.map((r) => ({
      seq: Number(r.seq),
      policyId: String(r.policy_id),
      voter: String(r.voter),
      domain: String(r.domain),
      vote: r.vote as VoteChoice,
      comment: String(r.comment),
      castAt: r.cast_at as Date,
    }));
  }
}

function toRecord(r: Row): PolicyRecord {
  return {
    id: String(r.id),
    name: String(r.name),
    revision: Number(r.revision),
    status: r.status as PolicyStatus,
    statusReason: (r.status_reason as string | null) ?? null,
    policy: r.normalized as PolicyRecord['policy'],
    spec: r.spec as Record<string, unknown>,
    contentHash: String(r.content_hash),
    effectiveFrom: (r.effective_from as Date | null) ?? null,
    proposedBy: String(r.proposed_by),
    sourceFile: (r.source_file as string | null) ?? null,
    createdAt: r.created_at as Date,
    submittedAt: (r.submitted_at as Date | null) ?? null,
    decidedAt: (r.decided_at as Date | null) ?? null,
    activatedAt: (r.activated_at as Date | null) ?? null,
    statusChangedAt: r.status_changed_at as Date,
  };
}
