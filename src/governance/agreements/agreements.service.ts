import { Injectable } from '@nestjs/common';
import { ChangeFeed } from '../../common/changes/change-feed';
import type { Principal } from '../auth/principal';
import type { AccessAgreement, ConsumerKind } from './agreement';
import { AgreementPorts } from './agreement-ports';
import { AgreementsError, AgreementsErrorCode } from './agreements-error';
import { AgreementsRepository } from './agreements.repository';

export interface AccessRequest {
  dataProduct: string;
  outputPort: string;
  purpose: string;
  endDate: Date;
  startDate?: Date | null;
  piiAccess?: boolean | null;
  /** Who will read: the caller (default), or a team, data product or model they act for. */
  consumer?: { kind: ConsumerKind; id: string } | null;
}

/** Longest agreement: access is re-justified at least yearly. */
const MAX_DAYS = 366;

/**
 * The agreement workflow: request → approved | rejected → revoked, expiry by end date. Non-PII ports
 * that declare `autoApprove` approve a request without PII access at once; a PII port never does.
 */
@Injectable()
export class AgreementsService {
  constructor(
    private readonly repo: AgreementsRepository,
    private readonly ports: AgreementPorts,
    private readonly changes: ChangeFeed,
  ) {}

  async request(caller: Principal, r: AccessRequest): Promise<AccessAgreement> {
    const purpose = r.purpose.trim();
    if (purpose.length < 3) throw invalid('purpose', 'must say what the data is for (at least 3 characters)');
    const start = r.startDate ?? new Date();
    if (!(r.endDate.getTime() > Math.max(start.getTime(), Date.now()))) throw invalid('endDate', 'must be in the future and after startDate');
    if (r.endDate.getTime() - start.getTime() > MAX_DAYS * 86_400_000) throw invalid('endDate', `at most ${MAX_DAYS} days after startDate`);
    const port = await this.ports.port(r.dataProduct, r.outputPort);
    if (!port) throw invalid('outputPort', `data product ${r.dataProduct} has no output port ${r.outputPort}`);
    const pii = r.piiAccess === true;
    const auto = port.autoApprove && !port.containsPii && !pii;
    const record = {
      consumer: r.consumer ?? { kind: 'principal', id: caller.id },
      provider: { dataProduct: port.productId, outputPort: port.port },
      purpose,
      piiAccess: pii,
      startDate: start,
      endDate: r.endDate,
      status: auto ? 'approved' : 'requested',
      requestedBy: caller.id,
      decidedBy: auto ? 'auto-approve' : null,
      decidedAt: auto ? new Date() : null,
      reason: auto ? 'the port declares autoApprove and holds no personal data' : null,
    } as const;
    // Only an approval changes what readers may read: every replica's access gate forgets its grants.
    return this.repo.transaction(async (m) => {
      const created = await this.repo.insert(m, record);
      if (auto) await this.changes.publish(m, 'agreements', created.id);
      return created;
    });
  }

  approve(caller: Principal, id: string, reason: string | null): Promise<AccessAgreement> {
    return this.decide(caller, id, ['requested'], 'approved', reason);
  }

  reject(caller: Principal, id: string, reason: string | null): Promise<AccessAgreement> {
    return this.decide(caller, id, ['requested'], 'rejected', reason);
  }

  /** The port's owner or the consumer who asked may end an agreement early. */
  async revoke(caller: Principal, id: string, reason: string | null): Promise<AccessAgreement> {
    const a = await this.find(id);
    if (a.requestedBy === caller.id || a.consumer.id === caller.id) return this.transition(caller, a, ['approved', 'requested'], 'revoked', reason);
    return this.decide(caller, id, ['approved', 'requested'], 'revoked', reason);
  }

  /** A page of agreements, newest first; `after` is the last agreement id of the previous page. */
  async list(filter: { consumerId?: string; dataProduct?: string; status?: string; after?: string }, limit: number): Promise<AccessAgreement[]> {
    if (filter.after !== undefined && !(await this.repo.get(filter.after))) throw invalid('after', `no access agreement ${filter.after}: pass the id of the last agreement of the previous page`);
    return this.repo.list({ consumerId: filter.consumerId, productId: filter.dataProduct, status: filter.status, after: filter.after }, limit);
  }

  private async decide(caller: Principal, id: string, from: string[], to: 'approved' | 'rejected' | 'revoked', reason: string | null): Promise<AccessAgreement> {
    const a = await this.find(id);
    const port = await this.ports.port(a.provider.dataProduct, a.provider.outputPort);
    const owner = caller.roles.some((g) => g.role === 'admin' || (g.role === 'domain_owner' && g.domain === port?.domain));
    if (!owner) throw new AgreementsError(AgreementsErrorCode.NOT_THE_OWNER, `only an owner of domain ${port?.domain ?? '(unknown)'} decides on access to ${a.provider.dataProduct}/${a.provider.outputPort}`);
    return this.transition(caller, a, from, to, reason);
  }

  private async transition(caller: Principal, a: AccessAgreement, from: string[], to: 'approved' | 'rejected' | 'revoked', reason: string | null): Promise<AccessAgreement> {
    return this.repo.transaction(async (m) => {
      const changed = await this.repo.decide(m, a.id, from, to, caller.id, reason);
      if (!changed) throw new AgreementsError(AgreementsErrorCode.AGREEMENT_CONFLICT, `agreement ${a.id} is ${a.status}; it cannot become ${to}`);
      await this.changes.publish(m, 'agreements', a.id);
      return changed;
    });
  }

  private async find(id: string): Promise<AccessAgreement> {
    const a = await this.repo.get(id);
    if (!a) throw new AgreementsError(AgreementsErrorCode.AGREEMENT_NOT_FOUND, `access agreement ${id} not found`);
    return a;
  }
}

function invalid(field: string, reason: string): AgreementsError {
  return new AgreementsError(AgreementsErrorCode.INVALID_AGREEMENT, `${field}: ${reason}`, [{ field, reason }]);
}
