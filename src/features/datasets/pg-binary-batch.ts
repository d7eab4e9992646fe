import { Bool, Data, DateDay, Float64, Int64, makeData, RecordBatch, Schema, Struct, TimestampMicrosecond, Utf8 } from 'apache-arrow';

/**
 * Decodes PostgreSQL's binary COPY format straight into Arrow column buffers: no text, no JavaScript
 * strings, no BigInt per value. This is the export path of training datasets; the decoder only knows
 * the wire types the export's SELECT casts every column to.
 *
 * Wire format (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4): an 11-byte
 * signature, int32 flags, int32 header-extension length (+ extension); then per tuple an int16 field
 * count (-1 ends the data) and per field an int32 length (-1 for NULL) followed by that many bytes,
 * all big-endian.
 */
export type WireType = 'int8' | 'float8' | 'bool' | 'timestamptz' | 'date' | 'text';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** µs between 1970-01-01 and PostgreSQL's epoch 2000-01-01, split in 32-bit halves for carry-safe adds. */
const PG_EPOCH_US = 946_684_800_000_000;
const PG_EPOCH_US_HI = Math.floor(PG_EPOCH_US / 2 ** 32);
const PG_EPOCH_US_LO = PG_EPOCH_US % 2 ** 32;
/** Days between 1970-01-01 and 2000-01-01. */
const PG_EPOCH_DAYS = 10_957;

/** One column of the batch being built: fixed-width values, or UTF-8 bytes plus offsets. */
class ColumnBuilder {
  readonly validity: Uint8Array;
  nullCount = 0;
  /** Fixed-width values (int64 and timestamps as two int32 halves, little-endian). */
  private readonly words: Int32Array | Float64Array | Uint8Array;
  private readonly offsets: Int32Array | null;
  private bytes: Uint8Array;
  private used = 0;

  constructor(
    readonly wire: WireType,
    private readonly capacity: number,
  ) {
    this.validity = new Uint8Array((capacity + 7) >> 3);
    this.offsets = wire === 'text' ? new Int32Array(capacity + 1) : null;
    this.bytes = new Uint8Array(wire === 'text' ? 64 * capacity : 0);
    this.words =
      wire === 'int8' || wire === 'timestamptz' ? new Int32Array(2 * capacity) : wire === 'float8' ? new Float64Array(capacity) : wire === 'bool' ? new Uint8Array((capacity + 7) >> 3) : new Int32Array(capacity);
  }

  /** Appends row `i`'s value from `buf[at, at + len)`; `len` -1 is NULL. */
  put(i: number, buf: Buffer, at: number, len: number): void {
    if (len < 0) {
      this.nullCount++;
      if (this.offsets) this.offsets[i + 1] = this.used;
      return;
    }
    this.validity[i >> 3] |= 1 << (i & 7);
    switch (this.wire) {
      case 'int8': {
        const w = this.words as Int32Array;
        w[2 * i] = buf.readUInt32BE(at + 4) | 0;
        w[2 * i + 1] = buf.readInt32BE(at);
        return;
      }
      case 'timestamptz': {
        // PostgreSQL µs since 2000 → Arrow µs since 1970, added in 32-bit halves with the carry.
        const lo = buf.readUInt32BE(at + 4) + PG_EPOCH_US_LO;
        const w = this.words as Int32Array;
        w[2 * i] = lo | 0;
        w[2 * i + 1] = buf.readInt32BE(at) + PG_EPOCH_US_HI + (lo >= 2 ** 32 ? 1 : 0);
        return;
      }
      case 'float8':
        (this.words as Float64Array)[i] = buf.readDoubleBE(at);
        return;
      case 'bool':
        if (buf[at] !== 0) (this.words as Uint8Array)[i >> 3] |= 1 << (i & 7);
        return;
      case 'date':
        (this.words as Int32Array)[i] = buf.readInt32BE(at) + PG_EPOCH_DAYS;
        return;
      case 'text': {
        if (this.used + len > this.bytes.length) {
          const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.used + len));
          grown.set(this.bytes.subarray(0, this.used));
          this.bytes = grown;
        }
        buf.copy(this.bytes, this.used, at, at + len);
        this.used += len;
        this.offsets![i + 1] = this.used;
        return;
      }
    }
  }

  data(length: number): Data {
    const nullBitmap = this.nullCount > 0 ? this.validity.subarray(0, (length + 7) >> 3) : undefined;
    const common = { length, nullCount: this.nullCount, nullBitmap };
    switch (this.wire) {
      case 'int8':
        return makeData({ type: new Int64(), ...common, data: new BigInt64Array((this.words as Int32Array).buffer, 0, length) });
      case 'timestamptz':
        return makeData({ type: new TimestampMicrosecond('UTC'), ...common, data: new BigInt64Array((this.words as Int32Array).buffer, 0, length) } as never);
      case 'float8':
        return makeData({ type: new Float64(), ...common, data: (this.words as Float64Array).subarray(0, length) });
      case 'bool':
        return makeData({ type: new Bool(), ...common, data: (this.words as Uint8Array).subarray(0, (length + 7) >> 3) });
      case 'date':
        return makeData({ type: new DateDay(), ...common, data: (this.words as Int32Array).subarray(0, length) });
      case 'text':
        return makeData({ type: new Utf8(), ...common, valueOffsets: this.offsets!.subarray(0, length + 1), data: this.bytes.subarray(0, this.used) });
    }
  }
}

/**
 * Turns the byte chunks of one `COPY … TO STDOUT (FORMAT binary)` into record batches of `batchRows`
 * rows of `schema` (whose fields match `wires` one to one). Chunks may split tuples anywhere.
 */
export async function* binaryCopyBatches(chunks: AsyncIterable<Buffer>, schema: Schema, wires: readonly WireType[], batchRows: number): AsyncGenerator<RecordBatch> {
  let pending: Buffer | null = null;
  let headerDone = false;
  let builders = wires.map((w) => new ColumnBuilder(w, batchRows));
  let rows = 0;
  const finish = (): RecordBatch => {
    const children = builders.map((b) => b.data(rows));
    const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children }));
    builders = wires.map((w) => new ColumnBuilder(w, batchRows));
    rows = 0;
    return batch;
  };

  for await (const chunk of chunks) {
    const buf: Buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
    let at = 0;
    if (!headerDone) {
      if (buf.length < 19) {
        pending = buf;
        continue;
      }
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
      at = 19 + buf.readInt32BE(15);
      headerDone = true;
    }
    for (;;) {
      if (at + 2 > buf.length) break;
      const fields = buf.readInt16BE(at);
      if (fields === -1) {
        at += 2;
        break;
      }
      if (fields !== wires.length) throw new Error(`binary COPY tuple has ${fields} fields, expected ${wires.length}`);
      // The whole tuple must be here before any of it is taken.
      let end = at + 2;
      let complete = true;
      for (let f = 0; f < fields; f++) {
        if (end + 4 > buf.length) {
          complete = false;
          break;
        }
        const len = buf.readInt32BE(end);
        end += 4 + (len > 0 ? len : 0);
        if (end > buf.length) {
          complete = false;
          break;
        }
      }
      if (!complete) break;
      let p = at + 2;
      for (let f = 0; f < fields; f++) {
        const len = buf.readInt32BE(p);
        builders[f].put(rows, buf, p + 4, len);
        p += 4 + (len > 0 ? len : 0);
      }
      at = end;
      if (++rows === batchRows) yield finish();
    }
    pending = at < buf.length ? buf.subarray(at) : null;
  }
  if (rows > 0) yield finish();
}
