import { Data, DataType, Field, RecordBatchReader, TimeUnit, Vector } from 'apache-arrow';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
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

/** Bytes read past the reader's end (an early stop, or bytes after the end-of-stream marker) before the request is given up. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * The request body for the Arrow reader, which calls return() on its source once it has read what it
 * needs: on a request stream that would destroy the request and with it the socket, so the answer could
 * never be sent. The rest of the body is read and dropped instead (up to MAX_DRAIN_BYTES, then given up).
 */
async function* keepSocket(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    let drained = 0;
    try {
      while (drained <= MAX_DRAIN_BYTES) {
        const next = await it.next();
        if (next.done) break;
        drained += next.value.byteLength;
      }
    } catch {
      // the client went away: nothing left to keep
    }
    if (drained > MAX_DRAIN_BYTES) await it.return?.();
  }
}

// TODO(issue 18): COPY each record batch into a staging table as it arrives (answers would then read
// entity columns back from it, and a retrieval job would read its spine from it instead of the job's
// JSON request): the decoded spine is still held as JS arrays until the engine's COPY. Plan in ADR 0028.
/**
 * Entity rows from an Arrow IPC stream, decoded one record batch at a time as the body arrives, into
 * the columns the JSON spine would have (then checked by the same entity frame). Stops reading at the
 * first batch past `maxRows`, so an oversized upload costs at most one batch beyond the cap.
 */
export async function readArrowEntities(body: AsyncIterable<Uint8Array> | Uint8Array, maxRows: number): Promise<Record<string, unknown[]>> {
  let reader: Awaited<ReturnType<typeof RecordBatchReader.from>>;
  try {
    const source: AsyncIterable<Uint8Array> =
      body instanceof Uint8Array
        ? (async function* () {
            yield body;
          })()
        : keepSocket(body);
    reader = await RecordBatchReader.from(source);
    await reader.open();
  } catch (e) {
    throw invalid(`body is not a valid Arrow IPC stream: ${(e as Error).message}`, [{ field: '(body)', reason: 'unreadable Arrow IPC stream' }]);
  }
  const fields = reader.schema?.fields ?? [];
  checkSchema(fields);
  const columns: Record<string, unknown[]> = Object.create(null) as Record<string, unknown[]>; // a column named __proto__ stays a column
  for (const f of fields) columns[f.name] = [];
  let rows = 0;
  try {
    for await (const batch of reader) {
      rows += batch.numRows;
      if (rows > maxRows) {
        throw new FeaturesError(FeaturesErrorCode.TOO_MANY_ROWS, `the Arrow entity stream has more than ${maxRows} rows (TESSERA_ENTITY_MAX_ROWS)`, { field: 'entities', reason: `at most ${maxRows} rows` });
      }
      fields.forEach((f, c) => {
        const target = columns[f.name];
        const eventTime = f.name === EVENT_TIMESTAMP;
        for (const data of batch.getChildAt(c)!.data as Data[]) {
          const vector = new Vector([data]);
          for (let i = 0; i < data.length; i++) target.push(data.getValid(i) ? plain(f.type as DataType, data, vector, i, eventTime) : null);
        }
      });
    }
  } catch (e) {
    if (e instanceof FeaturesError) throw e;
    throw invalid(`body is not a valid Arrow IPC stream: ${(e as Error).message}`, [{ field: '(body)', reason: 'unreadable Arrow IPC stream' }]);
  }
  return columns;
}
