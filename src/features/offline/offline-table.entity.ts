import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { FeatureValueType } from '../registry/resolved-feature-view';

export interface OfflineColumn {
  /** ODCS property name = column name (quoted in SQL). */
  name: string;
  logicalType: FeatureValueType;
  required: boolean;
  unique: boolean;
  primaryKey: boolean;
  logicalTypeOptions: Record<string, unknown> | null;
}

@Entity({ schema: 'tessera', name: 'offline_tables' })
export class OfflineTableEntity {
  @PrimaryColumn('text', { name: 'product_id' }) productId!: string;
  @PrimaryColumn('text') port!: string;
  @PrimaryColumn('int') major!: number;
  @Column('text', { name: 'port_version' }) portVersion!: string;
  @Column('text') domain!: string;
  @Column('text', { name: 'contract_id' }) contractId!: string;
  @Column('text', { name: 'contract_version' }) contractVersion!: string;
  @Column('text', { name: 'schema_name' }) schemaName!: string;
  @Column('text', { name: 'table_name' }) tableName!: string;
  @Column('jsonb') columns!: OfflineColumn[];
  /** Event-time column the table is range-partitioned by (ADR 0030); null: a plain table. */
  @Column('text', { name: 'partition_column', nullable: true }) partitionColumn!: string | null;
  /** Width of one partition, fixed when the table is created: day, week, month or year. */
  @Column('text', { name: 'partition_granularity', nullable: true }) partitionGranularity!: string | null;
  /** The contract's retention SLA in seconds (what partition retention drops past), if it declares one. */
  @Column('double precision', { name: 'retention_seconds', nullable: true }) retentionSeconds!: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
