/**
 * Request and answer shapes of the REST routes the client calls, as /openapi.json describes them.
 * Hand-written (the OpenAPI document declares request schemas, not answers); the client's test
 * checks that every route in REST_ROUTES is in the running service's /openapi.json.
 */
import type { ModelBundle } from './bundle';
import type { OnlineFeaturesAnswer } from './assemble';

export const REST_ROUTES = {
  onlineFeatures: { method: 'post', path: '/get-online-features' },
  predict: { method: 'post', path: '/v1/models/{name}/predict' },
  models: { method: 'get', path: '/v1/models' },
  model: { method: 'get', path: '/v1/models/{name}/versions/{version}' },
  bundle: { method: 'get', path: '/v1/models/{name}/bundle' },
  versionBundle: { method: 'get', path: '/v1/models/{name}/versions/{version}/bundle' },
} as const;

export interface OnlineFeaturesRequest {
  features?: string[];
  feature_service?: string;
  entities: Record<string, unknown[]>;
  full_feature_names?: boolean;
}
export type { OnlineFeaturesAnswer, ModelBundle };

export interface PredictRequest {
  entities: Record<string, unknown[]>;
  request_features?: Record<string, unknown[]>;
}

export interface PredictAnswer {
  requestId: string;
  model: { name: string; version: string };
  outputs: Record<string, unknown[]>;
  rows: { version: string; role: 'production' | 'canary'; features: Record<string, number | null>; statuses: Record<string, string>; rejected?: string }[];
}

export interface ModelVersionSummary {
  name: string;
  version: string;
  sha256: string;
  stage: 'staging' | 'production' | 'archived';
  featureService: string;
  features: { ref: string; type: string | null }[];
  domain: string | null;
}
