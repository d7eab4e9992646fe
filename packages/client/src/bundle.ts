/**
 * The model bundle (ADR 0032) and its verification. Browser-safe: no Node module, WebCrypto for the
 * sha256 and atob for base64, so the same code runs in Node 20 and in a page.
 */

export const MODEL_BUNDLE_FORMAT = 'tessera.model-bundle/v1';

export interface TensorDeclaration {
  name: string;
  type: string;
  shape: (number | string)[] | null;
}

export interface ModelBundle {
  format: string;
  name: string;
  version: string;
  sha256: string;
  sizeBytes: number;
  featureService: string;
  features: { ref: string; type: string | null }[];
  signature: { inputs: TensorDeclaration[]; outputs: TensorDeclaration[]; requestInputs: TensorDeclaration[] };
  onMissing: 'reject' | 'impute';
  defaults: Record<string, number>;
  onnx: string;
}

/** A bundle whose bytes were decoded and matched its sha256. */
export interface VerifiedBundle {
  bundle: ModelBundle;
  bytes: Uint8Array;
}

export class BundleVerificationError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`model bundle refused: ${field}: ${reason}`);
    this.name = 'BundleVerificationError';
  }
}

function base64Bytes(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new BundleVerificationError('onnx', 'not base64');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Decodes the ONNX bytes and refuses a bundle of another format, size or hash. */
export async function verifyBundle(bundle: ModelBundle): Promise<VerifiedBundle> {
  if (bundle.format !== MODEL_BUNDLE_FORMAT) throw new BundleVerificationError('format', `is ${JSON.stringify(bundle.format)}; this client reads ${MODEL_BUNDLE_FORMAT}`);
  if (typeof bundle.onnx !== 'string') throw new BundleVerificationError('onnx', 'missing');
  const bytes = base64Bytes(bundle.onnx);
  if (bytes.byteLength !== bundle.sizeBytes) throw new BundleVerificationError('sizeBytes', `the bytes are ${bytes.byteLength}, the bundle says ${bundle.sizeBytes}`);
  const actual = await sha256Hex(bytes);
  if (actual !== bundle.sha256) throw new BundleVerificationError('sha256', `the bytes hash to ${actual}, the bundle says ${bundle.sha256}`);
  return { bundle, bytes };
}
