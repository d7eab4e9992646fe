import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { NormalizedSlaProperty } from '../contracts/documents/normalized-types';
import type { ProductStatus } from '../entities/data-product.entity';

/** An output port across its major versions: PII if any version holds PII, auto-approved only if all are. */
export interface OutputPortFacts {
  productId: string;
  port: string;
  domain: string;
  containsPii: boolean;
  autoApprove: boolean;
}

export interface ProductFacts {
  id: string;
  domain: string;
  status: ProductStatus;
}

export interface ContractSla {
  id: string;
  version: string;
  sla: NormalizedSlaProperty[];
}

/** Classifications that make a contract property personal data (masked without PII access). */
const PERSONAL = ['pii', 'restricted', 'sensitive'];

/**
 * The catalog's read interface for other modules (governance, authorization, SLO, the model registry):
 * facts about products, output ports, contracts and which domain owns them, so no other module queries
 * tessera.data_products, output_ports, data_contracts or domains itself (ADR 0021). Ownership methods
 * take an optional EntityManager so a caller inside an apply transaction sees what that apply wrote.
 */
@Injectable()
export class CatalogFactsQuery {
  constructor(private readonly ds: DataSource) {}

  /** One output port (all its versions); null when the product has no such port. */
  async outputPort(productId: string, port: string): Promise<OutputPortFacts | null> {
    return (await this.outputPorts({ productId, port }))[0] ?? null;
  }

  /** Output ports, optionally of one product and name. */
  async outputPorts(filter: { productId?: string; port?: string } = {}): Promise<OutputPortFacts[]> {
    const rows = await this.ds.query<{ product_id: string; name: string; domain: string; pii: boolean; auto: boolean }[]>(
      `SELECT o.product_id, o.name, p.domain, bool_or(o.contains_pii) AS pii, bool_and(o.auto_approve) AS auto
       FROM tessera.output_ports o JOIN tessera.data_products p ON p.id = o.product_id
       WHERE ($1::text IS NULL OR o.product_id = $1) AND ($2::text IS NULL OR o.name = $2)
       GROUP BY o.product_id, o.name, p.domain`,
      [filter.productId ?? null, filter.port ?? null],
    );
    return rows.map((r) => ({ productId: r.product_id, port: r.name, domain: r.domain, containsPii: r.pii, autoApprove: r.auto }));
  }

  /** Domain and status of products by id (all products without ids); unknown ids are absent. */
  async products(ids?: readonly string[]): Promise<Map<string, ProductFacts>> {
    const rows = await this.ds.query<ProductFacts[]>(`SELECT id, domain, status FROM tessera.data_products WHERE $1::text[] IS NULL OR id = ANY($1::text[])`, [ids ?? null]);
    return new Map(rows.map((r) => [r.id, { id: r.id, domain: r.domain, status: r.status }]));
  }

  /** Current version and SLA properties of contracts by id; unknown ids are absent. */
  async contractSlas(ids: readonly string[]): Promise<Map<string, ContractSla>> {
    if (ids.length === 0) return new Map();
    const rows = await this.ds.query<ContractSla[]>(`SELECT id, version, COALESCE(normalized->'slaProperties', '[]'::jsonb) AS sla FROM tessera.data_contracts WHERE id = ANY($1::text[])`, [ids]);
    return new Map(rows.map((r) => [r.id, { id: r.id, version: r.version, sla: r.sla }]));
  }

  /** Per contract: the names of its properties classified pii, restricted or sensitive (contracts without any are absent). */
  async personalProperties(contractIds: readonly string[]): Promise<Map<string, Set<string>>> {
    if (contractIds.length === 0) return new Map();
    const rows = await this.ds.query<{ id: string; names: string[] }[]>(
      `SELECT c.id, array_agg(DISTINCT prop->>'name') AS names
       FROM tessera.data_contracts c, jsonb_array_elements(c.normalized->'schema') obj, jsonb_array_elements(obj->'properties') prop
       WHERE c.id = ANY($1::text[]) AND lower(prop->>'classification') = ANY($2::text[])
       GROUP BY c.id`,
      [contractIds, PERSONAL],
    );
    return new Map(rows.map((r) => [r.id, new Set(r.names)]));
  }

  /** Domain of each product in the catalog (unknown ids are absent). */
  async productDomains(ids: readonly string[], m: EntityManager = this.ds.manager): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; domain: string }[] = await m.query(`SELECT id, domain FROM tessera.data_products WHERE id = ANY($1::text[])`, [[...new Set(ids)]]);
    return new Map(rows.map((r) => [r.id, r.domain]));
  }

  /** Domains of each contract: its own `domain`, and those of the products exposing it on an output port. */
  async contractDomains(ids: readonly string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    if (ids.length === 0) return out;
    const rows: { contract_id: string; domain: string }[] = await this.ds.query(
      `SELECT DISTINCT o.contract_id, p.domain FROM tessera.output_ports o JOIN tessera.data_products p ON p.id = o.product_id WHERE o.contract_id = ANY($1::text[])
       UNION SELECT id, domain FROM tessera.data_contracts WHERE id = ANY($1::text[]) AND domain IS NOT NULL`,
      [[...new Set(ids)]],
    );
    for (const r of rows) (out.get(r.contract_id) ?? out.set(r.contract_id, new Set()).get(r.contract_id)!).add(r.domain);
    return out;
  }

  /** The domains of this list that the catalog knows (a Domain document was applied). */
  async knownDomains(names: readonly string[], m: EntityManager = this.ds.manager): Promise<Set<string>> {
    if (names.length === 0) return new Set();
    const rows: { name: string }[] = await m.query(`SELECT name FROM tessera.domains WHERE name = ANY($1::text[])`, [[...new Set(names)]]);
    return new Set(rows.map((r) => r.name));
  }
}
