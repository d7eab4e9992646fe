import type { ModelCard } from './model-document';

/** Element types a request-time input may have (what a JSON request can be turned into). */
export const REQUEST_INPUT_TYPES = ['float32', 'float64', 'int32', 'int64', 'bool', 'string'] as const;
export type RequestInputType = (typeof REQUEST_INPUT_TYPES)[number];

export const MODEL_STAGES = ['staging', 'production', 'archived'] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];

/** A tensor as a document declares it: symbolic batch dimension first (a name or -1). */
export interface TensorDeclaration {
  name: string;
  type: string;
  /** null: not declared (outputs only). */
  shape: (number | string)[] | null;
}

/** One feature of the model's `features` tensor, frozen at registration in column order. */
export interface ModelFeature {
  /** `view:feature`. */
  ref: string;
  /** Logical type from the offline table; null when the view's source has no offline table yet. */
  type: string | null;
}

/** A registered model version as clients and the prediction path see it. */
export interface ModelVersionView {
  name: string;
  version: string;
  sha256: string;
  sizeBytes: number;
  featureService: string;
  features: ModelFeature[];
  /** The ONNX graph's inputs and outputs as onnxruntime reports them. */
  inputs: TensorDeclaration[];
  outputs: TensorDeclaration[];
  requestInputs: TensorDeclaration[];
  onMissing: 'reject' | 'impute';
  defaults: Record<string, number>;
  modelCard: ModelCard;
  owner: string | null;
  /** The domain that owns the model (all its versions); null for a model registered before models had domains. */
  domain: string | null;
  description: string | null;
  tags: string[];
  stage: ModelStage;
  registeredAt: Date;
  registeredBy: string;
  stageChangedAt: Date;
  stageChangedBy: string;
  sourceFile: string | null;
}

export type RegisterAction = 'created' | 'unchanged';

export interface RegisterResult {
  action: RegisterAction;
  model: ModelVersionView;
  /** Checks that could not run (e.g. feature types unknown until the source has an offline table). */
  warnings: string[];
}
