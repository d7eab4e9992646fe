import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { AccessAgreement, AgreementStatus, ConsumerKind } from './agreement';

interface Row {
  id: string;
  consumer_kind: ConsumerKind;
  consumer_id: string;
  product_id: string;
  port: string;
  purpose: string;
  pii_access: boolean;
  start_date: Date;
  end_date: Date;
  status: Exclude<AgreementStatus, 'expired'>;
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
}

function toAgreement(r: Row, now = Date.now()): AccessAgreement {
  return {
    id: r.id,
    consumer: { kind: r.consumer_kind, id: r.consumer_id },
    provider: { dataProduct: r.product_id, outputPort: r.port },
    purpose: r.purpose,
    piiAccess: r.pii_access,
    startDate: r.start_date,
    endDate: r.end_date,
    status: r.status === 'approved' && r.end_date.getTime() <= now ? 'expired' : r.status,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    reason: r.reason,
  };
}

@Injectable()
export class AgreementsRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  async insert(m: EntityManager, a: Omit<AccessAgreement, 'id' | 'requestedAt' | 'status'> & { status: 'requested' | 'approved' }): Promise<AccessAgreement> {
    const [row] = await m.query<Row[]>(
      `INSERT INTO tessera.access_agreements (id, consumer_kind, consumer_id, product_id, port, purpose, pii_access, start_date, end_date, status, requested_by, decided_by, decided_at, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING *`,
      [randomUUID(), a.consumer.kind, a.consumer.id, a.provider.dataProduct, a.provider.outputPort, a.purpose, a.piiAccess, a.startDate, a.endDate, a.status, a.requestedBy, a.decidedBy, a.decidedAt, a.reason],
    );
    return toAgreement(row);
  }

  async get(id: string): Promise<AccessAgreement | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const rows = await this.ds.query<Row[]>(`SELECT * FROM tessera.access_agreements WHERE id = $1`, [id]);
    return rows[0] ? toAgreement(rows[0]) : null;
  }

  /** Moves an agreement from one of `from` to `to`; null when it was in another state meanwhile. */
  async decide(m: EntityManager, id: string, from: string[], to: 'approved' | 'rejected' | 'revoked', by: string, reason: string | null): Promise<AccessAgreement | null> {
    const [rows] = await m.query<[Row[], number]>(`UPDATE tessera.access_agreements SET status = $3, decided_by = $4, decided_at = now(), reason = $5 WHERE id = $1 AND status = ANY($2::text[]) RETURNING *`, [
      id,
      from,
      to,
      by,
      reason,
    ]);
    return rows[0] ? toAgreement(rows[0]) : null;
  }

  /**
   * Agreements newest first, `limit` at a time; `after` (an agreement id) continues after that one
   * (keyset on requested_at, id, so decisions between pages neither skip nor repeat rows). The status
   * is filtered here, before the limit: `expired` is an approved agreement past its end date.
   */
  async list(filter: { consumerId?: string; productId?: string; status?: string; after?: string }, limit: number): Promise<AccessAgreement[]> {
    const rows = await this.ds.query<Row[]>(
      `SELECT * FROM tessera.access_agreements
       WHERE ($1::text IS NULL OR consumer_id = $1) AND ($2::text IS NULL OR product_id = $2)
         AND ($3::text IS NULL
              OR ($3 = 'expired' AND status = 'approved' AND end_date <= now())
              OR ($3 = 'approved' AND status = 'approved' AND end_date > now())
              OR ($3 NOT IN ('expired', 'approved') AND status = $3))
         AND ($4::uuid IS NULL OR (requested_at, id) < (SELECT requested_at, id FROM tessera.access_agreements WHERE id = $4))
       ORDER BY requested_at DESC, id DESC LIMIT $5`,
      [filter.consumerId ?? null, filter.productId ?? null, filter.status ?? null, filter.after ?? null, limit],
    );
    return rows.map((r) => toAgreement(r));
  }

  /**
   * Approved, unexpired agreements of these consumers, with their validity: what reads are checked
   * against. Not-yet-started ones are included and the window is checked at each read, so a cached
   * list starts and stops honouring an agreement at the exact instant (no cache delay at expiry).
   */
  async active(consumerIds: string[]): Promise<{ productId: string; port: string; piiAccess: boolean; consumerId: string; startsAt: number; endsAt: number }[]> {
    const rows = await this.ds.query<{ consumer_id: string; product_id: string; port: string; pii_access: boolean; start_date: Date; end_date: Date }[]>(
      `SELECT consumer_id, product_id, port, pii_access, start_date, end_date FROM tessera.access_agreements
       WHERE consumer_id = ANY($1::text[]) AND status = 'approved' AND end_date > now()`,
      [consumerIds],
    );
    return rows.map((r) => ({ productId: r.product_id, port: r.port, piiAccess: r.pii_access, consumerId: r.consumer_id, startsAt: r.start_date.getTime(), endsAt: r.end_date.getTime() }));
  }
}
