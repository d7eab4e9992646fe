import { Field, Schema, TimestampMicrosecond, Utf8 } from 'apache-arrow';
import { arrowTypeOf } from '../retrieval/pit-arrow-batch';
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
