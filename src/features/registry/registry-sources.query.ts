import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { FEATURE_REF_PATTERN } from '../../catalog/contracts/documents/tessera-v1.schema';

/**
 * What other modules may ask the feature registry about where features come from: the source
 * product of a feature view, the views a feature service reads. They ask here instead of reading
 * `tessera.registry_objects`. An optional EntityManager lets an apply see its own writes.
 */
@Injectable()
export class RegistrySourcesQuery {
  constructor(private readonly ds: DataSource) {}

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
