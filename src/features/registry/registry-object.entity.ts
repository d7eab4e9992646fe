import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type RegistryKind = 'Entity' | 'FeatureView' | 'FeatureService' | 'Model' | 'StreamSource';

/** A tessera/v1 registry document as applied; the features module gives these their meaning. */
@Entity({ schema: 'tessera', name: 'registry_objects' })
export class RegistryObjectEntity {
  @PrimaryColumn('text') kind!: RegistryKind;
  @PrimaryColumn('text') name!: string;
  @PrimaryColumn('text') version!: string;
  @Column('jsonb') spec!: Record<string, unknown>;
  @Column('jsonb') normalized!: Record<string, unknown>;
  @Column('text', { name: 'content_hash' }) contentHash!: string;
  @Column('text', { name: 'source_file', nullable: true }) sourceFile!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
