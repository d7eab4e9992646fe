import { CodedError, ErrorSurface } from '../../common/errors/tessera-error';

export enum PoliciesErrorCode {
  /** The policy document is malformed or its rule does not compile: details name each field and reason. */
  INVALID_POLICY = 'INVALID_POLICY',
  POLICY_NOT_FOUND = 'POLICY_NOT_FOUND',
  PRODUCT_NOT_FOUND = 'PRODUCT_NOT_FOUND',
  /** The workflow does not allow this step from the policy's current status. */
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  /** A business rule of the review refuses the caller (not a governance member, own approval...). */
  VOTE_REFUSED = 'VOTE_REFUSED',
  FORBIDDEN = 'FORBIDDEN',
}

const SURFACES: Record<PoliciesErrorCode, ErrorSurface> = {
  [PoliciesErrorCode.INVALID_POLICY]: { http: 400, graphql: 'BAD_USER_INPUT' },
  [PoliciesErrorCode.POLICY_NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [PoliciesErrorCode.PRODUCT_NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [PoliciesErrorCode.INVALID_TRANSITION]: { http: 409, graphql: 'CONFLICT' },
  [PoliciesErrorCode.VOTE_REFUSED]: { http: 403, graphql: 'FORBIDDEN' },
  [PoliciesErrorCode.FORBIDDEN]: { http: 403, graphql: 'FORBIDDEN' },
};

export class PoliciesError extends CodedError<PoliciesErrorCode> {
  constructor(code: PoliciesErrorCode, message: string, details?: unknown) {
    super(SURFACES, code, message, details);
  }
}
