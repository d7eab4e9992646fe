import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeFeed } from '../../common/changes/change-feed';
import type { NormalizedEntity, NormalizedFeatureService, NormalizedFeatureView } from '../../catalog/contracts/documents/normalized-types';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import { OfflineTableEntity } from '../offline/offline-table.entity';
import { RegistryObjectEntity } from './registry-object.entity';
import { FeatureRef, ResolvedColumn, ResolvedFeatureView } from './resolved-feature-view';

/**
 * Resolves feature views and services once and caches them, so serving paths do no registry work per
 * request. Invalidated on every replica when an apply commits (the change feed's `registry` kind, ADR 0018);
 * the serving plans cached by OnlineServingService hold the resolved views and are rebuilt when these change.
 */
@Injectable()
export class FeatureViewResolver {
  private views = new Map<string, Promise<ResolvedFeatureView>>();
  private services = new Map<string, Promise<FeatureRef[]>>();
  private gen = 0;

  constructor(
    private readonly ds: DataSource,
    changes: ChangeFeed,
  ) {
    changes.subscribe('registry', () => this.invalidate());
  }

  /** Bumped by every invalidation: a plan built from views of one generation holds while it stays current. */
  get generation(): number {
    return this.gen;
  }

  invalidate(): void {
    this.gen++;
    this.views.clear();
    this.services.clear();
  }

  view(name: string): Promise<ResolvedFeatureView> {
    let p = this.views.get(name);
    if (!p) {
      p = this.load(name);
      this.views.set(name, p);
      p.catch(() => this.views.delete(name)); // failures are not cached: the view may be applied next
    }
    return p;
  }

  featureService(name: string): Promise<FeatureRef[]> {
    let p = this.services.get(name);
    if (!p) {
      p = this.loadService(name);
      this.services.set(name, p);
      p.catch(() => this.services.delete(name));
    }
    return p;
  }

  /** Names of every feature view marked `online: true`. */
  async onlineViewNames(): Promise<string[]> {
    const rows = await this.ds.getRepository(RegistryObjectEntity).findBy({ kind: 'FeatureView' });
    return rows
      .filter((r) => (r.normalized as unknown as NormalizedFeatureView).online)
      .map((r) => r.name)
      .sort();
  }

  private async loadService(name: string): Promise<FeatureRef[]> {
    const row = await this.ds.getRepository(RegistryObjectEntity).findOneBy({ kind: 'FeatureService', name, version: '' });
    if (!row) throw new FeaturesError(FeaturesErrorCode.FEATURE_SERVICE_NOT_FOUND, `feature service ${name} not found`);
    return (row.normalized as unknown as NormalizedFeatureService).featureRefs;
  }

  private async load(name: string): Promise<ResolvedFeatureView> {
    const repo = this.ds.getRepository(RegistryObjectEntity);
    const row = await repo.findOneBy({ kind: 'FeatureView', name, version: '' });
    if (!row) throw new FeaturesError(FeaturesErrorCode.FEATURE_VIEW_NOT_FOUND, `feature view ${name} not found`);
    const v = row.normalized as unknown as NormalizedFeatureView;
    const table = await this.ds.getRepository(OfflineTableEntity).findOne({ where: { productId: v.source.dataProduct, port: v.source.outputPort }, order: { major: 'DESC' } });
    if (!table) {
      throw new FeaturesError(
        FeaturesErrorCode.OFFLINE_TABLE_MISSING,
        `feature view ${name}: output port ${v.source.dataProduct}/${v.source.outputPort} has no offline table (is it a table port with a contract?)`,
      );
    }
    const types = new Map(table.columns.map((c) => [c.name, c.logicalType]));
    const column = (n: string, fallback?: ResolvedColumn['type']): ResolvedColumn => {
      const type = types.get(n) ?? fallback;
      if (!type) throw new FeaturesError(FeaturesErrorCode.FEATURE_NOT_FOUND, `feature view ${name}: column ${n} is not in ${table.schemaName}.${table.tableName}`);
      return { name: n, column: n, type };
    };
    const joinKeys: ResolvedColumn[] = [];
    for (const entityName of v.entities) {
      const e = await repo.findOneBy({ kind: 'Entity', name: entityName, version: '' });
      if (!e) throw new FeaturesError(FeaturesErrorCode.ENTITY_NOT_FOUND, `feature view ${name}: entity ${entityName} not found`);
      for (const k of (e.normalized as unknown as NormalizedEntity).joinKeys) joinKeys.push(column(k.name, k.type));
    }
    return {
      name,
      joinKeys,
      table: { schema: table.schemaName, name: table.tableName },
      source: { dataProduct: v.source.dataProduct, outputPort: v.source.outputPort },
      timestampColumn: column(v.timestampField).column,
      createdTimestampColumn: v.createdTimestampField ? column(v.createdTimestampField).column : null,
      ttlSeconds: v.ttlSeconds,
      online: v.online,
      features: v.features.map((f) => column(f.name)),
      version: row.contentHash,
    };
  }
}
