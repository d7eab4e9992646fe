import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { TeamJson } from './domain.entity';

export const PRODUCT_STATUSES = ['proposed', 'draft', 'active', 'deprecated', 'retired'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];
export const PRODUCT_TYPES = ['sourceAligned', 'aggregate', 'consumerAligned'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

export interface SupportChannelJson {
  channel: string;
  url: string | null;
  tool: string | null;
  scope: string | null;
}

@Entity({ schema: 'tessera', name: 'data_products' })
export class DataProductEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('text') domain!: string;
  @Column('text') status!: ProductStatus;
  @Column('text', { nullable: true }) version!: string | null;
  @Column('text', { nullable: true }) type!: ProductType | null;
  @Column('text', { nullable: true }) purpose!: string | null;
  @Column('text', { nullable: true }) limitations!: string | null;
  @Column('text', { nullable: true }) usage!: string | null;
  @Column('text', { array: true }) tags!: string[];
  @Column('jsonb', { nullable: true }) team!: TeamJson | null;
  @Column('jsonb') support!: SupportChannelJson[];
  @Column('jsonb') spec!: Record<string, unknown>;
  @Column('text', { name: 'content_hash' }) contentHash!: string;
  @Column('text', { name: 'source_file', nullable: true }) sourceFile!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
