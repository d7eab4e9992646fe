import { Data, DataType, Field, RecordBatchReader, TimeUnit, Vector } from 'apache-arrow';
import { FeaturesError } from '../features-error';
import { guardBody } from './entity-body-guard';
import type { EntityBatchSource, UploadKind } from './entity-batch-source';
import { invalid } from './pit-entity-frame';
import { EVENT_TIMESTAMP } from './pit-request';
import { formatIso } from './pit-timestamp';

/** Epoch microseconds per unit (nanoseconds are divided instead). */
const MICROS_PER: Record<number, bigint> = { [TimeUnit.SECOND]: 1_000_000n, [TimeUnit.MILLISECOND]: 1000n, [TimeUnit.MICROSECOND]: 1n };

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

function epochMicros(raw: bigint | number, unit: TimeUnit): bigint {
  const v = BigInt(raw);
  return unit === TimeUnit.NANOSECOND ? floorDiv(v, 1000n) : v * MICROS_PER[unit];
}

/**
 * A timestamp as epoch milliseconds with the microseconds as the fraction: the compact form the entity
 * frame accepts (toInstant splits it back exactly), 8 bytes a row instead of a 24-character string.
 */
function msWithMicros(micros: bigint): number {
  const ms = floorDiv(micros, 1000n);
  return Number(ms) + Number(micros - ms * 1000n) / 1000;
}

/** One value as the JSON spine would carry it: Int64 as number when safe (else decimal text), timestamps as ISO text. */
function plain(type: DataType, data: Data, vector: Vector, i: number, asEventTime: boolean): unknown {
  if (DataType.isTimestamp(type)) {
    const micros = epochMicros((data.values as ArrayLike<bigint | number>)[i], type.unit);
    if (asEventTime) return msWithMicros(micros);
    const ms = floorDiv(micros, 1000n);
    return formatIso(Number(ms), Number(micros - ms * 1000n));
  }
  if (DataType.isDate(type)) {
    const ms = vector.get(i) as number;
    return asEventTime ? ms : new Date(ms).toISOString().slice(0, 10);
  }
  const v: unknown = vector.get(i);
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  return v;
}

const READABLE = (t: DataType): boolean =>
  DataType.isInt(t) ||
  DataType.isFloat(t) ||
  DataType.isBool(t) ||
  DataType.isUtf8(t) ||
  DataType.isLargeUtf8(t) ||
  DataType.isTimestamp(t) ||
  DataType.isDate(t) ||
  DataType.isNull(t) ||
  (DataType.isDictionary(t) && (DataType.isUtf8(t.dictionary) || DataType.isLargeUtf8(t.dictionary)));

function checkSchema(fields: Field[]): void {
  if (fields.length === 0) throw invalid('body is not an Arrow IPC stream with a schema of at least one column', [{ field: '(body)', reason: 'no Arrow schema message' }]);
  const names = fields.map((f) => f.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw invalid(`Arrow schema has two columns named ${JSON.stringify(dup)}`, [{ field: `entities.${dup}`, reason: 'duplicate column' }]);
  const bad = fields.filter((f) => !READABLE(f.type as DataType));
  if (bad.length) {
    throw invalid(
      `Arrow entity columns of unsupported type: ${bad.map((f) => `${f.name} (${String(f.type)})`).join(', ')}; send Int, Float, Bool, Utf8, Timestamp or Date`,
      bad.map((f) => ({ field: `entities.${f.name}`, reason: `Arrow type ${String(f.type)} is not read for entity rows` })),
    );
  }
}

/** Rows of a record batch decoded at once: a larger batch is decoded (and COPYed) in slices of this many rows. */
export const DECODE_ROWS = 65_536;

/** How an Arrow column is stored when it is an extra (pass-through) column: as the JSON spine's values would be typed. */
function uploadKind(t: DataType): UploadKind {
  if (DataType.isInt(t)) return 'int';
  if (DataType.isFloat(t)) return 'float';
  if (DataType.isBool(t)) return 'bool';
  return 'string'; // Utf8, dictionary Utf8; timestamps and dates as their ISO text; Null
}

/**
 * The entity rows of an Arrow IPC stream as they arrive: the schema is read (and checked) here, then
 * each record batch is decoded, when pulled, into the values the JSON spine would carry (the stager
 * checks and COPYs it before pulling the next). Nothing but the batch being decoded is held.
 * `idleMs`: the most the body may stay silent (see guardBody).
 */
export async function openArrowEntities(body: AsyncIterable<Uint8Array> | Uint8Array, idleMs: number): Promise<EntityBatchSource> {
  let reader: Awaited<ReturnType<typeof RecordBatchReader.from>>;
  try {
    const source: AsyncIterable<Uint8Array> =
      body instanceof Uint8Array
        ? (async function* () {
            yield body;
          })()
        : guardBody(body, idleMs);
    reader = await RecordBatchReader.from(source);
    await reader.open();
  } catch (e) {
    throw unreadable(e);
  }
  const fields = reader.schema?.fields ?? [];
  checkSchema(fields);
  const open = reader;
  return {
    columns: fields.map((f) => ({ name: f.name, kind: uploadKind(f.type as DataType) })),
    batches: (async function* () {
      try {
        for await (const whole of open) {
          // A client may send the whole spine as one record batch (a pandas frame usually is one chunk):
          // its bytes are read whole, but its rows are decoded and COPYed a slice at a time.
          const slices = Math.max(1, Math.ceil(whole.numRows / DECODE_ROWS)); // an empty batch is one empty slice
          for (let n = 0; n < slices; n++) {
            const batch = slices === 1 ? whole : whole.slice(n * DECODE_ROWS, Math.min(whole.numRows, (n + 1) * DECODE_ROWS));
            yield {
              rows: batch.numRows,
              values: () =>
                fields.map((f, c) => {
                  const out = new Array<unknown>(batch.numRows);
                  const eventTime = f.name === EVENT_TIMESTAMP;
                  let at = 0;
                  for (const data of batch.getChildAt(c)!.data as Data[]) {
                    const vector = new Vector([data]);
                    for (let i = 0; i < data.length; i++) out[at++] = data.getValid(i) ? plain(f.type as DataType, data, vector, i, eventTime) : null;
                  }
                  return out;
                }),
            };
          }
        }
      } catch (e) {
        throw unreadable(e);
      }
    })(),
  };
}

function unreadable(e: unknown): Error {
  if (e instanceof FeaturesError) return e;
  return invalid(`body is not a valid Arrow IPC stream: ${(e as Error).message}`, [{ field: '(body)', reason: 'unreadable Arrow IPC stream' }]);
}
