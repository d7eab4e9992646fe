import type { TensorDeclaration } from '../registry/model-version';
import type { ScoringProblem } from '../scoring-error';
import type { FeedBlock } from './feed-block';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Values per row of a request input: the product of its fixed dimensions (1 for `[N]` or `[N, 1]`). */
export function valuesPerRow(decl: TensorDeclaration): number {
  return (decl.shape ?? []).slice(1).reduce<number>((n, d) => n * (typeof d === 'number' && d > 0 ? d : 1), 1);
}

function flatRow(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]).flat(Infinity) : [value];
}

/** Why one element does not fit the declared type, or null when it does. */
function elementProblem(type: string, v: unknown): string | null {
  switch (type) {
    case 'float32':
    case 'float64':
      return typeof v === 'number' && Number.isFinite(v) ? null : 'must be a finite number';
    case 'int32':
      return Number.isInteger(v) && (v as number) >= INT32_MIN && (v as number) <= INT32_MAX ? null : 'must be an integer within int32';
    case 'int64': {
      if (typeof v === 'number') return Number.isSafeInteger(v) ? null : 'must be an integer (beyond 2^53 send it as decimal text)';
      if (typeof v === 'string' && /^-?\d{1,19}$/.test(v) && BigInt(v) >= INT64_MIN && BigInt(v) <= INT64_MAX) return null;
      return 'must be an integer within int64';
    }
    case 'bool':
      return typeof v === 'boolean' ? null : 'must be true or false';
    case 'string':
      return typeof v === 'string' ? null : 'must be a string';
    default:
      return `type ${type} cannot be sent in a request`;
  }
}

/**
 * Checks one request feature column against its declaration: one entry per row, each entry a scalar
 * or a (nested) array of exactly the declared number of values of the declared type. Stops at the
 * first few bad rows so a 10 000-row mistake does not produce 10 000 problems.
 */
export function checkRequestColumn(decl: TensorDeclaration, column: unknown, rows: number, field = `request_features.${decl.name}`): ScoringProblem[] {
  if (!Array.isArray(column)) return [{ field, reason: `must be an array with one entry per entity row (${rows})` }];
  if (column.length !== rows) return [{ field, reason: `has ${column.length} entries; the request has ${rows} entity rows` }];
  const per = valuesPerRow(decl);
  const problems: ScoringProblem[] = [];
  for (let i = 0; i < rows && problems.length < 5; i++) {
    const flat = flatRow(column[i]);
    if (flat.length !== per) {
      problems.push({ field: `${field}[${i}]`, reason: `has ${flat.length} values; ${decl.name} is ${decl.type} of shape [${(decl.shape ?? []).join(', ')}], ${per} per row` });
      continue;
    }
    const bad = flat.map((v) => elementProblem(decl.type, v)).find((p) => p !== null);
    if (bad) problems.push({ field: `${field}[${i}]`, reason: `${bad} (${decl.name} is ${decl.type}), got ${JSON.stringify(column[i])}` });
  }
  return problems;
}

/** The feed of a checked request column for the given rows, shaped [rows, ...declared dims]. */
export function requestBlock(decl: TensorDeclaration, column: readonly unknown[], rowIndexes: readonly number[]): FeedBlock {
  const per = valuesPerRow(decl);
  const dims = [rowIndexes.length, ...(decl.shape ?? []).slice(1).map((d) => (typeof d === 'number' && d > 0 ? d : 1))];
  const n = rowIndexes.length * per;
  const values = rowIndexes.flatMap((i) => flatRow(column[i]));
  switch (decl.type) {
    case 'float32':
      return { type: 'float32', data: Float32Array.from(values as number[]), dims };
    case 'float64':
      return { type: 'float64', data: Float64Array.from(values as number[]), dims };
    case 'int32':
      return { type: 'int32', data: Int32Array.from(values as number[]), dims };
    case 'int64': {
      const data = new BigInt64Array(n);
      values.forEach((v, j) => (data[j] = BigInt(v as number | string)));
      return { type: 'int64', data, dims };
    }
    case 'bool':
      return { type: 'bool', data: Uint8Array.from(values, (v) => (v ? 1 : 0)), dims };
    default:
      return { type: 'string', data: values.map(String), dims };
  }
}
