import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ schema: 'tessera', name: 'glossary_terms' })
export class GlossaryTermEntity {
  @PrimaryColumn('text') domain!: string;
  @PrimaryColumn('text') term!: string;
  @Column('text') definition!: string;
  @Column('text', { array: true }) synonyms!: string[];
  @Column('text', { array: true }) products!: string[];
}
