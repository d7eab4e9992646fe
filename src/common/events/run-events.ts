import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/** What kind of data movement a run is; each becomes an OpenLineage job (ADR 0034). */
export type RunKind = 'ingest' | 'push' | 'stream' | 'materialization' | 'training_dataset' | 'batch_scoring';

/** A column of a dataset as lineage tools show it. */
export interface RunField {
  name: string;
  type: string;
  description?: string;
}

/**
 * A dataset a run read or wrote, named after the mesh (product and port, feature view, training
 * dataset), with the physical place it lives in when there is one.
 */
export interface RunDataset {
  /** Logical name, e.g. `fleet-telemetry.readings` (see the helpers below). */
  name: string;
  /** Where the data physically lives: a `scheme://…` URI (PostgreSQL table, Redis, NATS subject). */
  source?: { name: string; uri: string };
  fields?: RunField[];
  /** Rows this run wrote (outputs) or read (inputs). */
  rowCount?: number;
  /** Nulls per column among the rows the run checked (`checkedRows`). */
  nullCounts?: Record<string, number>;
  checkedRows?: number;
}

export interface RunStarted {
  type: 'START';
  runId: string;
  kind: RunKind;
  /** Job name within the kind, e.g. the port `product.port` or the feature view. */
  job: string;
  at: Date;
  inputs: RunDataset[];
  outputs: RunDataset[];
}

export interface RunEnded {
  type: 'COMPLETE' | 'FAIL';
  runId: string;
  kind: RunKind;
  job: string;
  at: Date;
  inputs: RunDataset[];
  outputs: RunDataset[];
  /** FAIL only: why. */
  error?: string;
}

export type RunTransition = RunStarted | RunEnded;

/** A run in progress: end it exactly once with `complete` or `fail`. */
export interface RunHandle {
  readonly runId: string;
  complete(outputs?: RunDataset[], inputs?: RunDataset[]): void;
  fail(error: unknown): void;
}

type Listener = (event: RunTransition) => void;

const NOOP: RunHandle = { runId: '', complete: () => undefined, fail: () => undefined };

/**
 * Runs of data movements (ingestion, materialization, training-dataset saves, scoring), reported by
 * the modules that do them and heard by lineage (OpenLineage outbox). Like PortEvents, it keeps the
 * feature store free of a dependency on the lineage module; with no listener a run costs nothing.
 */
@Injectable()
export class RunEvents {
  private readonly logger = new Logger('RunEvents');
  private readonly listeners: Listener[] = [];

  onRun(listener: Listener): void {
    this.listeners.push(listener);
  }

  get heard(): boolean {
    return this.listeners.length > 0;
  }

  start(kind: RunKind, job: string, inputs: RunDataset[] = [], outputs: RunDataset[] = []): RunHandle {
    if (this.listeners.length === 0) return NOOP;
    const runId = randomUUID();
    this.emit({ type: 'START', runId, kind, job, at: new Date(), inputs, outputs });
    let ended = false;
    const end = (type: 'COMPLETE' | 'FAIL', outs: RunDataset[], ins: RunDataset[], error?: string) => {
      if (ended) return;
      ended = true;
      this.emit({ type, runId, kind, job, at: new Date(), inputs: ins, outputs: outs, ...(error === undefined ? {} : { error }) });
    };
    return {
      runId,
      complete: (outs = outputs, ins = inputs) => end('COMPLETE', outs, ins),
      fail: (error) => end('FAIL', outputs, inputs, failureText(error)),
    };
  }

  private emit(event: RunTransition): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.warn(`run event listener failed: ${(err as Error).message}`);
      }
    }
  }
}

/** The error's message and, for typed errors, their details (which rows, which fields), bounded. */
function failureText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const details = (error as { details?: unknown }).details;
  return details === undefined ? error.message : `${error.message}: ${JSON.stringify(details).slice(0, 2000)}`;
}

/** Lineage name of a table output port: `<product>.<port>`. */
export function portDataset(productId: string, port: string): string {
  return `${productId}.${port}`;
}

/** Lineage name of a feature view's online values. */
export function featureViewDataset(view: string): string {
  return `feature_views.${view}`;
}

/** Lineage name of a training dataset (all versions: the run says which one it wrote). */
export function trainingDatasetName(name: string): string {
  return `training_datasets.${name}`;
}

/** Nulls per column of rows given as value arrays in column order (as validated ingest rows are). */
export function countNulls(columns: readonly string[], rows: Iterable<{ values: readonly (string | null)[] }>): Record<string, number> {
  const counts = new Array<number>(columns.length).fill(0);
  for (const r of rows) for (let i = 0; i < columns.length; i++) if (r.values[i] === null) counts[i]++;
  return Object.fromEntries(columns.map((c, i) => [c, counts[i]]));
}
