import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { NormalizedFeatureView } from '../../catalog/contracts/documents/normalized-types';
import { OfflineTableEntity } from '../offline/offline-table.entity';
import { RegistryObjectEntity } from './registry-object.entity';

export interface FeatureSearch {
  search?: string;
  type?: string;
  product?: string;
  tags?: string[];
}

export interface DiscoveredFeature {
  name: string;
  view: string;
  reference: string;
  type: string | null;
  description: string | null;
  tags: string[];
  dataProduct: string;
  outputPort: string;
  entities: string[];
  online: boolean;
  ttlSeconds: number;
}

/**
 * Features as ML engineers look for them: by name, type, owning product and tags. The registry is
 * small (hundreds of views), so it is read whole and filtered in memory.
 */
@Injectable()
export class FeatureDiscoveryService {
  constructor(private readonly ds: DataSource) {}

  async search(q: FeatureSearch): Promise<DiscoveredFeature[]> {
    const [views, tables] = await Promise.all([
      this.ds.getRepository(RegistryObjectEntity).find({ where: { kind: 'FeatureView' }, order: { name: 'ASC' } }),
      this.ds.getRepository(OfflineTableEntity).find({ order: { major: 'DESC' } }),
    ]);
    const typeOf = new Map<string, string>();
    for (const t of tables) {
      for (const c of t.columns) {
        const key = `${t.productId}/${t.port}/${c.name}`;
        if (!typeOf.has(key)) typeOf.set(key, c.logicalType); // newest major first
      }
    }
    const needle = q.search?.trim().toLowerCase();
    const out: DiscoveredFeature[] = [];
    for (const row of views) {
      const v = row.normalized as unknown as NormalizedFeatureView;
      for (const f of v.features) {
        const feature: DiscoveredFeature = {
          name: f.name,
          view: v.name,
          reference: `${v.name}:${f.name}`,
          type: typeOf.get(`${v.source.dataProduct}/${v.source.outputPort}/${f.name}`) ?? null,
          description: f.description,
          tags: [...new Set([...(v.tags ?? []), ...(f.tags ?? [])])],
          dataProduct: v.source.dataProduct,
          outputPort: v.source.outputPort,
          entities: v.entities,
          online: v.online,
          ttlSeconds: v.ttlSeconds,
        };
        if (q.type && feature.type !== q.type) continue;
        if (q.product && feature.dataProduct !== q.product) continue;
        if (q.tags && !q.tags.every((t) => feature.tags.includes(t))) continue;
        if (needle && ![feature.reference, feature.description ?? '', ...feature.tags].some((s) => s.toLowerCase().includes(needle))) continue;
        out.push(feature);
      }
    }
    return out;
  }
}
