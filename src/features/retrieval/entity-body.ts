import { readArrowEntities } from './arrow-entity-reader';
import { isArrowBody } from './historical-features.input';
import { isParquetBody, readParquetEntities } from './parquet-entity-reader';

/** Whether the body is a file of entity rows (Arrow IPC stream or Parquet), the retrieval's parameters then in the query string. */
export function isEntityFileBody(contentType: string | undefined): boolean {
  return isArrowBody(contentType) || isParquetBody(contentType);
}

/** The entity columns of an Arrow IPC or Parquet body, as the JSON spine would carry them. */
export function readEntityFile(contentType: string | undefined, body: unknown, maxRows: number): Promise<Record<string, unknown[]>> {
  const source = body as AsyncIterable<Uint8Array> | Uint8Array;
  return isParquetBody(contentType) ? readParquetEntities(source, maxRows) : readArrowEntities(source, maxRows);
}
