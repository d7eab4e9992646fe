import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CatalogError, CatalogErrorCode } from '../../catalog/catalog-error';
import { CatalogQueryService } from '../../catalog/discovery/catalog-query.service';

export interface CatalogOutputPort {
  name: string;
  version: string;
  type: string | null;
  contractId: string | null;
}

/**
 * Output ports as the catalog knows them, through the catalog's exported query service (never its
 * tables). Only consulted when a port has no offline table, to tell "no such port" (404) from "port
 * without rows storage" (409); the ingest hot path reads tessera.offline_tables alone.
 *
 * Resolved lazily through ModuleRef because CatalogModule imports FeaturesModule: a constructor
 * dependency the other way would be a module cycle.
 */
@Injectable()
export class OutputPortDirectory {
  constructor(private readonly moduleRef: ModuleRef) {}

  /** The product's output ports named `port` (one per major version); null when the product is unknown. */
  async ports(productId: string, port: string): Promise<CatalogOutputPort[] | null> {
    let catalog: CatalogQueryService;
    try {
      catalog = this.moduleRef.get(CatalogQueryService, { strict: false });
    } catch {
      return null; // catalog not loaded (e.g. a features-only context): every missing table is a 404
    }
    try {
      const product = await catalog.product(productId);
      return product.outputPorts.filter((p) => p.name === port).map((p) => ({ name: p.name, version: p.version, type: p.type, contractId: p.contractId }));
    } catch (e) {
      if (e instanceof CatalogError && e.code === CatalogErrorCode.DATA_PRODUCT_NOT_FOUND) return null;
      throw e;
    }
  }
}
