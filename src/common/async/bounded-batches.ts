import { setTimeout as sleep } from 'node:timers/promises';

const TIMED_OUT: unique symbol = Symbol('timed out');

export interface BoundedBatchOptions<T> {
  /** Most items per batch. */
  max: number;
  /** Longest wait, from a batch's first item, before it is flushed unfilled. */
  waitMs: number;
  /** Checked before each item: false ends the loop (the batch being filled is flushed first). */
  running: () => boolean;
  flush: (batch: T[]) => Promise<void>;
}

/**
 * Reads `source` into batches bounded by size and by time (a stream source's rows, on-demand
 * prediction requests) and hands each to `flush`, one at a time. `filling` is the batch being filled:
 * the caller owns the array, so when `flush` or the source throws it still holds the items not yet
 * flushed (to give back to the broker). A pending read is kept across a timeout, never dropped.
 */
export async function drainInBoundedBatches<T>(source: AsyncIterable<T>, o: BoundedBatchOptions<T>, filling: T[]): Promise<void> {
  const it = source[Symbol.asyncIterator]();
  const flush = async () => {
    const batch = filling.slice();
    await o.flush(batch);
    filling.splice(0, batch.length);
  };
  let next: Promise<IteratorResult<T>> | null = null;
  let deadline = 0;
  while (o.running()) {
    next ??= it.next();
    const r = filling.length === 0 ? await next : await Promise.race([next, sleep(Math.max(0, deadline - Date.now())).then((): typeof TIMED_OUT => TIMED_OUT)]);
    if (r === TIMED_OUT) {
      await flush();
      continue;
    }
    next = null;
    if (r.done) break;
    if (filling.length === 0) deadline = Date.now() + o.waitMs;
    filling.push(r.value);
    if (filling.length >= o.max) await flush();
  }
  if (filling.length > 0) await flush();
}
