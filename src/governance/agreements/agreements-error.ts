import { CodedError, ErrorSurface } from '../../common/errors/tessera-error';

export enum AgreementsErrorCode {
  /** A request with a wrong field (end date in the past, unknown port): details name the field. */
  INVALID_AGREEMENT = 'INVALID_AGREEMENT',
  AGREEMENT_NOT_FOUND = 'AGREEMENT_NOT_FOUND',
  /** The change does not fit the agreement's state (approving a revoked one...). */
  AGREEMENT_CONFLICT = 'AGREEMENT_CONFLICT',
  /** Only the port's domain owner (or an admin) decides; only they or the consumer revoke. */
  NOT_THE_OWNER = 'NOT_THE_OWNER',
  /** A read of ports the caller holds no approved, unexpired agreement for: details list them. */
  ACCESS_AGREEMENT_REQUIRED = 'ACCESS_AGREEMENT_REQUIRED',
}

const SURFACES: Record<AgreementsErrorCode, ErrorSurface> = {
  [AgreementsErrorCode.INVALID_AGREEMENT]: { http: 400, graphql: 'BAD_USER_INPUT' },
  [AgreementsErrorCode.AGREEMENT_NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [AgreementsErrorCode.AGREEMENT_CONFLICT]: { http: 409, graphql: 'CONFLICT' },
  [AgreementsErrorCode.NOT_THE_OWNER]: { http: 403, graphql: 'FORBIDDEN' },
  [AgreementsErrorCode.ACCESS_AGREEMENT_REQUIRED]: { http: 403, graphql: 'FORBIDDEN' },
};

export class AgreementsError extends CodedError<AgreementsErrorCode> {
  constructor(code: AgreementsErrorCode, message: string, details?: unknown) {
    super(SURFACES, code, message, details);
  }
}
