import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ schema: 'tessera', name: 'input_ports' })
export class InputPortEntity {
  @PrimaryColumn('text', { name: 'product_id' }) productId!: string;
  @PrimaryColumn('text') name!: string;
  @PrimaryColumn('text') version!: string;
  @Column('int') position!: number;
  @Column('text', { name: 'contract_id' }) contractId!: string;
}

@Entity({ schema: 'tessera', name: 'output_ports' })
export class OutputPortEntity {
  @PrimaryColumn('text', { name: 'product_id' }) productId!: string;
  @PrimaryColumn('text') name!: string;
  @PrimaryColumn('text') version!: string;
  @Column('int') position!: number;
  @Column('text', { nullable: true }) type!: string | null;
  @Column('text', { name: 'contract_id', nullable: true }) contractId!: string | null;
  @Column('boolean', { name: 'contains_pii' }) containsPii!: boolean;
  @Column('boolean', { name: 'auto_approve' }) autoApprove!: boolean;
  @Column('text', { nullable: true }) description!: string | null;
}
