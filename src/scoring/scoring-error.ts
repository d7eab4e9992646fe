import { CodedError, ErrorSurface } from '../common/errors/tessera-error';

export enum ScoringErrorCode {
  /** The Model document (metadata) is malformed: details name each field and reason. */
  INVALID_METADATA = 'INVALID_METADATA',
  /** The multipart request itself is wrong (missing part, unknown part, not multipart). */
  INVALID_UPLOAD = 'INVALID_UPLOAD',
  MODEL_TOO_LARGE = 'MODEL_TOO_LARGE',
  /** The ONNX file does not load or does not fit its feature service / request inputs. */
  MODEL_INVALID = 'MODEL_INVALID',
  /** name+version is registered already with other bytes or metadata: versions are immutable. */
  MODEL_VERSION_CONFLICT = 'MODEL_VERSION_CONFLICT',
  MODEL_NOT_FOUND = 'MODEL_NOT_FOUND',
  MODEL_VERSION_NOT_FOUND = 'MODEL_VERSION_NOT_FOUND',
  /** The stored bytes are gone or do not hash to their address (model directory tampered with). */
  MODEL_BLOB_UNAVAILABLE = 'MODEL_BLOB_UNAVAILABLE',
  /** A predict request is wrong (entity columns, request features): details name each field. */
  INVALID_PREDICT_REQUEST = 'INVALID_PREDICT_REQUEST',
  /** No deployment and no production version: nothing may answer predictions yet. */
  MODEL_NOT_DEPLOYED = 'MODEL_NOT_DEPLOYED',
  /** A deployment change that contradicts the current deployment (e.g. no canary to promote). */
  DEPLOYMENT_CONFLICT = 'DEPLOYMENT_CONFLICT',
  /** A deployment change with a wrong argument (percentage out of range, too many shadows). */
  INVALID_DEPLOYMENT = 'INVALID_DEPLOYMENT',
  /** The model's domain is neither declared nor derivable from its feature service (details name `domain`). */
  MODEL_DOMAIN_REQUIRED = 'MODEL_DOMAIN_REQUIRED',
  /** A batch scoring request is wrong (version, as_of, entities): details name each field. */
  INVALID_BATCH_REQUEST = 'INVALID_BATCH_REQUEST',
  /** The model version cannot be batch scored as declared (no batchScoring, port missing or not matching its outputs). */
  BATCH_SCORING_UNAVAILABLE = 'BATCH_SCORING_UNAVAILABLE',
  BATCH_JOB_NOT_FOUND = 'BATCH_JOB_NOT_FOUND',
  /** A federated training request names a missing feature service, port, column or label (details name each). */
  INVALID_TRAINING_REQUEST = 'INVALID_TRAINING_REQUEST',
  /** A participant's aggregate statement failed as its domain's role (e.g. its role may not read the port). */
  TRAINING_SITE_FAILED = 'TRAINING_SITE_FAILED',
}

const SURFACES: Record<ScoringErrorCode, ErrorSurface> = {
  [ScoringErrorCode.INVALID_METADATA]: { http: 400, graphql: 'BAD_USER_INPUT' },
  [ScoringErrorCode.INVALID_UPLOAD]: { http: 400, graphql: 'BAD_USER_INPUT' },
  [ScoringErrorCode.MODEL_TOO_LARGE]: { http: 413, graphql: 'PAYLOAD_TOO_LARGE' },
  [ScoringErrorCode.MODEL_INVALID]: { http: 422, graphql: 'MODEL_INVALID' },
  [ScoringErrorCode.MODEL_VERSION_CONFLICT]: { http: 409, graphql: 'CONFLICT' },
  [ScoringErrorCode.MODEL_NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [ScoringErrorCode.MODEL_VERSION_NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [ScoringErrorCode.MODEL_BLOB_UNAVAILABLE]: { http: 503, graphql: 'SERVICE_UNAVAILABLE' },
  [ScoringErrorCode.INVALID_PREDICT_REQUEST]: { http: 400, graphql: 'BAD_USER_INPUT' },
  [ScoringErrorCode.MODEL_NOT_DEPLOYED]: { http: 409, graphql: 'FAILED_PRECONDITION' },
  [ScoringErrorCode.DEPLOYMENT_CONFLICT]: { http: 409, graphql: 'CONFLICT' },
  [ScoringErrorCode.INVALID_DEPLOYMENT]: { http: 400, graphql: 'BAD_USER_INPUT' },
  [ScoringErrorCode.MODEL_DOMAIN_REQUIRED]: { http: 422, graphql: 'BAD_USER_INPUT' },
  [ScoringErrorCode.INVALID_BATCH_REQUEST]: { http: 400, graphql: 'BAD_USER_INPUT' },
  [ScoringErrorCode.BATCH_SCORING_UNAVAILABLE]: { http: 409, graphql: 'FAILED_PRECONDITION' },
  [ScoringErrorCode.BATCH_JOB_NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [ScoringErrorCode.INVALID_TRAINING_REQUEST]: { http: 400, graphql: 'BAD_USER_INPUT' },
  [ScoringErrorCode.TRAINING_SITE_FAILED]: { http: 422, graphql: 'FAILED_PRECONDITION' },
};

/** One problem of a rejected model or document, named like the request body validation does. */
export interface ScoringProblem {
  field: string;
  reason: string;
}

export class ScoringError extends CodedError<ScoringErrorCode> {
  constructor(code: ScoringErrorCode, message: string, details?: unknown) {
    super(SURFACES, code, message, details);
  }

  /** The field/reason list of a rejection (INVALID_METADATA, MODEL_INVALID, conflicts), else empty. */
  get problems(): ScoringProblem[] {
    return Array.isArray(this.details) ? (this.details as ScoringProblem[]).filter((d) => typeof d?.field === 'string') : [];
  }
}
