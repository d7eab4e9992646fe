import { FeaturesError, FeaturesErrorCode } from '../features-error';

/** Bytes read past the reader's end (an early stop, or bytes after the end-of-stream marker) before the request is given up. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * The request body for a reader that may stop early, bounded in time.
 *
 * A reader (Arrow's RecordBatchReader) calls return() on its source once it has read what it needs: on
 * a request stream that would destroy the request and with it the socket, so the answer could never be
 * sent. The rest of the body is read and dropped instead (up to MAX_DRAIN_BYTES, then given up).
 *
 * While an upload is read it holds a PostgreSQL connection and an open transaction (the rows are COPYed
 * as they arrive), so a client that stops sending must not hold them for ever: when no bytes arrive for
 * `idleMs`, the read fails with ENTITY_UPLOAD_STALLED (408), the transaction rolls back and the
 * connection goes back to the pool. The stalled request is then left to Node's own request timeout.
 */
export async function* guardBody(body: AsyncIterable<Uint8Array>, idleMs: number): AsyncGenerator<Uint8Array> {
  const it = body[Symbol.asyncIterator]();
  let stalled = false;
  try {
    for (;;) {
      const next = await withIdleTimeout(it.next(), idleMs, () => (stalled = true));
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // A stalled client sends nothing to drain; waiting for it would hold the caller for ever.
    if (!stalled) await drain(it, idleMs);
  }
}

async function drain(it: AsyncIterator<Uint8Array>, idleMs: number): Promise<void> {
  let drained = 0;
  try {
    while (drained <= MAX_DRAIN_BYTES) {
      const next = await withIdleTimeout(it.next(), idleMs, () => undefined);
      if (next.done) break;
      drained += next.value.byteLength;
    }
  } catch {
    // the client went away, or stalled: nothing left to keep
    return;
  }
  if (drained > MAX_DRAIN_BYTES) await it.return?.();
}

function withIdleTimeout<T>(pending: Promise<T>, idleMs: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      pending.catch(() => undefined); // settles whenever the client sends again or goes away
      reject(
        new FeaturesError(FeaturesErrorCode.ENTITY_UPLOAD_STALLED, `no bytes of the entity upload arrived for ${idleMs} ms (TESSERA_ENTITY_UPLOAD_IDLE_MS)`, {
          field: '(body)',
          reason: `no data for ${idleMs} ms`,
        }),
      );
    }, idleMs);
  });
  return Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
}
