import { InferenceSession, Tensor } from 'onnxruntime-node';
import { concatBlocks, type Feeds, type RowOutputs, rowValues, toTensor } from './feed-block';

interface Pending {
  feeds: Feeds;
  rows: number;
  resolve: (outputs: RowOutputs) => void;
  reject: (err: unknown) => void;
}

/** Upper bound of rows coalesced into one run, so one huge batch cannot starve the event loop. */
export const MAX_COALESCED_ROWS = 4096;

/**
 * Runs one model version's cached session. With micro-batching on (ADR 0011), a request that finds
 * no run in flight runs at once, alone; requests arriving while a run is in flight queue, and all of
 * them go in one `session.run` (concatenated along the batch dimension) as soon as it ends. A lone
 * request therefore never waits, and coalescing happens only under load, where it saves runs.
 */
export class ModelRunner {
  private queue: Pending[] = [];
  private inFlight = false;
  /** Session runs and rows scored, for the benchmark and tests. */
  readonly stats = { runs: 0, rows: 0 };

  constructor(
    readonly session: InferenceSession,
    private readonly microbatch: boolean,
  ) {}

  run(feeds: Feeds, rows: number): Promise<RowOutputs> {
    if (!this.microbatch || rows >= MAX_COALESCED_ROWS) return this.runDirect(feeds, rows);
    return new Promise<RowOutputs>((resolve, reject) => {
      this.queue.push({ feeds, rows, resolve, reject });
      if (!this.inFlight) this.flush();
    });
  }

  private async runDirect(feeds: Feeds, rows: number): Promise<RowOutputs> {
    const out = await this.exec(feeds);
    return rowValues(out, rows, 0, rows);
  }

  private async exec(feeds: Feeds): Promise<Record<string, Tensor>> {
    const tensors: Record<string, Tensor> = {};
    for (const [name, block] of Object.entries(feeds)) tensors[name] = toTensor(block);
    this.stats.runs++;
    this.stats.rows += Object.values(feeds)[0]?.dims[0] ?? 0;
    return await this.session.run(tensors);
  }

  /** Starts one run with everything queued (up to MAX_COALESCED_ROWS); the next starts when it ends. */
  private flush(): void {
    if (this.queue.length === 0) return;
    let rows = 0;
    let take = 0;
    while (take < this.queue.length && (take === 0 || rows + this.queue[take].rows <= MAX_COALESCED_ROWS)) rows += this.queue[take++].rows;
    const batch = this.queue.splice(0, take);
    this.inFlight = true;
    const done = batch.length === 1 ? this.runDirect(batch[0].feeds, batch[0].rows).then(batch[0].resolve, batch[0].reject) : this.runCoalesced(batch);
    void done.finally(() => {
      this.inFlight = false;
      this.flush();
    });
  }

  private async runCoalesced(batch: Pending[]): Promise<void> {
    const total = batch.reduce((n, p) => n + p.rows, 0);
    let out: Record<string, Tensor>;
    try {
      const feeds: Feeds = {};
      for (const n of Object.keys(batch[0].feeds)) feeds[n] = concatBlocks(batch.map((p) => p.feeds[n]));
      out = await this.exec(feeds);
    } catch {
      // One request's inputs should not fail the others: run each on its own and let each fail alone.
      await Promise.all(batch.map((p) => this.runDirect(p.feeds, p.rows).then(p.resolve, p.reject)));
      return;
    }
    let from = 0;
    for (const p of batch) {
      p.resolve(rowValues(out, total, from, p.rows));
      from += p.rows;
    }
  }
}
