import { Injectable } from '@nestjs/common';
import { CatalogFactsQuery, OutputPortFacts } from '../../catalog/query/catalog-facts.query';
import { OfflineTablesQuery } from '../../features/offline/offline-tables.query';

/** A table output port as the access gate sees it: whose it is, and which of its columns are personal data. */
export interface TablePort {
  productId: string;
  port: string;
  domain: string;
  containsPii: boolean;
  piiColumns: Set<string>;
}

/**
 * The ports agreements are about, read through the catalog's and the offline store's query
 * interfaces (never their tables, ADR 0021).
 */
@Injectable()
export class AgreementPorts {
  constructor(
    private readonly catalog: CatalogFactsQuery,
    private readonly offline: OfflineTablesQuery,
  ) {}

  /** A product's output port: its domain, PII flag and auto-approval; null when there is no such port. */
  port(productId: string, port: string): Promise<OutputPortFacts | null> {
    return this.catalog.outputPort(productId, port);
  }

  /**
   * Source port of each offline table (`schema.table`), with the port's domain, PII flag and the
   * table columns its contract classifies as personal or restricted.
   */
  async tablePorts(): Promise<Map<string, TablePort>> {
    const tables = await this.offline.all();
    const pii = new Map((await this.catalog.outputPorts()).map((p) => [`${p.productId}\u0000${p.port}`, p.containsPii]));
    const personal = await this.catalog.personalProperties([...new Set(tables.map((t) => t.contractId))]);
    return new Map(
      tables.map((t) => [
        `${t.schema}.${t.table}`,
        { productId: t.productId, port: t.port, domain: t.domain, containsPii: pii.get(`${t.productId}\u0000${t.port}`) ?? false, piiColumns: personal.get(t.contractId) ?? new Set<string>() },
      ]),
    );
  }
}
