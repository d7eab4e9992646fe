import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeFeed } from '../../common/changes/change-feed';
import { parseContractFiles } from '../../catalog/contracts/documents/parse-documents';
import type { RawDocument } from '../../catalog/contracts/documents/raw-document';
import type { DocumentScope, ViewScope } from './resource';
import { TtlCache } from './ttl-cache';

/** Kinds that belong to no single domain; any principal with a domain role may apply them. */
const MESH_LEVEL_KINDS = new Set(['Entity', 'FeatureService', 'UseCase', 'Model']);

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/**
 * The few catalog facts authorization needs (which domain owns a product, a view, a contract), read
 * with small indexed queries and cached briefly: ingest and push sit on write paths, not the online
 * read path, but a bulk loader sends many requests. Ownership changes only by apply (admin or both domains).
 */
@Injectable()
export class ResourceLookup {
  private readonly productDomains = new TtlCache<string | null>(5000, 10_000);

  constructor(
    private readonly ds: DataSource,
    changes: ChangeFeed,
  ) {
    changes.subscribe('products', () => this.productDomains.clear()); // ownership moved by an apply, on any replica
  }

  async productDomain(id: string): Promise<string | null> {
    const hit = this.productDomains.get(id);
    if (hit !== undefined) return hit;
    const rows: { domain: string }[] = await this.ds.query(`SELECT domain FROM tessera.data_products WHERE id = $1`, [id]);
    const domain = rows[0]?.domain ?? null;
    this.productDomains.set(id, domain);
    return domain;
  }

  /** The data product an access agreement is about (null: unknown id). */
  async agreementProduct(id: string): Promise<string | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const rows: { product_id: string }[] = await this.ds.query(`SELECT product_id FROM tessera.access_agreements WHERE id = $1`, [id]);
    return rows[0]?.product_id ?? null;
  }

  /** Domain of each view's source product (null: unknown view or product). */
  async viewDomains(names: string[]): Promise<ViewScope[]> {
    if (names.length === 0) return [];
    const rows: { name: string; domain: string | null }[] = await this.ds.query(
      `SELECT v.name, p.domain FROM tessera.registry_objects v
         LEFT JOIN tessera.data_products p ON p.id = v.spec #>> '{source,dataProduct}'
        WHERE v.kind = 'FeatureView' AND v.name = ANY($1::text[])`,
      [names],
    );
    const byName = new Map(rows.map((r) => [r.name, r.domain]));
    return names.map((name) => ({ name, domain: byName.get(name) ?? null }));
  }

  /** The domains each document of an apply touches: its own, and the current owner's when it moves or changes another's. */
  async documentScopes(files: { path: string; content: string }[]): Promise<DocumentScope[]> {
    const { docs } = parseContractFiles(files);
    const batchProductDomain = new Map<string, string>();
    const batchContractDomains = new Map<string, Set<string>>();
    for (const d of docs) {
      if (d.kind !== 'DataProduct') continue;
      const id = str(d.body.id);
      const domain = str(d.body.domain);
      if (!id || !domain) continue;
      batchProductDomain.set(id, domain);
      for (const port of Array.isArray(d.body.outputPorts) ? d.body.outputPorts : []) {
        const contract = str((port as Record<string, unknown>)?.contractId);
        if (contract) (batchContractDomains.get(contract) ?? batchContractDomains.set(contract, new Set()).get(contract)!).add(domain);
      }
    }
    const productIds = new Set<string>(batchProductDomain.keys());
    const contractIds = new Set<string>();
    for (const d of docs) {
      if (d.kind === 'FeatureView') {
        const p = str((d.body.source as Record<string, unknown> | undefined)?.dataProduct);
        if (p) productIds.add(p);
      }
      if (d.kind === 'DataContract') {
        const c = str(d.body.id);
        if (c) contractIds.add(c);
      }
    }
    const stored = await this.storedDomains([...productIds], [...contractIds]);
    return docs.map((d) => this.scopeOf(d, batchProductDomain, batchContractDomains, stored));
  }

  private scopeOf(d: RawDocument, batchProducts: Map<string, string>, batchContracts: Map<string, Set<string>>, stored: { products: Map<string, string>; contracts: Map<string, Set<string>> }): DocumentScope {
    const name = str(d.body.id) ?? str(d.body.name) ?? '(unnamed)';
    const scope = (domains: (string | null | undefined)[]): DocumentScope => ({
      document: `${d.file}#${d.docIndex}`,
      kind: d.kind,
      name,
      domains: [...new Set(domains.filter((x): x is string => typeof x === 'string' && x.length > 0))].sort(),
    });
    switch (d.kind) {
      case 'DataProduct':
        return scope([str(d.body.domain), stored.products.get(name)]);
      case 'DataContract':
        return scope([str(d.body.domain), ...(batchContracts.get(name) ?? []), ...(stored.contracts.get(name) ?? [])]);
      case 'Domain':
        return scope([name]);
      case 'FeatureView': {
        const p = str((d.body.source as Record<string, unknown> | undefined)?.dataProduct);
        return scope(p ? [batchProducts.get(p), stored.products.get(p)] : []);
      }
      default:
        if (MESH_LEVEL_KINDS.has(d.kind)) return scope([]);
        return { ...scope([]), adminOnly: `${d.kind} documents are mesh-wide` };
    }
  }

  private async storedDomains(productIds: string[], contractIds: string[]): Promise<{ products: Map<string, string>; contracts: Map<string, Set<string>> }> {
    const products = new Map<string, string>();
    const contracts = new Map<string, Set<string>>();
    if (productIds.length > 0) {
      const rows: { id: string; domain: string }[] = await this.ds.query(`SELECT id, domain FROM tessera.data_products WHERE id = ANY($1::text[])`, [productIds]);
      for (const r of rows) products.set(r.id, r.domain);
    }
    if (contractIds.length > 0) {
      const rows: { contract_id: string; domain: string }[] = await this.ds.query(
        `SELECT DISTINCT o.contract_id, p.domain FROM tessera.output_ports o JOIN tessera.data_products p ON p.id = o.product_id WHERE o.contract_id = ANY($1::text[])
         UNION SELECT id, domain FROM tessera.data_contracts WHERE id = ANY($1::text[]) AND domain IS NOT NULL`,
        [contractIds],
      );
      for (const r of rows) (contracts.get(r.contract_id) ?? contracts.set(r.contract_id, new Set()).get(r.contract_id)!).add(r.domain);
    }
    return { products, contracts };
  }
}
