import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { NormalizedContract } from '../contracts/documents/normalized-types';
import type { ContractChange } from '../contracts/documents/contract-diff';

@Entity({ schema: 'tessera', name: 'data_contracts' })
export class DataContractEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') version!: string;
  @Column('text') status!: string;
  @Column('text', { nullable: true }) name!: string | null;
  @Column('text', { nullable: true }) domain!: string | null;
  @Column('jsonb') spec!: Record<string, unknown>;
  @Column('jsonb') normalized!: NormalizedContract;
  @Column('text', { name: 'content_hash' }) contentHash!: string;
  @Column('text', { name: 'source_file', nullable: true }) sourceFile!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity({ schema: 'tessera', name: 'contract_versions' })
export class ContractVersionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) seq!: string;
  @Column('text', { name: 'contract_id' }) contractId!: string;
  @Column('text') version!: string;
  @Column('jsonb') normalized!: NormalizedContract;
  @Column('text', { name: 'content_hash' }) contentHash!: string;
  @Column('text') impact!: string;
  @Column('jsonb') changes!: ContractChange[];
  @Column('text', { name: 'source_file', nullable: true }) sourceFile!: string | null;
  @CreateDateColumn({ name: 'applied_at', type: 'timestamptz' }) appliedAt!: Date;
}
