import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
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

/**
 * Entity rows from a Parquet file body. Parquet's metadata is in the footer, so the body is spooled to
 * a temporary file first (bounded: maxBytes), the row count checked against `maxRows` from the footer
 * before any row is decoded, then the columns read with hyparquet (pure JS: no native parts) and
 * converted to exactly what the JSON and Arrow spines carry; the same entity frame then checks them.
 */
export async function readParquetEntities(body: AsyncIterable<Uint8Array> | Uint8Array, maxRows: number): Promise<Record<string, unknown[]>> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-parquet-'));
  const path = join(dir, 'entities.parquet');
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
    await pipeline(body instanceof Uint8Array ? Readable.from([body]) : Readable.from(body), cap, createWriteStream(path));
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
    const columns: Record<string, unknown[]> = Object.create(null) as Record<string, unknown[]>; // a column named __proto__ stays a column
    for (const n of names) columns[n] = new Array<unknown>(rows).fill(null);
    try {
      await parquetRead({
        file,
        metadata,
        parsers: PARSERS,
        onChunk: ({ columnName, columnData, rowStart }) => {
          const target = columns[columnName];
          const eventTime = columnName === EVENT_TIMESTAMP;
          for (let i = 0; i < columnData.length; i++) target[rowStart + i] = plain(columnData[i], eventTime, columnName);
        },
      });
    } catch (e) {
      if (e instanceof FeaturesError) throw e;
      throw invalid(`body is not a valid Parquet file: ${(e as Error).message}`, [{ field: '(body)', reason: 'unreadable Parquet file' }]);
    }
    return columns;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
