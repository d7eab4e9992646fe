import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export interface TeamJson {
  name: string | null;
  description: string | null;
  members: { username: string; name: string | null; role: string | null }[];
}

@Entity({ schema: 'tessera', name: 'domains' })
export class DomainEntity {
  @PrimaryColumn('text') name!: string;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('jsonb', { nullable: true }) team!: TeamJson | null;
  @Column('jsonb', { nullable: true }) spec!: Record<string, unknown> | null;
  @Column('text', { name: 'content_hash', nullable: true }) contentHash!: string | null;
  @Column('text', { name: 'source_file', nullable: true }) sourceFile!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
