import { CodedError, ErrorSurface } from '../common/errors/tessera-error';

export enum MonitoringErrorCode {
  /** A monitoring query with a wrong argument (e.g. an empty time window): details name the field. */
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  /** The model version names no training dataset, or one that is gone or lacks its features. */
  NO_TRAINING_DATASET = 'NO_TRAINING_DATASET',
}

const SURFACES: Record<MonitoringErrorCode, ErrorSurface> = {
  [MonitoringErrorCode.INVALID_ARGUMENT]: { http: 400, graphql: 'BAD_USER_INPUT' },
  [MonitoringErrorCode.NO_TRAINING_DATASET]: { http: 409, graphql: 'FAILED_PRECONDITION' },
};

export class MonitoringError extends CodedError<MonitoringErrorCode> {
  constructor(code: MonitoringErrorCode, message: string, details?: unknown) {
    super(SURFACES, code, message, details);
  }
}
