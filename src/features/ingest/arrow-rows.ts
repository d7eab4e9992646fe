import { DataType, Field, Table, tableFromIPC, TimeUnit, Vector } from 'apache-arrow';
import { invalidBodyError, tooManyRowsError } from './text-row-parsers';
import { MAX_INGEST_ROWS } from './ingest-limits';
import { formatEpochDay, formatInstant, formatTimeOfDay, instantFromEpochMicros } from './temporal-values';

/** Multiplier to epoch microseconds, per Arrow TimeUnit (nanoseconds are divided instead). */
const TO_MICROS: Record<number, bigint> = { [TimeUnit.SECOND]: 1_000_000n, [TimeUnit.MILLISECOND]: 1000n, [TimeUnit.MICROSECOND]: 1n };

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

function toMicros(raw: bigint | number, unit: TimeUnit): bigint {
  const v = BigInt(raw);
  return unit === TimeUnit.NANOSECOND ? floorDiv(v, 1000n) : v * TO_MICROS[unit];
}

/** Nested values (struct fields, list items) as plain JSON-able values. */
function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Vector) return Array.from(v as Iterable<unknown>, plain);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<unknown>, plain);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object') {
    const json = typeof (v as { toJSON?: () => unknown }).toJSON === 'function' ? (v as { toJSON: () => unknown }).toJSON() : v;
    if (json instanceof Map) return Object.fromEntries([...json].map(([k, x]) => [String(k), plain(x)]));
    return Object.fromEntries(Object.entries(json as object).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

/**
 * Values of one column, converted so the contract checks see what the JSON path would: Int64 as
 * bigint, floats as numbers, timestamps as canonical UTC text with microseconds (Arrow's tz-naive
 * timestamps are read as UTC, the Arrow convention), dates as YYYY-MM-DD, times as HH:MM:SS.ffffff,
 * structs/lists/maps as JSON values.
 */
function columnValues(field: Field, vector: Vector): unknown[] {
  const type = field.type as DataType;
  const out: unknown[] = new Array(vector.length);
  let at = 0;
  const each = (fn: (data: (typeof vector.data)[number], i: number) => unknown) => {
    for (const data of vector.data) {
      for (let i = 0; i < data.length; i++) out[at++] = data.getValid(i) ? fn(data, i) : null;
    }
  };
  if (DataType.isTimestamp(type)) {
    const unit = type.unit;
    each((d, i) => formatInstant(instantFromEpochMicros(toMicros((d.values as ArrayLike<bigint>)[i], unit))));
  } else if (DataType.isTime(type)) {
    const unit = type.unit;
    each((d, i) => formatTimeOfDay(toMicros((d.values as ArrayLike<bigint | number>)[i], unit)));
  } else if (DataType.isDate(type)) {
    for (let i = 0; i < vector.length; i++) {
      const ms = vector.get(i) as number | null;
      out[i] = ms === null ? null : formatEpochDay(ms);
    }
  } else if (DataType.isStruct(type) || DataType.isList(type) || DataType.isFixedSizeList(type) || DataType.isMap(type) || DataType.isLargeList(type)) {
    for (let i = 0; i < vector.length; i++) out[i] = plain(vector.get(i));
  } else if (
    DataType.isNull(type) ||
    DataType.isInt(type) ||
    DataType.isFloat(type) ||
    DataType.isBool(type) ||
    DataType.isUtf8(type) ||
    DataType.isLargeUtf8(type) ||
    DataType.isUtf8View(type) ||
    (DataType.isDictionary(type) && (DataType.isUtf8(type.dictionary) || DataType.isLargeUtf8(type.dictionary) || DataType.isInt(type.dictionary)))
  ) {
    for (let i = 0; i < vector.length; i++) out[i] = vector.get(i) ?? null;
  } else {
    throw invalidBodyError(`Arrow column ${JSON.stringify(field.name)} has type ${String(type)}, which ingestion does not read; send it as Utf8, Int, Float, Bool, Timestamp, Date, Time, Struct or List`, {
      field: field.name,
      type: String(type),
    });
  }
  return out;
}

/** Rows of an Arrow IPC stream (or file); an unreadable body is a 400 with the reader's reason. */
export function parseArrow(body: Buffer): Record<string, unknown>[] {
  let table: Table;
  try {
    table = tableFromIPC(body);
  } catch (e) {
    throw invalidBodyError(`body is not a valid Arrow IPC stream: ${(e as Error).message}`);
  }
  // apache-arrow reads bytes without a schema message (e.g. a JSON body) as an empty table instead of failing.
  if (table.schema.fields.length === 0) throw invalidBodyError('body is not a valid Arrow IPC stream: no schema message with at least one column');
  if (table.numRows > MAX_INGEST_ROWS) throw tooManyRowsError();
  const names = table.schema.fields.map((f) => f.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw invalidBodyError(`Arrow schema has two columns named ${JSON.stringify(dup)}`);
  const columns = table.schema.fields.map((f, i) => columnValues(f, table.getChildAt(i)!));
  const rows = new Array<Record<string, unknown>>(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const row = Object.create(null) as Record<string, unknown>; // a column named __proto__ stays a column
    for (let c = 0; c < names.length; c++) row[names[c]] = columns[c][r];
    rows[r] = row;
  }
  return rows;
}
