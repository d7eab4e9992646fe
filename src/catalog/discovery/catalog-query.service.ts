import { Injectable } from '@nestjs/common';
import type { NormalizedContract } from '../contracts/documents/normalized-types';
import { CatalogError, CatalogErrorCode } from '../catalog-error';
import { DataContractEntity } from '../entities/data-contract.entity';
import { DataProductEntity } from '../entities/data-product.entity';
import { DataContractModel } from '../graphql/data-contract.model';
import { DataProductConnectionModel, DataProductFacetsModel, DataProductModel, ProductStatusGql, ProductTypeGql, SearchMatchFieldGql } from '../graphql/data-product.model';
import type { FacetRow } from './search-explain';
import { CatalogRepository, ProductFilter } from './catalog.repository';

export const MAX_PAGE_SIZE = 100;

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const m = /^offset:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new CatalogError(CatalogErrorCode.INVALID_ARGUMENT, 'after: not a cursor returned by this API');
  return Number(m[1]);
}

export function toContractModel(c: DataContractEntity): DataContractModel {
  const n: NormalizedContract = c.normalized;
  return {
    id: c.id,
    version: c.version,
    status: c.status,
    name: c.name,
    domain: c.domain,
    purpose: n.description?.purpose ?? null,
    schema: (n.schema ?? []).map((o) => ({
      name: o.name,
      physicalName: o.physicalName ?? null,
      physicalType: o.physicalType ?? null,
      businessName: o.businessName ?? null,
      description: o.description ?? null,
      quality: o.quality ?? [],
      properties: (o.properties ?? []).map((p) => ({
        name: p.name,
        physicalName: p.physicalName ?? null,
        logicalType: p.logicalType ?? null,
        physicalType: p.physicalType ?? null,
        required: p.required ?? false,
        unique: p.unique ?? false,
        primaryKey: p.primaryKey ?? false,
        primaryKeyPosition: p.primaryKeyPosition ?? null,
        classification: p.classification ?? null,
        description: p.description ?? null,
        businessName: p.businessName ?? null,
        tags: p.tags ?? [],
        logicalTypeOptions: p.logicalTypeOptions ?? null,
        quality: p.quality ?? [],
      })),
    })),
    slaProperties: (n.slaProperties ?? []).map((s) => ({
      property: s.property,
      value: s.value ?? null,
      unit: s.unit ?? null,
      element: s.element ?? null,
      driver: s.driver ?? null,
      description: s.description ?? null,
    })),
    quality: n.quality ?? [],
    team: n.team ?? null,
    roles: n.roles ?? [],
    support: n.support ?? [],
    tags: n.tags ?? [],
    spec: c.spec,
    sourceFile: c.sourceFile,
    updatedAt: c.updatedAt,
  };
}

function toFacets(rows: FacetRow[]): DataProductFacetsModel {
  const of = (facet: FacetRow['facet']) => rows.filter((r) => r.facet === facet).map((r) => ({ value: r.value, count: r.count }));
  return { domains: of('domain'), statuses: of('status'), types: of('type'), tags: of('tag') };
}

/** Catalog reads shaped for GraphQL: products with their ports and contracts, in few queries. */
@Injectable()
export class CatalogQueryService {
  constructor(private readonly repo: CatalogRepository) {}

  async search(filter: ProductFilter, first = 20, after?: string): Promise<DataProductConnectionModel> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw new CatalogError(CatalogErrorCode.INVALID_ARGUMENT, `first: must be an integer between 1 and ${MAX_PAGE_SIZE}`);
    }
    const offset = after ? decodeCursor(after) + 1 : 0;
    const { rows, total, matches, facets } = await this.repo.searchProducts(filter, first, offset);
    const models = await this.toModels(rows);
    const edges = models.map((node, i) => ({
      node,
      cursor: encodeCursor(offset + i),
      rank: rows[i].rank,
      matches: matches.filter((m) => m.id === node.id).map((m) => ({ field: m.field as SearchMatchFieldGql, value: m.value, term: m.term })),
    }));
    return {
      edges,
      totalCount: total,
      facets: toFacets(facets),
      pageInfo: { hasNextPage: offset + rows.length < total, endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null },
    };
  }

  async product(id: string): Promise<DataProductModel> {
    const p = await this.repo.product(id);
    if (!p) throw new CatalogError(CatalogErrorCode.DATA_PRODUCT_NOT_FOUND, `data product ${id} not found`);
    return (await this.toModels([p]))[0];
  }

  async contract(id: string): Promise<DataContractModel> {
    const [c] = await this.repo.contracts([id]);
    if (!c) throw new CatalogError(CatalogErrorCode.CONTRACT_NOT_FOUND, `data contract ${id} not found`);
    return toContractModel(c);
  }

  async contracts(domain?: string): Promise<DataContractModel[]> {
    return (await this.repo.listContracts(domain)).map(toContractModel);
  }

  private async toModels(products: DataProductEntity[]): Promise<DataProductModel[]> {
    const ids = products.map((p) => p.id);
    if (ids.length === 0) return [];
    const [inputs, outputs] = await Promise.all([this.repo.inputPorts(ids), this.repo.outputPorts(ids)]);
    const contractIds = [...new Set([...inputs.map((i) => i.contractId), ...outputs.flatMap((o) => (o.contractId ? [o.contractId] : []))])];
    const contracts = new Map((await this.repo.contracts(contractIds)).map((c) => [c.id, toContractModel(c)]));
    return products.map((p) => ({
      id: p.id,
      name: p.name,
      domain: p.domain,
      status: p.status as ProductStatusGql,
      version: p.version,
      type: p.type as ProductTypeGql | null,
      description: { purpose: p.purpose, limitations: p.limitations, usage: p.usage },
      tags: p.tags,
      team: p.team,
      support: p.support,
      sourceFile: p.sourceFile,
      spec: p.spec,
      updatedAt: p.updatedAt,
      inputPorts: inputs.filter((i) => i.productId === p.id).map((i) => ({ name: i.name, version: i.version, contractId: i.contractId, contract: contracts.get(i.contractId) ?? null })),
      outputPorts: outputs
        .filter((o) => o.productId === p.id)
        .map((o) => ({
          name: o.name,
          version: o.version,
          type: o.type,
          contractId: o.contractId,
          containsPii: o.containsPii,
          autoApprove: o.autoApprove,
          description: o.description,
          contract: o.contractId ? (contracts.get(o.contractId) ?? null) : null,
        })),
    }));
  }
}
