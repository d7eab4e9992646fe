import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { ReadRouter } from '../../common/database/read-router';
import { ContractVersionEntity, DataContractEntity } from '../entities/data-contract.entity';
import { DataProductEntity } from '../entities/data-product.entity';
import { DomainEntity } from '../entities/domain.entity';
import { GlossaryTermEntity } from '../entities/glossary-term.entity';
import { InputPortEntity, OutputPortEntity } from '../entities/port.entity';
import { UseCaseEntity } from '../entities/use-case.entity';
import { explainMatches, FacetRow, facetCounts, SearchMatchRow, toAnyPrefixQuery } from './search-explain';
import { toPrefixQuery } from './search-index';

export interface ProductFilter {
  search?: string;
  domain?: string;
  tags?: string[];
  status?: string;
  type?: string;
}

export interface SearchPage {
  rows: (DataProductEntity & { rank: number })[];
  total: number;
  /** Why each product of the page matched (empty without a search). */
  matches: SearchMatchRow[];
  /** Domain, status, type and tag counts over the whole filtered set. */
  facets: FacetRow[];
}

export interface LineageEdgeRow {
  upstream: string | null;
  downstream: string;
  contract_id: string;
  output_port: string | null;
  input_port: string;
}

/** Read side of the catalog: search, products with ports, contracts and history, lineage edges. */
@Injectable()
export class CatalogRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly reads: ReadRouter,
  ) {}

  /** A heavy read: on the read replica when one is configured and has caught up (ADR 0031). */
  searchProducts(f: ProductFilter, limit: number, offset: number): Promise<SearchPage> {
    return this.reads.read((ds) => this.search(ds, f, limit, offset));
  }

  private async search(ds: DataSource, f: ProductFilter, limit: number, offset: number): Promise<SearchPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown): void => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    const q = f.search ? toPrefixQuery(f.search) : null;
    let rank = '0::real';
    if (q) {
      add((p) => `search @@ to_tsquery('english', ${p})`, q);
      rank = `ts_rank_cd(search, to_tsquery('english', $1))`;
    }
    if (f.domain) add((p) => `domain = ${p}`, f.domain);
    if (f.tags && f.tags.length > 0) add((p) => `tags @> ${p}::text[]`, f.tags);
    if (f.status) add((p) => `status = ${p}`, f.status);
    if (f.type) add((p) => `type = ${p}`, f.type);
    const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await ds.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM tessera.data_products ${whereSql}`, params);
    const ids = await ds.query<{ id: string; rank: number }[]>(
      `SELECT id, ${rank} AS rank FROM tessera.data_products ${whereSql}
       ORDER BY rank DESC, id ASC LIMIT ${Number(limit)} OFFSET ${Number(offset)}`,
      params,
    );
    const products = await ds.getRepository(DataProductEntity).findBy({ id: In(ids.map((r) => r.id)) });
    const byId = new Map(products.map((p) => [p.id, p]));
    const anyQuery = f.search ? toAnyPrefixQuery(f.search) : null;
    const [matches, facets] = await Promise.all([
      anyQuery
        ? explainMatches(
            ds,
            ids.map((r) => r.id),
            anyQuery,
          )
        : Promise.resolve([]),
      facetCounts(ds, whereSql, params),
    ]);
    return { rows: ids.map((r) => Object.assign(byId.get(r.id)!, { rank: Number(r.rank) })), total, matches, facets };
  }

  product(id: string): Promise<DataProductEntity | null> {
    return this.ds.getRepository(DataProductEntity).findOneBy({ id });
  }

  productsByIds(ids: string[]): Promise<DataProductEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.ds.getRepository(DataProductEntity).findBy({ id: In(ids) });
  }

  inputPorts(productIds: string[]): Promise<InputPortEntity[]> {
    return this.ds.getRepository(InputPortEntity).find({ where: { productId: In(productIds) }, order: { productId: 'ASC', position: 'ASC' } });
  }

  outputPorts(productIds: string[]): Promise<OutputPortEntity[]> {
    return this.ds.getRepository(OutputPortEntity).find({ where: { productId: In(productIds) }, order: { productId: 'ASC', position: 'ASC' } });
  }

  contracts(ids: string[]): Promise<DataContractEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.ds.getRepository(DataContractEntity).findBy({ id: In(ids) });
  }

  /** Every contract, or those of one domain, by id. */
  listContracts(domain?: string): Promise<DataContractEntity[]> {
    return this.ds.getRepository(DataContractEntity).find({ where: domain === undefined ? {} : { domain }, order: { id: 'ASC' } });
  }

  contractHistory(id: string): Promise<ContractVersionEntity[]> {
    return this.ds.getRepository(ContractVersionEntity).find({ where: { contractId: id }, order: { seq: 'DESC' } });
  }

  /** The latest applied content of `id` at `version` (a version may be re-applied with PATCH edits). */
  contractAtVersion(id: string, version: string): Promise<ContractVersionEntity | null> {
    return this.ds.getRepository(ContractVersionEntity).findOne({ where: { contractId: id, version }, order: { seq: 'DESC' } });
  }

  domains(): Promise<(DomainEntity & { productCount: number })[]> {
    return this.ds.query(
      `SELECT d.name, d.description, d.team, d.updated_at AS "updatedAt",
              (SELECT count(*)::int FROM tessera.data_products p WHERE p.domain = d.name) AS "productCount"
       FROM tessera.domains d ORDER BY d.name`,
    );
  }

  domain(name: string): Promise<DomainEntity | null> {
    return this.ds.getRepository(DomainEntity).findOneBy({ name });
  }

  glossary(domain?: string, search?: string): Promise<GlossaryTermEntity[]> {
    const qb = this.ds.getRepository(GlossaryTermEntity).createQueryBuilder('g').orderBy('g.domain').addOrderBy('g.term');
    if (domain) qb.andWhere('g.domain = :domain', { domain });
    if (search) {
      qb.andWhere(`(g.term ILIKE :s OR g.definition ILIKE :s OR array_to_string(g.synonyms, ' ') ILIKE :s)`, {
        s: `%${search.replace(/[%_\\]/g, '\\$&')}%`,
      });
    }
    return qb.getMany();
  }

  useCases(): Promise<UseCaseEntity[]> {
    return this.ds.getRepository(UseCaseEntity).find({ order: { name: 'ASC' } });
  }

  /** Edges whose downstream product is in `ids`; upstream is null when no product publishes the contract. */
  upstreamEdges(ids: string[]): Promise<LineageEdgeRow[]> {
    return this.ds.query(
      `SELECT op.product_id AS upstream, ip.product_id AS downstream, ip.contract_id, op.name AS output_port, ip.name AS input_port
       FROM tessera.input_ports ip LEFT JOIN tessera.output_ports op ON op.contract_id = ip.contract_id
       WHERE ip.product_id = ANY ($1) ORDER BY ip.product_id, ip.position`,
      [ids],
    );
  }

  downstreamEdges(ids: string[]): Promise<LineageEdgeRow[]> {
    return this.ds.query(
      `SELECT op.product_id AS upstream, ip.product_id AS downstream, ip.contract_id, op.name AS output_port, ip.name AS input_port
       FROM tessera.output_ports op JOIN tessera.input_ports ip ON ip.contract_id = op.contract_id
       WHERE op.product_id = ANY ($1) ORDER BY ip.product_id, ip.position`,
      [ids],
    );
  }
}
