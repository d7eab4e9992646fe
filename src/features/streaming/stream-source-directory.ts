import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { NormalizedFeatureView, NormalizedStreamSource } from '../../catalog/contracts/documents/normalized-types';
import { ChangeFeed } from '../../common/changes/change-feed';
import { RegistryObjectEntity } from '../registry/registry-object.entity';

export type StreamSourceSpec = Omit<NormalizedStreamSource, 'raw'>;

/**
 * Applied StreamSource documents and, per source, the online feature views over its port. Cached, and
 * invalidated on every replica when an apply commits (change feed `registry` kind, ADR 0018); the
 * streaming service re-reads it then and starts, stops or restarts its consumers.
 */
@Injectable()
export class StreamSourceDirectory {
  private cached: Promise<StreamSourceSpec[]> | null = null;
  private views: Promise<Map<string, string[]>> | null = null;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly ds: DataSource,
    changes: ChangeFeed,
  ) {
    changes.subscribe('registry', () => {
      this.cached = null;
      this.views = null;
      for (const l of this.listeners) l();
    });
  }

  /** Called after every registry change (sources or views may have changed). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  sources(): Promise<StreamSourceSpec[]> {
    this.cached ??= this.ds
      .getRepository(RegistryObjectEntity)
      .findBy({ kind: 'StreamSource', version: '' })
      .then((rows) => rows.map((r) => r.normalized as unknown as StreamSourceSpec).sort((a, b) => a.name.localeCompare(b.name)));
    this.cached.catch(() => (this.cached = null));
    return this.cached;
  }

  /** Names of the online feature views whose source is this product's port. */
  async onlineViewsOf(dataProduct: string, outputPort: string): Promise<string[]> {
    this.views ??= this.ds
      .getRepository(RegistryObjectEntity)
      .findBy({ kind: 'FeatureView', version: '' })
      .then((rows) => {
        const byPort = new Map<string, string[]>();
        for (const r of rows) {
          const v = r.normalized as unknown as NormalizedFeatureView;
          if (!v.online) continue;
          const key = `${v.source.dataProduct}\u0000${v.source.outputPort}`;
          byPort.set(key, [...(byPort.get(key) ?? []), r.name]);
        }
        return byPort;
      });
    this.views.catch(() => (this.views = null));
    return (await this.views).get(`${dataProduct}\u0000${outputPort}`) ?? [];
  }
}
