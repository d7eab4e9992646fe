import type { ModelFeature, TensorDeclaration } from './model-version';

/** Identifies the bundle layout; a client refuses a format it does not know (ADR 0032). */
export const MODEL_BUNDLE_FORMAT = 'tessera.model-bundle/v1';

/**
 * Everything a process needs to score a model version exactly as `/predict` does, in one JSON
 * document (ADR 0032): the ONNX bytes (base64) with their sha256, the frozen feature order, the
 * tensors' signature and the onMissing rule with its defaults. Versions are immutable, so a bundle is too.
 */
export interface ModelBundle {
  format: typeof MODEL_BUNDLE_FORMAT;
  name: string;
  version: string;
  /** Hex sha256 of the decoded ONNX bytes: the client verifies before loading. */
  sha256: string;
  sizeBytes: number;
  featureService: string;
  /** Columns of the `features` input, in order (`view:feature`). */
  features: ModelFeature[];
  signature: { inputs: TensorDeclaration[]; outputs: TensorDeclaration[]; requestInputs: TensorDeclaration[] };
  onMissing: 'reject' | 'impute';
  defaults: Record<string, number>;
  /** The ONNX model, base64 (RFC 4648, with padding). */
  onnx: string;
}
