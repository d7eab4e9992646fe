import { Bool, Data, DataType, DateDay, Field, Float64, Int64, makeData, RecordBatch, Schema, Struct, TimestampMicrosecond, Utf8, vectorFromArray } from 'apache-arrow';
import type { FeatureValueType } from '../registry/resolved-feature-view';
import type { EntityFrame } from './pit-entity-frame';
import type { OutputColumn, PitChunk } from './pit-request';
import { epochMicros, parseIso } from './pit-timestamp';

/**
 * Arrow types by logical type: integer → Int64, number → Float64, boolean → Bool, timestamp →
 * Timestamp(µs, UTC), date → Date32 (days); string, time, object and array → Utf8 (object/array as
 * JSON text, time as PostgreSQL's text, which keeps a time-with-zone offset intact). Extra entity
 * columns are typed from their values: all safe integers → Int64, numbers → Float64, booleans →
 * Bool, strings → Utf8; anything mixed becomes Utf8 (non-strings as JSON).
 */
export function arrowTypeOf(type: FeatureValueType): DataType {
  switch (type) {
    case 'integer':
      return new Int64();
    case 'number':
      return new Float64();
    case 'boolean':
      return new Bool();
    case 'timestamp':
      return new TimestampMicrosecond('UTC');
    case 'date':
      return new DateDay();
    default:
      return new Utf8();
  }
}

export type ExtraKind = 'int' | 'float' | 'bool' | 'string' | 'json';

/** How an extra (pass-through) entity column is typed, from its values. */
export function extraKind(values: readonly unknown[]): ExtraKind {
  let kind: ExtraKind | null = null;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const k: ExtraKind = typeof v === 'number' ? (Number.isSafeInteger(v) ? 'int' : 'float') : typeof v === 'boolean' ? 'bool' : typeof v === 'string' ? 'string' : 'json';
    if (kind === null) kind = k;
    else if (kind !== k) {
      if ((kind === 'int' && k === 'float') || (kind === 'float' && k === 'int')) kind = 'float';
      else return 'json';
    }
  }
  return kind ?? 'string';
}

const EXTRA_TYPES: Record<ExtraKind, () => DataType> = {
  int: () => new Int64(),
  float: () => new Float64(),
  bool: () => new Bool(),
  string: () => new Utf8(),
  json: () => new Utf8(),
};

/** The schema of a retrieval's Arrow output; extra columns are typed by scanning their values once. */
export class PitArrowLayout {
  readonly schema: Schema;
  private readonly extraKinds = new Map<string, ExtraKind>();

  constructor(
    private readonly columns: readonly OutputColumn[],
    private readonly frame: EntityFrame,
  ) {
    const fields = columns.map((c) => {
      switch (c.kind) {
        case 'key':
        case 'feature':
          return new Field(c.name, arrowTypeOf(c.type), true);
        case 'timestamp':
          return new Field(c.name, new TimestampMicrosecond('UTC'), false);
        case 'extra': {
          const kind = extraKind(frame.raw[c.name]);
          this.extraKinds.set(c.name, kind);
          return new Field(c.name, EXTRA_TYPES[kind](), true);
        }
      }
    });
    this.schema = new Schema(fields);
  }

  /** A record batch of one chunk of the result. */
  batch(chunk: PitChunk): RecordBatch {
    const { offset, length } = chunk;
    let fi = 0;
    const children = this.columns.map((c): Data => {
      switch (c.kind) {
        case 'key':
          return typedData(c.type, this.frame.keys.find((k) => k.name === c.name)!.values.slice(offset, offset + length));
        case 'timestamp': {
          const values = new BigInt64Array(length);
          for (let i = 0; i < length; i++) values[i] = epochMicros(this.frame.tsMs[offset + i], this.frame.tsUs[offset + i]);
          return makeData({ type: new TimestampMicrosecond('UTC'), length, nullCount: 0, data: values });
        }
        case 'extra':
          return extraData(this.extraKinds.get(c.name)!, this.frame.raw[c.name].slice(offset, offset + length));
        case 'feature':
          return textData(c.type, chunk.features[fi++]);
      }
    });
    const struct = makeData({ type: new Struct(this.schema.fields), length, nullCount: 0, children });
    return new RecordBatch(this.schema, struct);
  }
}

