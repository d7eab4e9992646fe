import { Data, Field, makeData, RecordBatch, Schema, Struct, TimestampMicrosecond, Utf8, vectorFromArray } from 'apache-arrow';
import { arrowTypeOf, textData } from '../retrieval/pit-arrow-batch';
import { decodeJson } from '../retrieval/pit-value-codec';
import type { DatasetColumn } from './training-dataset';

/**
 * Stored values come back as PostgreSQL text and are decoded by the retrieval's own codecs, so an
 * export answers exactly what the retrieval answered: the same Arrow schema (event_timestamp non-null
 * Timestamp(µs, UTC); keys and features by logical type; extra columns as typed from their values)
 * and the same JSON values.
 */
export function datasetArrowSchema(columns: readonly DatasetColumn[]): Schema {
  return new Schema(
    columns.map((c) => {
      if (c.role === 'timestamp') return new Field(c.name, new TimestampMicrosecond('UTC'), false);
      return new Field(c.name, c.logicalType === 'json' ? new Utf8() : arrowTypeOf(c.logicalType), true);
    }),
  );
}

/** One record batch of rows (as read: one array of column texts per row). */
export function datasetBatch(schema: Schema, columns: readonly DatasetColumn[], rows: readonly (string | null)[][]): RecordBatch {
  const children = columns.map((c, ci): Data => {
    const texts = rows.map((r) => r[ci]);
    // A mixed extra column: strings as themselves, anything else as its JSON text (as the retrieval does).
    if (c.logicalType === 'json') return vectorFromArray(texts.map((t) => (t !== null && t.startsWith('"') ? (JSON.parse(t) as string) : t)), new Utf8()).data[0];
    return textData(c.logicalType, texts);
  });
  const struct = makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children });
  return new RecordBatch(schema, struct);
}

/** Appends rows to JSON columns (`{name: values}`), decoded as the retrieval's JSON answer. */
export function appendJsonColumns(target: Record<string, unknown[]>, columns: readonly DatasetColumn[], rows: readonly (string | null)[][]): void {
  columns.forEach((c, ci) => {
    const out = target[c.name];
    for (const r of rows) {
      const t = r[ci];
      out.push(c.logicalType === 'json' ? (t === null ? null : JSON.parse(t)) : decodeJson(c.logicalType, t));
    }
  });
}
