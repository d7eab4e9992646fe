import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import type { EntityBatchSource, UploadKind } from './entity-batch-source';
import { guardBody } from './entity-body-guard';
import { invalid } from './pit-entity-frame';
import { EVENT_TIMESTAMP } from './pit-request';
import { formatIso } from './pit-timestamp';

export const PARQUET = 'application/vnd.apache.parquet';

/** Whether the request body is a Parquet file of entity rows (the rest of the request is then in the query string). */
export function isParquetBody(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === PARQUET;
}

/** A timestamp as hyparquet's parsers hand it over: epoch microseconds, converted per column afterwards. */
class Micros {
  constructor(readonly value: bigint) {}
}
/** A DATE: days since the epoch. */
class Days {
  constructor(readonly value: number) {}
}

const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
};

/** Values typed by the parsers below, kept apart from plain numbers until the column is known. */
const PARSERS = {
  timestampFromMilliseconds: (ms: bigint) => new Micros(ms * 1000n),
  timestampFromMicroseconds: (us: bigint) => new Micros(us),
  timestampFromNanoseconds: (ns: bigint) => new Micros(floorDiv(ns, 1000n)),
  dateFromDays: (days: number) => new Days(days),
};

/**
 * One value as the JSON spine (and the Arrow reader, arrow-entity-reader.ts) would carry it:
 * INT64 as a number when safe (else decimal text), timestamps as epoch ms with the microseconds as
 * fraction for event_timestamp and ISO text elsewhere, dates as `YYYY-MM-DD` (epoch ms as event time).
 */
function plain(v: unknown, eventTime: boolean, column: string): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Micros) {
    const ms = floorDiv(v.value, 1000n);
    const us = Number(v.value - ms * 1000n);
    return eventTime ? Number(ms) + us / 1000 : formatIso(Number(ms), us);
  }
  if (v instanceof Days) return eventTime ? v.value * 86_400_000 : new Date(v.value * 86_400_000).toISOString().slice(0, 10);
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  throw invalid(`Parquet entity column ${column} holds a value of an unsupported type (${Object.prototype.toString.call(v)})`, [
    { field: `entities.${column}`, reason: 'only flat integer, float, boolean, string, timestamp and date columns are read' },
  ]);
}

/** Body bytes spooled at most: room for the row cap at 128 bytes a row, at least 64 MiB. */
function maxBytes(maxRows: number): number {
  return Math.max(64 * 1024 * 1024, maxRows * 128);
}

/** How a flat Parquet column is stored as an extra column, from its physical and logical type. */
function uploadKind(element: { type?: string; converted_type?: string; logical_type?: { type: string } }): UploadKind {
  const logical = element.logical_type?.type ?? element.converted_type ?? '';
  if (/TIMESTAMP|DATE|TIME|UTF8|STRING|ENUM/.test(logical)) return 'string';
  if (/DECIMAL/.test(logical)) return 'float';
  switch (element.type) {
    case 'BOOLEAN':
      return 'bool';
    case 'INT32':
    case 'INT64':
      return 'int';
    case 'FLOAT':
    case 'DOUBLE':
      return 'float';
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY':
      return 'string';
    default:
      return 'json';
  }
}

/**
 * Entity rows from a Parquet file body, one row group at a time. Parquet's metadata is in the footer,
 * so the body is spooled to a temporary file first (bounded: maxBytes; read before any database
 * connection is taken), the row count checked against `maxRows` from the footer before any row is
 * decoded; then each row group is read with hyparquet (pure JS: no native parts) when pulled and
 * converted to exactly what the JSON and Arrow spines carry. The file is removed once the batches are
 * read to their end or given up, or by `close()`.
 */
export async function openParquetEntities(body: AsyncIterable<Uint8Array> | Uint8Array, maxRows: number, idleMs: number): Promise<EntityBatchSource & { close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-parquet-'));
  const path = join(dir, 'entities.parquet');
  const close = () => rm(dir, { recursive: true, force: true });
  try {
    const limit = maxBytes(maxRows);
    let size = 0;
    const cap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > limit) done(new FeaturesError(FeaturesErrorCode.TOO_MANY_ROWS, `the Parquet entity file is larger than ${limit} bytes`, { field: 'entities', reason: `at most ${limit} bytes` }));
        else done(null, chunk);
      },
    });
    await pipeline(body instanceof Uint8Array ? Readable.from([body]) : Readable.from(guardBody(body, idleMs)), cap, createWriteStream(path));
    let file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
    let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
    try {
      file = await asyncBufferFromFile(path);
      metadata = await parquetMetadataAsync(file);
    } catch (e) {
      throw invalid(`body is not a valid Parquet file: ${(e as Error).message}`, [{ field: '(body)', reason: 'unreadable Parquet file' }]);
    }
    const rows = Number(metadata.num_rows);
    if (rows > maxRows) {
      throw new FeaturesError(FeaturesErrorCode.TOO_MANY_ROWS, `the Parquet entity file has ${rows} rows, more than ${maxRows} (TESSERA_ENTITY_MAX_ROWS)`, { field: 'entities', reason: `at most ${maxRows} rows` });
    }
    const top = parquetSchema(metadata).children;
    const nested = top.filter((c) => c.children.length > 0);
    if (nested.length) {
      throw invalid(
        `Parquet entity columns must be flat: ${nested.map((c) => c.element.name).join(', ')}`,
        nested.map((c) => ({ field: `entities.${c.element.name}`, reason: 'nested or repeated columns are not read for entity rows' })),
      );
    }
    const names = top.map((c) => c.element.name);
    if (names.length === 0) throw invalid('the Parquet file has no columns', [{ field: '(body)', reason: 'no columns' }]);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) throw invalid(`the Parquet file has two columns named ${JSON.stringify(dup)}`, [{ field: `entities.${dup}`, reason: 'duplicate column' }]);
    const groups: { start: number; rows: number }[] = [];
    let start = 0;
    for (const g of metadata.row_groups) {
      groups.push({ start, rows: Number(g.num_rows) });
      start += Number(g.num_rows);
    }
    const at = new Map(names.map((n, i) => [n, i]));
    const readGroup = async (g: { start: number; rows: number }): Promise<unknown[][]> => {
      const columns = names.map(() => new Array<unknown>(g.rows).fill(null));
      try {
        await parquetRead({
          file,
          metadata,
          rowStart: g.start,
          rowEnd: g.start + g.rows,
          parsers: PARSERS,
          onChunk: ({ columnName, columnData, rowStart }) => {
            const target = columns[at.get(columnName)!];
            const eventTime = columnName === EVENT_TIMESTAMP;
            for (let i = 0; i < columnData.length; i++) {
              const row = rowStart + i - g.start;
              if (row >= 0 && row < g.rows) target[row] = plain(columnData[i], eventTime, columnName);
            }
          },
        });
      } catch (e) {
        if (e instanceof FeaturesError) throw e;
        throw invalid(`body is not a valid Parquet file: ${(e as Error).message}`, [{ field: '(body)', reason: 'unreadable Parquet file' }]);
      }
      return columns;
    };
    return {
      columns: top.map((c) => ({ name: c.element.name, kind: uploadKind(c.element as never) })),
      close,
      batches: (async function* () {
        try {
          for (const g of groups) {
            const values = await readGroup(g);
            yield { rows: g.rows, values: () => values };
          }
        } finally {
          await close();
        }
      })(),
    };
  } catch (e) {
    await close();
    throw e;
  }
}
