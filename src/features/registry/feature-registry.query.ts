import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import type { NormalizedFeatureView } from '../../catalog/contracts/documents/normalized-types';
import { FEATURE_REF_PATTERN } from '../../catalog/contracts/documents/tessera-v1.schema';
import { OfflineTableEntity } from '../offline/offline-table.entity';
import { RegistryObjectEntity } from './registry-object.entity';

/** One feature reference of a service, with what the registry knows about it. */
export interface ServiceFeature {
  ref: string;
  view: string;
  feature: string;
  viewFound: boolean;
  inView: boolean;
  /** Logical type of the column in the view's offline table; null when there is no offline table yet. */
  type: string | null;
}

export interface FeatureServiceFacts {
  name: string;
  features: ServiceFeature[];
  /** Source data products of the service's views that are registered (a model's domain derives from their owners). */
  sourceProducts: string[];
}

/** Where a feature view reads from, and whether it is served online. */
export interface FeatureViewSource {
  name: string;
  dataProduct: string;
  outputPort: string;
  timestampField: string | null;
  online: boolean;
}

/**
 * The feature registry's read interface for other modules (scoring, SLOs, authorization), so none of them queries
 * tessera.registry_objects or tessera.offline_tables itself (ADR 0021).
 */
@Injectable()
export class FeatureRegistryQuery {
  constructor(private readonly ds: DataSource) {}

  /** Every feature view's source port, event-time field and online flag. */
  async viewSources(): Promise<FeatureViewSource[]> {
    const rows = await this.ds.getRepository(RegistryObjectEntity).findBy({ kind: 'FeatureView' });
    return rows.map((r) => {
      const v = r.normalized as unknown as Partial<NormalizedFeatureView>;
      return { name: r.name, dataProduct: v.source?.dataProduct ?? '', outputPort: v.source?.outputPort ?? '', timestampField: v.timestampField ?? null, online: v.online === true };
    });
  }

  /**
   * A feature service and its views, read through the caller's EntityManager so a registration inside
   * a contracts apply sees the services and views applied earlier in the same transaction.
   */
  async featureService(m: EntityManager, name: string): Promise<FeatureServiceFacts | null> {
    const registry = m.getRepository(RegistryObjectEntity);
    const service = await registry.findOneBy({ kind: 'FeatureService', name, version: '' });
    if (!service) return null;
    const refs = (service.normalized.features as string[]).map((ref) => {
      const match = FEATURE_REF_PATTERN.exec(ref);
      return { ref, view: match?.[1] ?? '', feature: match?.[2] ?? '' };
    });
    const viewNames = [...new Set(refs.map((r) => r.view))];
    const rows = viewNames.length ? await registry.findBy({ kind: 'FeatureView', version: '', name: In(viewNames) }) : [];
    const views = rows.map((r) => r.normalized as unknown as NormalizedFeatureView);
    const byView = new Map(views.map((v) => [v.name, v]));
    const products = [...new Set(views.map((v) => v.source.dataProduct))];
    // The newest major version of each source port is what feature views read (see FeatureViewResolver).
    const tables = products.length ? await m.getRepository(OfflineTableEntity).find({ where: { productId: In(products) }, order: { major: 'DESC' } }) : [];
    const columnType = (view: NormalizedFeatureView, feature: string): string | null => {
      const table = tables.find((t) => t.productId === view.source.dataProduct && t.port === view.source.outputPort);
      return table?.columns.find((c) => c.name === feature)?.logicalType ?? null;
    };
    return {
      name,
      sourceProducts: products,
      features: refs.map((r) => {
        const view = byView.get(r.view);
        const inView = !!view && view.features.some((f) => f.name === r.feature);
        return { ...r, viewFound: !!view, inView, type: view && inView ? columnType(view, r.feature) : null };
      }),
    };
  }

  /** Source data product of each registered feature view (unknown views are absent). */
  async viewSourceProducts(views: readonly string[], m: EntityManager = this.ds.manager): Promise<Map<string, string>> {
    if (views.length === 0) return new Map();
    const rows: { name: string; product: string | null }[] = await m.query(
      `SELECT name, normalized #>> '{source,dataProduct}' AS product FROM tessera.registry_objects
        WHERE kind = 'FeatureView' AND version = '' AND name = ANY($1::text[])`,
      [[...new Set(views)]],
    );
    return new Map(rows.filter((r) => r.product).map((r) => [r.name, r.product as string]));
  }

  /** Views each registered feature service reads (from its `view:feature` references; unknown services are absent). */
  async serviceViews(services: readonly string[], m: EntityManager = this.ds.manager): Promise<Map<string, string[]>> {
    if (services.length === 0) return new Map();
    const rows: { name: string; features: unknown }[] = await m.query(
      `SELECT name, normalized->'features' AS features FROM tessera.registry_objects
        WHERE kind = 'FeatureService' AND version = '' AND name = ANY($1::text[])`,
      [[...new Set(services)]],
    );
    return new Map(rows.map((r) => [r.name, viewsOfRefs(r.features)]));
  }
}

/** The distinct view names of a list of `view:feature` references. */
export function viewsOfRefs(refs: unknown): string[] {
  if (!Array.isArray(refs)) return [];
  const views = refs.map((ref) => (typeof ref === 'string' ? FEATURE_REF_PATTERN.exec(ref)?.[1] : undefined)).filter((v): v is string => !!v);
  return [...new Set(views)];
}
