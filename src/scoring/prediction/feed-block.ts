import { Tensor } from 'onnxruntime-node';

export type BlockData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | string[];

/**
 * One input of one run, rows first: `dims[0]` is the number of rows. Kept apart from ORT's Tensor so
 * several requests' blocks can be concatenated along the batch dimension before one session run.
 */
export interface FeedBlock {
  type: 'float32' | 'float64' | 'int32' | 'int64' | 'bool' | 'string';
  data: BlockData;
  dims: number[];
}

export type Feeds = Record<string, FeedBlock>;

/** Per output name, one value per row: a scalar when the row has one element, else a flat array. */
export type RowOutputs = Record<string, unknown[]>;

export function toTensor(b: FeedBlock): Tensor {
  return new Tensor(b.type, b.data, b.dims);
}

/** Concatenates blocks of the same input along the batch dimension. */
export function concatBlocks(blocks: FeedBlock[]): FeedBlock {
  const first = blocks[0];
  const rows = blocks.reduce((n, b) => n + b.dims[0], 0);
  const dims = [rows, ...first.dims.slice(1)];
  if (first.type === 'string') return { type: 'string', data: blocks.flatMap((b) => b.data as string[]), dims };
  const total = blocks.reduce((n, b) => n + b.data.length, 0);
  const Ctor = (first.data as Float32Array).constructor as new (n: number) => Exclude<BlockData, string[]>;
  const out = new Ctor(total);
  let offset = 0;
  for (const b of blocks) {
    (out as Float32Array).set(b.data as Float32Array, offset);
    offset += b.data.length;
  }
  return { type: first.type, data: out, dims };
}

/** A JSON-friendly scalar: int64 as a number when exact, else decimal text. */
function jsonScalar(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

/**
 * Splits the output tensors of a run over `rows` rows into per-row values, rows [from, from+count).
 * A tensor whose first dimension is not the row count (a model-level scalar) is given to every row.
 */
export function rowValues(outputs: Record<string, Tensor>, rows: number, from: number, count: number): RowOutputs {
  const result: RowOutputs = {};
  for (const [name, t] of Object.entries(outputs)) {
    const raw = t.data as ArrayLike<unknown>;
    const data: ArrayLike<unknown> = t.type === 'bool' ? Array.from(raw, (b) => b === 1 || b === true) : raw;
    const perRow = t.dims[0] === rows && rows > 0 ? data.length / rows : 0;
    const values = new Array<unknown>(count);
    for (let i = 0; i < count; i++) {
      if (perRow === 0) values[i] = Array.from(data, jsonScalar);
      else if (perRow === 1) values[i] = jsonScalar(data[from + i]);
      else {
        const start = (from + i) * perRow;
        const row = new Array<unknown>(perRow);
        for (let j = 0; j < perRow; j++) row[j] = jsonScalar(data[start + j]);
        values[i] = row;
      }
    }
    result[name] = values;
  }
  return result;
}
