import { CodedError, ErrorSurface } from '../common/errors/tessera-error';

/** Codes of the feature store. Add a code here together with its surface; the Record keeps them exhaustive. */
export enum FeaturesErrorCode {
  FEATURE_VIEW_NOT_FOUND = 'FEATURE_VIEW_NOT_FOUND',
  FEATURE_SERVICE_NOT_FOUND = 'FEATURE_SERVICE_NOT_FOUND',
  FEATURE_NOT_FOUND = 'FEATURE_NOT_FOUND',
  ENTITY_NOT_FOUND = 'ENTITY_NOT_FOUND',
  PORT_NOT_FOUND = 'PORT_NOT_FOUND',
  OFFLINE_TABLE_MISSING = 'OFFLINE_TABLE_MISSING',
  INVALID_REQUEST = 'INVALID_REQUEST',
  INGEST_REJECTED = 'INGEST_REJECTED',
  /** The body holds more rows than one ingest request may carry. */
  TOO_MANY_ROWS = 'TOO_MANY_ROWS',
  /** An entity upload sent nothing for TESSERA_ENTITY_UPLOAD_IDLE_MS while it held a database connection. */
  ENTITY_UPLOAD_STALLED = 'ENTITY_UPLOAD_STALLED',
  /** A contract cannot become an offline table (e.g. a property name PostgreSQL cannot hold). */
  OFFLINE_SCHEMA_INVALID = 'OFFLINE_SCHEMA_INVALID',
  ONLINE_STORE_UNAVAILABLE = 'ONLINE_STORE_UNAVAILABLE',
  JOB_NOT_FOUND = 'JOB_NOT_FOUND',
  MATERIALIZATION_FAILED = 'MATERIALIZATION_FAILED',
  TRAINING_DATASET_NOT_FOUND = 'TRAINING_DATASET_NOT_FOUND',
  STREAM_SOURCE_NOT_FOUND = 'STREAM_SOURCE_NOT_FOUND',
  /** A streaming operation while NATS_URL is not set. */
  STREAMING_OFF = 'STREAMING_OFF',
}

const SURFACES: Record<FeaturesErrorCode, ErrorSurface> = {
  [FeaturesErrorCode.FEATURE_VIEW_NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [FeaturesErrorCode.FEATURE_SERVICE_NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [FeaturesErrorCode.FEATURE_NOT_FOUND]: { http: 400, graphql: 'BAD_USER_INPUT' },
  [FeaturesErrorCode.ENTITY_NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [FeaturesErrorCode.PORT_NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [FeaturesErrorCode.OFFLINE_TABLE_MISSING]: { http: 409, graphql: 'FAILED_PRECONDITION' },
  [FeaturesErrorCode.INVALID_REQUEST]: { http: 400, graphql: 'BAD_USER_INPUT' },
  [FeaturesErrorCode.INGEST_REJECTED]: { http: 422, graphql: 'BAD_USER_INPUT' },
  [FeaturesErrorCode.TOO_MANY_ROWS]: { http: 413, graphql: 'PAYLOAD_TOO_LARGE' },
  [FeaturesErrorCode.ENTITY_UPLOAD_STALLED]: { http: 408, graphql: 'BAD_USER_INPUT' },
  [FeaturesErrorCode.OFFLINE_SCHEMA_INVALID]: { http: 422, graphql: 'BAD_USER_INPUT' },
  [FeaturesErrorCode.ONLINE_STORE_UNAVAILABLE]: { http: 503, graphql: 'SERVICE_UNAVAILABLE' },
  [FeaturesErrorCode.JOB_NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [FeaturesErrorCode.MATERIALIZATION_FAILED]: { http: 500, graphql: 'INTERNAL_SERVER_ERROR' },
  [FeaturesErrorCode.TRAINING_DATASET_NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [FeaturesErrorCode.STREAM_SOURCE_NOT_FOUND]: { http: 404, graphql: 'NOT_FOUND' },
  [FeaturesErrorCode.STREAMING_OFF]: { http: 409, graphql: 'FAILED_PRECONDITION' },
};

export class FeaturesError extends CodedError<FeaturesErrorCode> {
  constructor(code: FeaturesErrorCode, message: string, details?: unknown) {
    super(SURFACES, code, message, details);
  }
}
