import { CodedError, ErrorSurface } from '../common/errors/tessera-error';

export enum QualityErrorCode {
  /** A blocking (severity error) rule failed on the rows of an ingest: nothing was stored. */
  QUALITY_RULE_FAILED = 'QUALITY_RULE_FAILED',
  /** The port has no offline table to check. */
  PORT_NOT_FOUND = 'PORT_NOT_FOUND',
  /** The port's contract is not in the catalog (anymore). */
  CONTRACT_NOT_FOUND = 'CONTRACT_NOT_FOUND',
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
}

const SURFACES: Record<QualityErrorCode, ErrorSurface> = {
  [QualityErrorCode.QUALITY_RULE_FAILED]: { http: 422, graphql: 'BAD_USER_INPUT' },
  [QualityErrorCode.PORT_NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [QualityErrorCode.CONTRACT_NOT_FOUND]: { http: 409, graphql: 'FAILED_PRECONDITION' },
  [QualityErrorCode.INVALID_ARGUMENT]: { http: 400, graphql: 'BAD_USER_INPUT' },
};

export class QualityError extends CodedError<QualityErrorCode> {
  constructor(code: QualityErrorCode, message: string, details?: unknown) {
    super(SURFACES, code, message, details);
  }
}
