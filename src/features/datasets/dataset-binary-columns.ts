import { quoteIdent } from '../offline/offline-naming';
import type { WireType } from './pg-binary-batch';
import type { DatasetColumn } from './training-dataset';

/**
 * What the binary export selects for each stored column, and how its bytes are decoded. Every column
 * is cast to one of a few wire types so the decoder stays small; each cast yields exactly the value the
 * text path (and so the retrieval's own answer) gives for that column:
 * - `number` from float8 as is; from real via its text (real's shortest text, read as a double, is
 *   what the text path yields, not the widened float); from anything else by a plain cast;
 * - `json` (a passed-through column of mixed kinds): JSON strings unquoted, anything else its JSON text.
 */
export function binaryExportColumns(columns: readonly DatasetColumn[], storedTypes: ReadonlyMap<string, string>): { select: string[]; wires: WireType[] } {
  const select: string[] = [];
  const wires: WireType[] = [];
  for (const c of columns) {
    const col = quoteIdent(c.name);
    const stored = storedTypes.get(c.name);
    const [expr, wire] = ((): [string, WireType] => {
      if (c.role === 'timestamp') return [`${col}::timestamptz`, 'timestamptz'];
      switch (c.logicalType) {
        case 'integer':
          return [`${col}::int8`, 'int8'];
        case 'number':
          return [stored === 'double precision' ? col : stored === 'real' ? `${col}::text::float8` : `${col}::float8`, 'float8'];
        case 'boolean':
          return [`${col}::bool`, 'bool'];
        case 'timestamp':
          return [`${col}::timestamptz`, 'timestamptz'];
        case 'date':
          return [`${col}::date`, 'date'];
        case 'json':
          return [`CASE WHEN left(${col}::text, 1) = '"' THEN (${col}::text)::jsonb #>> '{}' ELSE ${col}::text END`, 'text'];
        default:
          return [`${col}::text`, 'text'];
      }
    })();
    select.push(expr);
    wires.push(wire);
  }
  return { select, wires };
}
