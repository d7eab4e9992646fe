import { CodedError, ErrorSurface } from '../common/errors/tessera-error';

export enum CatalogErrorCode {
  DATA_PRODUCT_NOT_FOUND = 'DATA_PRODUCT_NOT_FOUND',
  CONTRACT_NOT_FOUND = 'CONTRACT_NOT_FOUND',
  CONTRACT_VERSION_NOT_FOUND = 'CONTRACT_VERSION_NOT_FOUND',
  DOMAIN_NOT_FOUND = 'DOMAIN_NOT_FOUND',
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  APPLY_REJECTED = 'APPLY_REJECTED',
}

const SURFACES: Record<CatalogErrorCode, ErrorSurface> = {
  [CatalogErrorCode.DATA_PRODUCT_NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [CatalogErrorCode.CONTRACT_NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [CatalogErrorCode.CONTRACT_VERSION_NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [CatalogErrorCode.DOMAIN_NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [CatalogErrorCode.INVALID_ARGUMENT]: { http: 400, graphql: 'BAD_USER_INPUT' },
  [CatalogErrorCode.APPLY_REJECTED]: { http: 422, graphql: 'APPLY_REJECTED' },
};

export class CatalogError extends CodedError<CatalogErrorCode> {
  constructor(code: CatalogErrorCode, message: string, details?: unknown) {
    super(SURFACES, code, message, details);
  }
}
