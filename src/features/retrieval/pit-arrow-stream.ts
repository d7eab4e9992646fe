import { AsyncByteQueue, RecordBatchStreamWriter, Schema } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';

/**
 * A sink that only collects: the writer's default sink is an unbounded queue read asynchronously
 * (and its Node duplex acknowledges writes at once), which would let a fast database outrun a slow
 * client and buffer the whole result. Collecting per batch and handing the bytes to a pull-based
 * generator keeps one record batch in flight.
 */
class CollectingSink extends AsyncByteQueue {
  private parts: Uint8Array[] = [];
  private size = 0;

  // The writer only ever hands us Uint8Array views (it converts before writing to its sink).
  override write(value: Parameters<AsyncByteQueue['write']>[0]): void {
    const bytes = value as Uint8Array;
    if (bytes.byteLength === 0) return;
    this.parts.push(bytes);
    this.size += bytes.byteLength;
  }

  /** The bytes written since the last take, copied out (batch buffers are views the writer may reuse). */
  take(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    this.parts = [];
    this.size = 0;
    return out;
  }
}

/**
 * Arrow IPC stream bytes for a schema and its record batches: the schema message first, one message
 * per batch as it arrives, then the end-of-stream marker. Pulled lazily, so wrapping it in
 * `Readable.from` gives a response stream with backpressure all the way to the database cursor.
 */
export async function* arrowIpcStream(schema: Schema, batches: AsyncIterable<RecordBatch>): AsyncGenerator<Uint8Array> {
  const sink = new CollectingSink();
  const writer = new RecordBatchStreamWriter({ autoDestroy: true });
  writer.reset(sink as never, schema); // writes the schema message now: a result with no batches is still a valid stream
  yield sink.take();
  for await (const batch of batches) {
    writer.write(batch);
    yield sink.take();
  }
  writer.finish();
  yield sink.take();
}
