import { Injectable } from '@nestjs/common';
import type { NormalizedSlaProperty } from '../catalog/contracts/documents/normalized-types';
import { CatalogFactsQuery } from '../catalog/query/catalog-facts.query';
import { MaterializationQuery } from '../features/materialization/materialization.query';
import type { OfflineColumn } from '../features/offline/offline-table.entity';
import { EventRange, OfflineTablesQuery } from '../features/offline/offline-tables.query';
import { FeatureRegistryQuery } from '../features/registry/feature-registry.query';
import type { StoredRunSummary } from '../quality/quality-results.repository';
import { QualityRunsQuery } from '../quality/quality-runs.query';

/** A table output port as SLO evaluation sees it: its newest offline table and its contract's SLA. */
export interface MeasuredPort {
  productId: string;
  productStatus: string;
  domain: string;
  port: string;
  schema: string;
  table: string;
  columns: OfflineColumn[];
  tableCreatedAt: Date;
  contractId: string;
  contractVersion: string;
  sla: NormalizedSlaProperty[];
  /** Timestamp columns of the feature views sourced from this table, and the online ones' names. */
  viewTimestampColumns: string[];
  onlineViews: string[];
}

/**
 * What SLOs are measured from, read through the owning modules' query interfaces (catalog, offline
 * store, registry, materialization, data quality), never their tables (ADR 0021).
 */
@Injectable()
export class MeasuredPorts {
  constructor(
    private readonly catalog: CatalogFactsQuery,
    private readonly offline: OfflineTablesQuery,
    private readonly registry: FeatureRegistryQuery,
    private readonly materialization: MaterializationQuery,
    private readonly quality: QualityRunsQuery,
  ) {}

  /** Table ports (newest major each) of catalogued products with a known contract, optionally of one product. */
  async ports(productId?: string): Promise<MeasuredPort[]> {
    const tables = await this.offline.newest(productId);
    const products = await this.catalog.products([...new Set(tables.map((t) => t.productId))]);
    const contracts = await this.catalog.contractSlas([...new Set(tables.map((t) => t.contractId))]);
    const views = await this.registry.viewSources();
    return tables.flatMap((t) => {
      const product = products.get(t.productId);
      const contract = contracts.get(t.contractId);
      if (!product || !contract) return [];
      const mine = views.filter((v) => v.dataProduct === t.productId && v.outputPort === t.port);
      return [
        {
          productId: t.productId,
          productStatus: product.status,
          domain: t.domain,
          port: t.port,
          schema: t.schema,
          table: t.table,
          columns: t.columns,
          tableCreatedAt: t.createdAt,
          contractId: t.contractId,
          contractVersion: contract.version,
          sla: contract.sla,
          viewTimestampColumns: [...new Set(mine.map((v) => v.timestampField).filter((c): c is string => !!c))],
          onlineViews: mine.filter((v) => v.online).map((v) => v.name),
        },
      ];
    });
  }

  /** Newest and oldest value of a timestamp column of the port's table (NULLs when it is empty). */
  eventRange(port: MeasuredPort, column: string): Promise<EventRange> {
    return this.offline.eventRange({ schema: port.schema, table: port.table }, column);
  }

  /** When each online view was last materialized. */
  lastMaterialized(views: string[]): Promise<Map<string, Date>> {
    return this.materialization.lastMaterialized(views);
  }

  /** The latest data-quality run that describes the stored data. */
  latestQualityRun(productId: string, port: string): Promise<StoredRunSummary | null> {
    return this.quality.latestStoredRun(productId, port);
  }
}
