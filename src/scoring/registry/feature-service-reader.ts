import { EntityManager } from 'typeorm';
import { FEATURE_REF_PATTERN } from '../../catalog/contracts/documents/tessera-v1.schema';

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
}

interface ViewRow {
  name: string;
  source: { dataProduct: string; outputPort: string };
  features: { name: string }[];
}

/**
 * Reads a feature service and its views through the caller's EntityManager, so a registration inside
 * a contracts apply sees the services and views applied earlier in the same transaction.
 */
export async function readFeatureService(m: EntityManager, name: string): Promise<FeatureServiceFacts | null> {
  const [service] = await m.query<{ features: string[] }[]>(`SELECT normalized->'features' AS features FROM tessera.registry_objects WHERE kind = 'FeatureService' AND name = $1 AND version = ''`, [name]);
  if (!service) return null;
  const refs = service.features.map((ref) => {
    const match = FEATURE_REF_PATTERN.exec(ref);
    return { ref, view: match?.[1] ?? '', feature: match?.[2] ?? '' };
  });
  const viewNames = [...new Set(refs.map((r) => r.view))];
  const views: ViewRow[] = await m.query(
    `SELECT name, normalized->'source' AS source, normalized->'features' AS features
       FROM tessera.registry_objects WHERE kind = 'FeatureView' AND version = '' AND name = ANY($1)`,
    [viewNames],
  );
  const byView = new Map(views.map((v) => [v.name, v]));
  const products = [...new Set(views.map((v) => v.source.dataProduct))];
  // The newest major version of each source port is what feature views read (see FeatureViewResolver).
  const tables: { product_id: string; port: string; columns: { name: string; logicalType: string }[] }[] = products.length
    ? await m.query(
        `SELECT DISTINCT ON (product_id, port) product_id, port, columns FROM tessera.offline_tables
          WHERE product_id = ANY($1) ORDER BY product_id, port, major DESC`,
        [products],
      )
    : [];
  const columnType = (view: ViewRow, feature: string): string | null => {
    const table = tables.find((t) => t.product_id === view.source.dataProduct && t.port === view.source.outputPort);
    return table?.columns.find((c) => c.name === feature)?.logicalType ?? null;
  };
  return {
    name,
    features: refs.map((r) => {
      const view = byView.get(r.view);
      const inView = !!view && view.features.some((f) => f.name === r.feature);
      return { ...r, viewFound: !!view, inView, type: view && inView ? columnType(view, r.feature) : null };
    }),
  };
}
