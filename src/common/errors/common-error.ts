import { CodedError, ErrorSurface } from './tessera-error';

export enum CommonErrorCode {
  BAD_REQUEST = 'BAD_REQUEST',
  MALFORMED_BODY = 'MALFORMED_BODY',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  RATE_LIMITED = 'RATE_LIMITED',
  NOT_FOUND = 'NOT_FOUND',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

const SURFACES: Record<CommonErrorCode, ErrorSurface> = {
  [CommonErrorCode.BAD_REQUEST]: { http: 400, graphql: 'BAD_USER_INPUT' },
  [CommonErrorCode.MALFORMED_BODY]: { http: 400, graphql: 'BAD_USER_INPUT' },
  [CommonErrorCode.PAYLOAD_TOO_LARGE]: { http: 413, graphql: 'PAYLOAD_TOO_LARGE' },
  [CommonErrorCode.UNSUPPORTED_MEDIA_TYPE]: { http: 415, graphql: 'BAD_USER_INPUT' },
  [CommonErrorCode.UNAUTHENTICATED]: { http: 401, graphql: 'UNAUTHENTICATED' },
  [CommonErrorCode.FORBIDDEN]: { http: 403, graphql: 'FORBIDDEN' },
  [CommonErrorCode.RATE_LIMITED]: { http: 429, graphql: 'RATE_LIMITED' },
  [CommonErrorCode.NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [CommonErrorCode.SERVICE_UNAVAILABLE]: { http: 503, graphql: 'SERVICE_UNAVAILABLE' },
  [CommonErrorCode.DATABASE_UNAVAILABLE]: { http: 503, graphql: 'SERVICE_UNAVAILABLE' },
  [CommonErrorCode.INTERNAL]: { http: 500, graphql: 'INTERNAL_SERVER_ERROR' },
};

export class CommonError extends CodedError<CommonErrorCode> {
  constructor(code: CommonErrorCode, message: string, details?: unknown) {
    super(SURFACES, code, message, details);
  }
}
