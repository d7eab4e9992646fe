/**
 * Iterates `source` one item ahead: while the consumer works on item n, item n + 1 is already being
 * produced (a database FETCH overlapping a Redis write). At most two items are alive at once, so a
 * chunked source stays bounded. Stopping early (break, throw) waits for the item in flight, then
 * closes the source so its cleanup (closing a cursor, releasing a connection) still runs.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  let finished = false;
  try {
    for (;;) {
      const r = await next;
      if (r.done) {
        finished = true;
        return;
      }
      next = it.next();
      yield r.value;
    }
  } finally {
    if (!finished) {
      // The source failed, or the consumer stopped: settle the fetch in flight, then close the source.
      const sourceEnded = await next.then(
        (r) => r.done === true,
        () => true,
      );
      if (!sourceEnded) await it.return?.(undefined);
    }
  }
}