/** A column from typed JS values (normalized entity keys): bigint-safe integers may be strings. */
function typedData(type: FeatureValueType, values: readonly unknown[]): Data {
  const texts = values.map((v) => (v === null || v === undefined ? null : typeof v === 'boolean' ? (v ? 't' : 'f') : String(v)));
  return textData(type, texts);
}

/** A column from PostgreSQL text values. */
export function textData(type: FeatureValueType, texts: readonly (string | null)[]): Data {
  const length = texts.length;
  switch (type) {
    case 'integer':
      return int64Data(new Int64(), texts, (t) => BigInt(t));
    case 'timestamp':
      return int64Data(new TimestampMicrosecond('UTC'), texts, (t) => {
        const at = parseIso(t, false);
        return at === null ? null : epochMicros(at.ms, at.us);
      });
    case 'number': {
      const { bitmap, nullCount } = validity(texts);
      const values = new Float64Array(length);
      texts.forEach((t, i) => (values[i] = t === null ? 0 : Number(t)));
      return makeData({ type: new Float64(), length, nullCount, nullBitmap: bitmap, data: values });
    }
    case 'date': {
      const days = texts.map((t) => {
        const day = t === null ? null : parseIso(t.slice(0, 10), false);
        return day === null ? null : Math.floor(day.ms / 86_400_000);
      });
      const { bitmap, nullCount } = validity(days);
      return makeData({ type: new DateDay(), length, nullCount, nullBitmap: bitmap, data: Int32Array.from(days, (d) => d ?? 0) });
    }
    case 'boolean':
      return vectorFromArray(
        texts.map((t) => (t === null ? null : t === 't' || t === 'true')),
        new Bool(),
      ).data[0];
    default:
      return vectorFromArray(texts as (string | null)[], new Utf8()).data[0];
  }
}

function int64Data(type: Int64 | TimestampMicrosecond, texts: readonly (string | null)[], parse: (t: string) => bigint | null): Data {
  const values = new BigInt64Array(texts.length);
  const parsed = texts.map((t) => (t === null ? null : parse(t)));
  parsed.forEach((v, i) => (values[i] = v ?? 0n));
  const { bitmap, nullCount } = validity(parsed);
  return makeData({ type, length: texts.length, nullCount, nullBitmap: bitmap, data: values } as never);
}

function extraData(kind: ExtraKind, values: readonly unknown[]): Data {
  const isNull = (v: unknown) => v === null || v === undefined;
  switch (kind) {
    case 'int':
      return int64Data(
        new Int64(),
        values.map((v) => (isNull(v) ? null : String(v))),
        (t) => BigInt(t),
      );
    case 'float':
      return textData(
        'number',
        values.map((v) => (isNull(v) ? null : String(v))),
      );
    case 'bool':
      return vectorFromArray(
        values.map((v) => (isNull(v) ? null : (v as boolean))),
        new Bool(),
      ).data[0];
    case 'string':
      return vectorFromArray(
        values.map((v) => (isNull(v) ? null : (v as string))),
        new Utf8(),
      ).data[0];
    case 'json':
      return vectorFromArray(
        values.map((v) => (isNull(v) ? null : typeof v === 'string' ? v : JSON.stringify(v))),
        new Utf8(),
      ).data[0];
  }
}

/** Arrow validity bitmap (bit set = value present); undefined when nothing is null. */
function validity(values: readonly unknown[]): { bitmap: Uint8Array | undefined; nullCount: number } {
  let nullCount = 0;
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => {
    if (v === null) nullCount++;
    else bitmap[i >> 3] |= 1 << (i & 7);
  });
  return { bitmap: nullCount ? bitmap : undefined, nullCount };
}
