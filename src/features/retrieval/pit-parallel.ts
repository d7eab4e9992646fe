import type { EntityFrame } from './pit-entity-frame';
import type { PitSql } from './pit-plan';
import type { PitChunk } from './pit-request';
import { PgPool, runSlice } from './pit-slice-runner';

/**
 * Reads a generator ahead by up to `depth` items on its own, so several database connections work
 * at once while the consumer takes their chunks in turn; the bound keeps memory at
 * workers × depth × chunk.
 */
class Prefetcher<T> {
  private readonly buffer: Promise<IteratorResult<T>>[] = [];
  private done = false;

  constructor(
    private readonly source: AsyncGenerator<T>,
    private readonly depth: number,
  ) {
    this.fill();
  }

  private fill(): void {
    while (!this.done && this.buffer.length < this.depth) {
      const next = this.source.next();
      next.then(
        (r) => (this.done ||= r.done === true),
        () => (this.done = true),
      );
      this.buffer.push(next);
    }
  }

  async next(): Promise<IteratorResult<T>> {
    const head = this.buffer.shift() ?? Promise.resolve({ done: true, value: undefined } as IteratorResult<T>);
    const r = await head;
    this.fill();
    return r;
  }

  /** Stops the source after its pending reads settle (a running generator cannot be returned). */
  async close(): Promise<void> {
    this.done = true;
    await Promise.allSettled(this.buffer.splice(0));
    await this.source.return(undefined).catch(() => undefined);
  }
}

/**
 * The retrieval split over `workers` connections that share one snapshot (worker 0 exports it with
 * pg_export_snapshot(), the others SET TRANSACTION SNAPSHOT), so all of them see exactly the data
 * a single query would. Rows are dealt round-robin in blocks of `chunkRows`: worker w loads blocks
 * w, w+N, ...; each FETCH returns exactly one block, and the blocks are re-merged in request order.
 * PostgreSQL cannot parallelise the query itself, because parallel workers cannot read temp tables.
 */
export async function* runParallel(pool: PgPool, frame: EntityFrame, plan: (temp: string) => PitSql, featureCount: number, chunkRows: number, workers: number): AsyncGenerator<PitChunk> {
  const blocks = Math.ceil(frame.rowCount / chunkRows);
  const n = Math.max(1, Math.min(workers, blocks));
  let resolveId!: (id: string) => void;
  let rejectId!: (e: unknown) => void;
  const snapshot = new Promise<string>((res, rej) => ((resolveId = res), (rejectId = rej)));
  snapshot.catch(() => undefined);
  let importsLeft = n - 1;
  let allImported!: () => void;
  const imported = new Promise<void>((res) => (allImported = res));
  if (importsLeft === 0) allImported();
  const onImported = () => {
    if (--importsLeft === 0) allImported();
  };

  const sources = Array.from({ length: n }, (_, w) => {
    const rows = blockRows(frame.rowCount, chunkRows, w, n);
    const gen =
      w === 0
        ? guardExporter(runSlice(pool, frame, plan, rows, featureCount, { chunkRows, exportSnapshot: resolveId, holdCommitUntil: imported }), rejectId)
        : runSlice(pool, frame, plan, rows, featureCount, { chunkRows, importSnapshot: snapshot, onImported });
    return new Prefetcher(gen, 2);
  });
  try {
    for (let b = 0; b < blocks; b++) {
      const r = await sources[b % n].next();
      if (r.done) throw new Error(`parallel point-in-time worker ${b % n} ended before block ${b}`);
      yield r.value;
    }
  } finally {
    rejectId(new Error('retrieval closed'));
    await Promise.all(sources.map((s) => s.close()));
  }
}

/** If the exporting worker fails before exporting, the importers must not wait forever. */
async function* guardExporter(gen: AsyncGenerator<PitChunk>, reject: (e: unknown) => void): AsyncGenerator<PitChunk> {
  try {
    yield* gen;
  } catch (e) {
    reject(e);
    throw e;
  }
}

/** Rows of the blocks dealt to worker w of n: blocks w, w + n, w + 2n, ... */
function* blockRows(rowCount: number, chunkRows: number, w: number, n: number): Generator<number> {
  for (let start = w * chunkRows; start < rowCount; start += n * chunkRows) {
    const end = Math.min(rowCount, start + chunkRows);
    for (let i = start; i < end; i++) yield i;
  }
}
