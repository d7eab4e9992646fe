import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { OfflineTableEntity } from '../offline/offline-table.entity';

/** What a check decided about one ingest, inside its transaction (after the rows are inserted). */
export interface IngestCheckVerdict {
  /** Answer this error instead of committing: the transaction is rolled back first, nothing is stored. */
  reject?: Error;
  /** Merged into the ingest response when the rows are stored (e.g. `{ quality: ... }`). */
  report?: Record<string, unknown>;
  /** Called once the transaction has ended, committed or not: record results outside it. Never throws. */
  settle?(committed: boolean): Promise<void>;
}

/** A check bound to one table, run on the ingest's own connection before COMMIT. */
export type IngestCheckRun = (client: PoolClient, inserted: number) => Promise<IngestCheckVerdict>;

/** Another module's check of ingested rows (e.g. data quality rules). */
export interface IngestCheck {
  /**
   * Called before the ingest transaction starts (so catalog reads do not lengthen the table's lock);
   * null when there is nothing to check for this table.
   */
  prepare(table: OfflineTableEntity): Promise<IngestCheckRun | null>;
}

/**
 * Registry the offline store exposes so modules that depend on it (quality) can join the ingest
 * transaction without a circular import: they register on module init.
 */
@Injectable()
export class IngestChecks {
  private readonly list: IngestCheck[] = [];

  register(check: IngestCheck): void {
    if (!this.list.includes(check)) this.list.push(check);
  }

  /** One run combining every registered check of the table; null when none applies. */
  async prepare(table: OfflineTableEntity): Promise<IngestCheckRun | null> {
    const runs = (await Promise.all(this.list.map((c) => c.prepare(table)))).filter((r): r is IngestCheckRun => r !== null);
    if (runs.length === 0) return null;
    return async (client, inserted) => {
      const verdicts: IngestCheckVerdict[] = [];
      for (const run of runs) verdicts.push(await run(client, inserted));
      return {
        reject: verdicts.find((v) => v.reject)?.reject,
        report: Object.assign({}, ...verdicts.map((v) => v.report ?? {})) as Record<string, unknown>,
        settle: async (committed) => {
          for (const v of verdicts) await v.settle?.(committed);
        },
      };
    };
  }
}
