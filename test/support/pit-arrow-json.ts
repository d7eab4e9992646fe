import { Data, DataType, Table, tableFromIPC, Type } from 'apache-arrow';
import { isoOfMicros } from './pit-reference';

/**
 * Reads an Arrow IPC stream back into the JSON shape of `POST /v1/historical-features`, from the raw
 * buffers (Arrow's own getters turn µs timestamps into ms numbers), so Arrow and JSON answers can be
 * compared value for value. `jsonColumns`: Utf8 columns that carry JSON text (object/array features).
 */
export function arrowToJsonColumns(bytes: Uint8Array, jsonColumns: ReadonlySet<string> = new Set()): { columns: Record<string, unknown[]>; table: Table } {
  const table = tableFromIPC(bytes);
  const columns: Record<string, unknown[]> = {};
  for (const field of table.schema.fields) {
    const out: unknown[] = [];
    for (const batch of table.batches) {
      const data = batch.getChild(field.name)!.data[0];
      for (let i = 0; i < data.length; i++) out.push(data.getValid(i) ? value(field.type, data, i, jsonColumns.has(field.name)) : null);
    }
    columns[field.name] = out;
  }
  return { columns, table };
}

function value(type: DataType, data: Data, i: number, json: boolean): unknown {
  const values = data.values as unknown as ArrayLike<number | bigint>;
  switch (type.typeId) {
    case Type.Int: {
      const n = values[i] as bigint;
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
    }
    case Type.Float:
      return values[i];
    case Type.Timestamp:
      return isoOfMicros(Number(values[i]));
    case Type.Date:
      return new Date((values[i] as number) * 86_400_000).toISOString().slice(0, 10);
    case Type.Bool:
      return ((data.values as Uint8Array)[(data.offset + i) >> 3] & (1 << ((data.offset + i) & 7))) !== 0;
    case Type.Utf8: {
      const offsets = data.valueOffsets as Int32Array;
      const text = Buffer.from((data.values as Uint8Array).subarray(offsets[i], offsets[i + 1])).toString('utf8');
      return json ? JSON.parse(text) : text;
    }
    default:
      throw new Error(`unexpected Arrow type ${String(type)}`);
  }
}
