import { parse } from 'csv-parse/sync';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import { MAX_INGEST_ROWS } from './ingest-limits';

function tooMany(): FeaturesError {
  return new FeaturesError(FeaturesErrorCode.TOO_MANY_ROWS, `at most ${MAX_INGEST_ROWS} rows per request; split the upload`);
}

function invalid(message: string, details?: unknown): FeaturesError {
  return new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, message, details);
}

/**
 * One JSON object per line. Blank lines (e.g. a trailing newline) are skipped, so `row` in errors
 * counts objects, not lines; a line that is not a JSON object refuses the body (400) naming its line.
 */
export function parseNdjson(body: string): Record<string, unknown>[] {
  const lines = body.split('\n');
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line.length === 0) continue;
    if (rows.length === MAX_INGEST_ROWS) throw tooMany();
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw invalid(`NDJSON line ${i + 1} is not valid JSON: ${(e as Error).message}`, { line: i + 1 });
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw invalid(`NDJSON line ${i + 1} must be a JSON object of column values`, { line: i + 1 });
    }
    rows.push(value as Record<string, unknown>);
  }
  return rows;
}

/**
 * CSV with a header row naming the columns (RFC 4180 quoting). An empty unquoted field is NULL and a
 * quoted empty field ("") is the empty string, so text columns can carry both.
 */
export function parseCsv(body: string): Record<string, unknown>[] {
  let records: (string | null)[][];
  try {
    records = parse(body, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      cast: (value: string, ctx: { quoting: boolean }) => (value === '' && !ctx.quoting ? null : value),
    });
  } catch (e) {
    throw invalid(`CSV body cannot be parsed: ${(e as Error).message}`);
  }
  if (records.length === 0) return [];
  const header = records[0];
  if (header.some((h) => h === null || h === '')) throw invalid('CSV header has an empty column name');
  const names = header as string[];
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw invalid(`CSV header names column ${JSON.stringify(dup)} twice`);
  if (records.length - 1 > MAX_INGEST_ROWS) throw tooMany();
  const rows = new Array<Record<string, unknown>>(records.length - 1);
  for (let r = 1; r < records.length; r++) {
    // No prototype: a header named __proto__ must stay a (then unknown) column, not reach Object.prototype.
    const row = Object.create(null) as Record<string, unknown>;
    const rec = records[r];
    for (let i = 0; i < names.length; i++) row[names[i]] = rec[i];
    rows[r - 1] = row;
  }
  return rows;
}

export { tooMany as tooManyRowsError, invalid as invalidBodyError };
