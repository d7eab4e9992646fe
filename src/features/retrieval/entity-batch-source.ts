/**
 * How an uploaded entity column is stored when it is an extra (pass-through) column, from its type in
 * the file (Arrow or Parquet schema), not from its values: the table is created before the first row.
 */
export type UploadKind = 'int' | 'float' | 'bool' | 'string' | 'json';

/** One batch of uploaded entity rows: its row count, and its values decoded on demand (after the row cap is checked). */
export interface EntityBatch {
  rows: number;
  /** One array per column (in `columns` order), each value as the JSON spine would carry it. */
  values(): unknown[][];
}

/**
 * Entity rows of an upload (Arrow IPC stream, Parquet file) as they arrive: the columns are known
 * before the first row, the rows come one batch at a time (an Arrow record batch, a Parquet row group).
 */
export interface EntityBatchSource {
  columns: { name: string; kind: UploadKind }[];
  batches: AsyncIterable<EntityBatch>;
}
