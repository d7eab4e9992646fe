import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ schema: 'tessera', name: 'use_cases' })
export class UseCaseEntity {
  @PrimaryColumn('text') name!: string;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('text', { nullable: true }) purpose!: string | null;
  @Column('jsonb') consumer!: { team?: string; dataProduct?: string; model?: string };
  @Column('jsonb', { name: 'data_products' }) dataProducts!: { id: string; outputPort?: string }[];
  @Column('jsonb') spec!: Record<string, unknown>;
  @Column('text', { name: 'content_hash' }) contentHash!: string;
  @Column('text', { name: 'source_file', nullable: true }) sourceFile!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
