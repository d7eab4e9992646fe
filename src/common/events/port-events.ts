import { Injectable, Logger } from '@nestjs/common';

/** Rows landed in a table output port's offline table. */
export interface PortLoaded {
  productId: string;
  port: string;
  rows: number;
  inserted: number;
  via: 'ingest' | 'push' | 'stream';
  at: Date;
}

/** Feature reads that touched offline tables (online serving, historical retrieval). */
export interface TablesRead {
  /** `schema.table` of each source table read. */
  tables: string[];
  /** False only for server-side failures (store or database down, internal errors), not for bad requests. */
  ok: boolean;
}

/** Online views got newer values from a finished materialization job. */
export interface ViewsMaterialized {
  views: string[];
  at: Date;
}

type Listener<E> = (event: E) => void;

/**
 * In-process notifications between bounded contexts that must not depend on each other: the feature
 * store says what happened to a port, SLO evaluation listens. Listeners run synchronously and must
 * not throw or block (they queue their own work); a throwing listener is logged and skipped.
 */
@Injectable()
export class PortEvents {
  private readonly logger = new Logger('PortEvents');
  private readonly loaded: Listener<PortLoaded>[] = [];
  private readonly reads: Listener<TablesRead>[] = [];
  private readonly materializations: Listener<ViewsMaterialized>[] = [];

  onLoaded(listener: Listener<PortLoaded>): void {
    this.loaded.push(listener);
  }

  onTablesRead(listener: Listener<TablesRead>): void {
    this.reads.push(listener);
  }

  onMaterialized(listener: Listener<ViewsMaterialized>): void {
    this.materializations.push(listener);
  }

  viewsMaterialized(event: ViewsMaterialized): void {
    this.emit(this.materializations, event);
  }

  portLoaded(event: PortLoaded): void {
    this.emit(this.loaded, event);
  }

  tablesRead(event: TablesRead): void {
    if (this.reads.length > 0) this.emit(this.reads, event);
  }

  private emit<E>(listeners: Listener<E>[], event: E): void {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.warn(`port event listener failed: ${(err as Error).message}`);
      }
    }
  }
}
