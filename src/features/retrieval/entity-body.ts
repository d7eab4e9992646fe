import { openArrowEntities } from './arrow-entity-reader';
import type { EntityBatchSource } from './entity-batch-source';
import { isArrowBody } from './historical-features.input';
import { isParquetBody, openParquetEntities } from './parquet-entity-reader';

/** Whether the body is a file of entity rows (Arrow IPC stream or Parquet), the retrieval's parameters then in the query string. */
export function isEntityFileBody(contentType: string | undefined): boolean {
  return isArrowBody(contentType) || isParquetBody(contentType);
}

/** An entity upload as the controllers hand it over: the body not yet read. */
export interface EntityUpload {
  contentType: string | undefined;
  body: unknown;
}

/**
 * The entity rows of an Arrow IPC or Parquet body as batches to stage (entity-stager.ts): the Arrow
 * schema is read here, a Parquet file spooled and its footer read; rows are decoded only when pulled.
 * `close()` gives up a source that is not read to its end (a Parquet file's temp copy).
 */
export async function openEntityFile(upload: EntityUpload, maxRows: number, idleMs: number): Promise<EntityBatchSource & { close(): Promise<void> }> {
  const source = upload.body as AsyncIterable<Uint8Array> | Uint8Array;
  if (isParquetBody(upload.contentType)) return openParquetEntities(source, maxRows, idleMs);
  return { ...(await openArrowEntities(source, idleMs)), close: async () => undefined };
}
