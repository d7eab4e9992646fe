import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { TableRef } from './offline-ddl';
import { OfflineTableEntity } from './offline-table.entity';

export interface PhysicalColumn {
  name: string;
  notNull: boolean;
}

/** tessera.offline_tables and the catalog of the physical tables it points to. */
@Injectable()
export class OfflineTablesRepository {
  constructor(private readonly ds: DataSource) {}

  find(manager: EntityManager, productId: string, port: string, major: number): Promise<OfflineTableEntity | null> {
    return manager.getRepository(OfflineTableEntity).findOneBy({ productId, port, major });
  }

  /** The newest major's table of a port, through the caller's manager (transaction). */
  newest(manager: EntityManager, productId: string, port: string): Promise<OfflineTableEntity | null> {
    return manager.getRepository(OfflineTableEntity).findOne({ where: { productId, port }, order: { major: 'DESC' } });
  }

  /** Every major version of a port's table, newest first. */
  majors(productId: string, port: string): Promise<OfflineTableEntity[]> {
    return this.ds.getRepository(OfflineTableEntity).find({ where: { productId, port }, order: { major: 'DESC' } });
  }

  /** Every port major's table (for checks that visit all of them, e.g. scheduled data quality). */
  all(): Promise<OfflineTableEntity[]> {
    return this.ds.getRepository(OfflineTableEntity).find({ order: { productId: 'ASC', port: 'ASC', major: 'DESC' } });
  }

  /** Schemas of the tables that store a contract's rows (in the caller's transaction: an apply sees its own tables). */
  async schemasOfContract(manager: EntityManager, contractId: string): Promise<string[]> {
    const rows: { schema_name: string }[] = await manager.query(`SELECT DISTINCT schema_name FROM tessera.offline_tables WHERE contract_id = $1 ORDER BY schema_name`, [contractId]);
    return rows.map((r) => r.schema_name);
  }

  async save(manager: EntityManager, row: Omit<OfflineTableEntity, 'createdAt' | 'updatedAt'>): Promise<void> {
    await manager.getRepository(OfflineTableEntity).save(row);
  }

  /** Is this schema.table registered to another port, or present in PostgreSQL at all? */
  async isTaken(manager: EntityManager, t: TableRef): Promise<boolean> {
    const [row] = await manager.query<{ taken: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM tessera.offline_tables WHERE schema_name = $1 AND table_name = $2)
           OR EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2) AS taken`,
      [t.schema, t.name],
    );
    return row.taken === true;
  }

  /** Columns as PostgreSQL has them (the truth when a migration decides what to add or relax). */
  async physicalColumns(manager: EntityManager, t: TableRef): Promise<PhysicalColumn[]> {
    const rows: { name: string; not_null: boolean }[] = await manager.query(
      `SELECT a.attname AS name, a.attnotnull AS not_null
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum`,
      [t.schema, t.name],
    );
    return rows.map((r) => ({ name: r.name, notNull: r.not_null }));
  }
}
