export type AgreementStatus = 'requested' | 'approved' | 'rejected' | 'revoked' | 'expired';
export type ConsumerKind = 'principal' | 'team' | 'dataProduct' | 'model';

/** An access agreement (Bitol OAAS draft shape): who may read which output port, why, until when. */
export interface AccessAgreement {
  id: string;
  consumer: { kind: ConsumerKind; id: string };
  provider: { dataProduct: string; outputPort: string };
  purpose: string;
  piiAccess: boolean;
  startDate: Date;
  endDate: Date;
  /** `expired` is computed: an approved agreement past its end date. */
  status: AgreementStatus;
  requestedBy: string;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  reason: string | null;
}

/** A port a read touches, and what the caller may see of it. */
export interface PortGrant {
  productId: string;
  port: string;
  piiAccess: boolean;
}
