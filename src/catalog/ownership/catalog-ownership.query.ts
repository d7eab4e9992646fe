import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The catalog's answer to "which domain owns this?", for other modules (authorization, the model
 * registry). They ask here instead of reading the catalog's tables. Methods take an optional
 * EntityManager so a caller inside an apply transaction sees what that apply wrote.
 */
@Injectable()
export class CatalogOwnershipQuery {
  constructor(private readonly ds: DataSource) {}

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
