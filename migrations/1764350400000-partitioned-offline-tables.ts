import { MigrationInterface, QueryRunner } from 'typeorm';
import { convertToPartitioned } from '../src/features/offline/offline-conversion';
import type { PartitionGranularity } from '../src/features/offline/offline-partitioning';
import type { OfflineColumn } from '../src/features/offline/offline-table.entity';

/**
 * Partitioned offline tables (issue 15, ADR 0030): tessera.offline_tables records each table's
 * partition column, partition width and its contract's retention, and every existing table with a
 * NOT NULL timestamp column is converted into a range-partitioned one (copied, in this migration's
 * transaction). The width is TESSERA_OFFLINE_PARTITION_GRANULARITY's (month by default); `none`
 * converts nothing. The retention column is filled by the next apply of each product.
 */
export class PartitionedOfflineTables1764350400000 implements MigrationInterface {
  name = 'PartitionedOfflineTables1764350400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tessera.offline_tables ADD COLUMN partition_column text, ADD COLUMN partition_granularity text, ADD COLUMN retention_seconds double precision`);
    await q.query(`ALTER TABLE tessera.offline_tables ADD CONSTRAINT offline_tables_partition_granularity_check CHECK (partition_granularity IN ('day', 'week', 'month', 'year'))`);
    const granularity = process.env.TESSERA_OFFLINE_PARTITION_GRANULARITY ?? 'month';
    if (!['day', 'week', 'month', 'year'].includes(granularity)) return;
    const ahead = Number(process.env.TESSERA_OFFLINE_PARTITIONS_AHEAD ?? 2);
    const tables = (await q.query(`SELECT product_id, port, major, schema_name, table_name, columns FROM tessera.offline_tables ORDER BY schema_name, table_name`)) as {
      product_id: string;
      port: string;
      major: number;
      schema_name: string;
      table_name: string;
      columns: OfflineColumn[];
    }[];
    for (const t of tables) {
      const exists = (await q.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [`"${t.schema_name.replace(/"/g, '""')}"."${t.table_name.replace(/"/g, '""')}"`])) as { ok: boolean }[];
      if (!exists[0].ok) continue;
      const spec = await convertToPartitioned(q, {
        table: { schema: t.schema_name, name: t.table_name },
        columns: t.columns,
        granularity: granularity as PartitionGranularity,
        ahead: Number.isInteger(ahead) && ahead >= 0 ? ahead : 2,
        now: new Date(),
      });
      if (spec) {
        await q.query(`UPDATE tessera.offline_tables SET partition_column = $4, partition_granularity = $5 WHERE product_id = $1 AND port = $2 AND major = $3`, [
          t.product_id,
          t.port,
          t.major,
          spec.column,
          spec.granularity,
        ]);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    // Partitioned tables keep working for every statement of the previous version except the ingest's
    // ON CONFLICT (row hash), which needs the unique index to match: converting back is a copy like
    // the one above, not written (no release has ever needed to go back; ADR 0030).
    await q.query(`ALTER TABLE tessera.offline_tables DROP COLUMN partition_column, DROP COLUMN partition_granularity, DROP COLUMN retention_seconds`);
  }
}
