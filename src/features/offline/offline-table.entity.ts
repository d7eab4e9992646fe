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
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
