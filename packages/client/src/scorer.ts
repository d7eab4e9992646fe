import { assembleFeatures, type AssembledRow, type OnlineFeaturesAnswer } from './assemble';
import type { TensorDeclaration, VerifiedBundle } from './bundle';

/** The part of onnxruntime (node or web; the same API) a scorer needs, so this file runs in both. */
export interface OrtTensor {
  readonly type: string;
  readonly data: ArrayLike<unknown>;
  readonly dims: readonly number[];
}
export interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
export interface OrtModule {
  InferenceSession: { create(bytes: Uint8Array): Promise<OrtSession> };
  Tensor: new (type: never, data: never, dims: readonly number[]) => OrtTensor;
}

/** What `/predict` answers, less the request id and routing: outputs (null for rejected rows) and rows. */
export interface LocalPrediction {
  model: { name: string; version: string };
  outputs: Record<string, unknown[]>;
  rows: (AssembledRow & { version: string })[];
}

/** The input the model's features tensor is fed through (the registry's contract). */
export const FEATURES_INPUT_NAME = 'features';

function perRow(decl: TensorDeclaration): number {
  return (decl.shape ?? []).slice(1).reduce<number>((n, d) => n * (typeof d === 'number' && d > 0 ? d : 1), 1);
}

/** A row's value(s) of a request input, nested arrays flattened in order. */
function flatten(value: unknown): unknown[] {
  if (!Array.isArray(value)) return [value];
  const out: unknown[] = [];
  for (const v of value as unknown[]) out.push(...flatten(v));
  return out;
}

function requestTensor(ort: OrtModule, decl: TensorDeclaration, column: readonly unknown[] | undefined, accepted: number[]): OrtTensor {
  if (!Array.isArray(column)) throw new TypeError(`request feature ${decl.name} (${decl.type}) is required: one entry per entity row`);
  const values = accepted.flatMap((i) => flatten(column[i]));
  if (values.length !== accepted.length * perRow(decl)) throw new TypeError(`request feature ${decl.name} needs ${perRow(decl)} value(s) per row`);
  const dims = [accepted.length, ...(decl.shape ?? []).slice(1).map((d) => (typeof d === 'number' && d > 0 ? d : 1))];
  const make = (type: string, data: unknown) => new ort.Tensor(type as never, data as never, dims);
  switch (decl.type) {
    case 'float32':
      return make('float32', Float32Array.from(values as number[]));
    case 'float64':
      return make('float64', Float64Array.from(values as number[]));
    case 'int32':
      return make('int32', Int32Array.from(values as number[]));
    case 'int64':
      return make(
        'int64',
        BigInt64Array.from(values, (v) => BigInt(v as number | string)),
      );
    case 'bool':
      return make(
        'bool',
        Uint8Array.from(values, (v) => (v ? 1 : 0)),
      );
    default:
      return make('string', values.map(String));
  }
}

/** JSON-equal to the service's answer: int64 as a number when exact, non-finite as null. */
function scalar(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

function splitRows(t: OrtTensor, rows: number): unknown[] {
  const data: ArrayLike<unknown> = t.type === 'bool' ? Array.from(t.data, (b) => b === 1 || b === true) : t.data;
  const per = t.dims[0] === rows && rows > 0 ? data.length / rows : 0;
  return Array.from({ length: rows }, (_, i) => {
    if (per === 0) return Array.from(data, scalar);
    if (per === 1) return scalar(data[i]);
    return Array.from({ length: per }, (_, j) => scalar(data[i * per + j]));
  });
}

/**
 * A verified bundle loaded in an onnxruntime session: scores the rows of an online-features answer
 * the way the service does (same assembly, same onMissing rule, same output shaping).
 */
export class BundleScorer {
  private constructor(
    private readonly ort: OrtModule,
    readonly verified: VerifiedBundle,
    private readonly session: OrtSession,
  ) {}

  static async create(ort: OrtModule, verified: VerifiedBundle): Promise<BundleScorer> {
    return new BundleScorer(ort, verified, await ort.InferenceSession.create(verified.bytes));
  }

  get bundle() {
    return this.verified.bundle;
  }

  /** `joinKeyColumns`: how many entity columns precede the features in the online answer. */
  async score(online: OnlineFeaturesAnswer, joinKeyColumns: number, requestFeatures: Record<string, readonly unknown[]> = {}): Promise<LocalPrediction> {
    const b = this.bundle;
    const { rows, accepted, tensor } = assembleFeatures(b, online, joinKeyColumns);
    const outputs: Record<string, unknown[]> = Object.fromEntries(b.signature.outputs.map((o) => [o.name, new Array<unknown>(rows.length).fill(null)]));
    if (accepted.length > 0) {
      const feeds: Record<string, OrtTensor> = { [FEATURES_INPUT_NAME]: new this.ort.Tensor('float32' as never, tensor as never, [accepted.length, b.features.length]) };
      for (const decl of b.signature.requestInputs) feeds[decl.name] = requestTensor(this.ort, decl, requestFeatures[decl.name], accepted);
      const out = await this.session.run(feeds);
      for (const [name, t] of Object.entries(out)) {
        if (!outputs[name]) continue; // like the service: only declared outputs are answered
        const perRowValues = splitRows(t, accepted.length);
        accepted.forEach((rowIndex, k) => (outputs[name][rowIndex] = perRowValues[k]));
      }
    }
    return { model: { name: b.name, version: b.version }, outputs, rows: rows.map((r) => ({ ...r, version: b.version })) };
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
