import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TesseraConfig } from '../../config/tessera-config';
import { ingestLockKey } from '../ingest/offline-ingest.repository';
import { bucketsAhead, PartitionSpec, tableRefOf } from './offline-partitioning';
import { dropPartitionsBefore, ensurePartitions } from './offline-partitions';
import { OfflineTablesRepository } from './offline-tables.repository';

export interface MaintenanceResult {
  table: string;
  created: string[];
  dropped: string[];
}

/**
 * Keeps every partitioned offline table's partitions ahead of the clock and, when enabled, drops
 * partitions past the contract's retention SLA (ADR 0030). Runs at start and every
 * TESSERA_OFFLINE_PARTITION_MAINTENANCE_MS on every replica: each table's work happens under the
 * ingest's advisory lock and is idempotent, so replicas only take turns. No state is cached, so
 * nothing needs invalidating on other replicas (ADR 0018).
 */
@Injectable()
export class OfflinePartitionMaintainer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OfflinePartitions');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly ds: DataSource,
    private readonly tables: OfflineTablesRepository,
    private readonly config: TesseraConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.offlinePartitionMaintenanceMs);
    this.timer.unref();
    void this.tick();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.runOnce().catch((e: Error) => this.logger.warn(`partition maintenance failed: ${e.message}`));
    await this.running;
    this.running = undefined;
  }

  /** One pass over every partitioned table; a table that fails (e.g. a lock timeout) is retried next pass. */
  async runOnce(now = new Date()): Promise<MaintenanceResult[]> {
    const results: MaintenanceResult[] = [];
    for (const entity of await this.tables.all()) {
      const ref = tableRefOf(entity);
      if (!ref.partition) continue;
      const table = { ...ref, partition: ref.partition };
      try {
        results.push(await this.maintain(table, entity.retentionSeconds, now));
      } catch (e) {
        this.logger.warn(`partition maintenance of ${table.schema}.${table.name} failed: ${(e as Error).message}`);
      }
    }
    for (const r of results) if (r.created.length + r.dropped.length > 0) this.logger.log(`${r.table}: created ${r.created.join(', ') || 'none'}; dropped ${r.dropped.join(', ') || 'none'}`);
    return results;
  }

  private maintain(table: { schema: string; name: string; partition: PartitionSpec }, retentionSeconds: number | null, now: Date): Promise<MaintenanceResult> {
    return this.ds.transaction(async (m) => {
      // A DROP waits for ACCESS EXCLUSIVE: never queue behind a long read (and block every reader behind us).
      await m.query(`SET LOCAL lock_timeout = '2s'`);
      await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [ingestLockKey(table)]);
      const created = await ensurePartitions(m, table, bucketsAhead(table.partition, this.config.offlinePartitionsAhead, now));
      const dropped = this.config.offlineRetentionDrop && retentionSeconds !== null ? await dropPartitionsBefore(m, table, new Date(now.getTime() - retentionSeconds * 1000)) : [];
      return { table: `${table.schema}.${table.name}`, created, dropped };
    });
  }
}
