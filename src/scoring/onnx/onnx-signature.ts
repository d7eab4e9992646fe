import { InferenceSession } from 'onnxruntime-node';

/** One model input or output as onnxruntime sees it. */
export interface TensorSignature {
  name: string;
  /** onnxruntime's element type name (float32, int64, bool, ...), or `non-tensor` for maps/sequences. */
  type: string;
  /** Fixed sizes as numbers, symbolic dimensions by name, unknown dimensions as -1. */
  shape: (number | string)[];
}

export interface OnnxSignature {
  inputs: TensorSignature[];
  outputs: TensorSignature[];
}

export class OnnxLoadError extends Error {}

/**
 * Loads the bytes in onnxruntime (the same engine that will score them, so "loads here" means
 * "runs later") and reads the input/output metadata. The session is released right away.
 */
export async function readOnnxSignature(bytes: Uint8Array): Promise<OnnxSignature> {
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 });
  } catch (err) {
    throw new OnnxLoadError(cleanOrtMessage(err));
  }
  try {
    return { inputs: session.inputMetadata.map(toSignature), outputs: session.outputMetadata.map(toSignature) };
  } finally {
    await session.release();
  }
}

function toSignature(m: InferenceSession.ValueMetadata): TensorSignature {
  if (!m.isTensor) return { name: m.name, type: 'non-tensor', shape: [] };
  // onnxruntime reports a dimension without value or name (and -1) as the empty string.
  return { name: m.name, type: m.type, shape: m.shape.map((d) => (d === '' ? -1 : d)) };
}

/** ORT's load errors are about the file, not our process; keep the first line, without paths. */
function cleanOrtMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0].replace(/\s+/g, ' ').trim().slice(0, 300) || 'unknown error';
}

/** `[N, 6]` the way problems are reported. */
export function formatShape(shape: readonly (number | string)[]): string {
  return `[${shape.join(', ')}]`;
}
