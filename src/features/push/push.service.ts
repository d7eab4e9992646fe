import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { NormalizedFeatureView } from '../../catalog/contracts/documents/normalized-types';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import { OfflineIngestService } from '../ingest/offline-ingest.service';
import { ONLINE_STORE } from '../online/online-store';
import type { OnlineStore, OnlineWriteRow } from '../online/online-store';
import { FeatureViewResolver } from '../registry/feature-view-resolver';
import { RegistryObjectEntity } from '../registry/registry-object.entity';

export type PushTarget = 'online' | 'offline' | 'online_and_offline';

export interface PushResult {
  rows: number;
  offline: { inserted: number; duplicates: number } | null;
  online: { written: number } | null;
}

/** Epoch ms or an ISO-8601 string with a zone; anything else is refused by row and column. */
export function toDate(value: unknown, row: number, column: string): Date {
  const d = typeof value === 'number' ? new Date(value) : typeof value === 'string' && /(Z|[+-]\d\d:?\d\d)$/.test(value) ? new Date(value) : null;
  if (!d || Number.isNaN(d.getTime())) {
    throw new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, `df.${column}[${row}]: expected an ISO-8601 timestamp with a zone or epoch milliseconds`);
  }
  return d;
}

/**
 * Feast's push: rows for a feature view (the push source is named after the view) go to the offline
 * table of the view's source port (validated against its contract, idempotent), to the online store
 * (newer-only, ttl), or both. Offline goes first: a row the contract refuses is never served online.
 */
@Injectable()
export class PushService {
  constructor(
    private readonly ds: DataSource,
    private readonly resolver: FeatureViewResolver,
    private readonly offline: OfflineIngestService,
    @Inject(ONLINE_STORE) private readonly online: OnlineStore,
  ) {}

  async push(viewName: string, columns: Record<string, unknown[]>, to: PushTarget): Promise<PushResult> {
    const view = await this.resolver.view(viewName);
    const names = Object.keys(columns);
    const length = names.length > 0 ? columns[names[0]].length : 0;
    for (const n of names) {
      if (columns[n].length !== length) throw new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, `df.${n}: has ${columns[n].length} values, df.${names[0]} has ${length}`);
    }
    const needed = [...view.joinKeys.map((k) => k.column), view.timestampColumn, ...(to === 'offline' ? [] : view.features.map((f) => f.column))];
    const missing = needed.filter((c) => !(c in columns));
    if (missing.length > 0) throw new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, `df: missing column(s) ${missing.join(', ')} for feature view ${viewName}`);
    const rows = Array.from({ length }, (_, i) => Object.fromEntries(names.map((n) => [n, columns[n][i]])));

    let offline: PushResult['offline'] = null;
    if (to !== 'online') {
      const source = await this.source(viewName);
      const r = await this.offline.ingestRows(source.dataProduct, source.outputPort, rows);
      offline = { inserted: r.inserted, duplicates: r.duplicates };
    }
    let online: PushResult['online'] = null;
    if (to !== 'offline') {
      const created = view.createdTimestampColumn;
      const writes: OnlineWriteRow[] = rows.map((r, i) => ({
        keys: view.joinKeys.map((k) => r[k.column]),
        eventTs: toDate(r[view.timestampColumn], i, view.timestampColumn),
        createdTs: created && r[created] !== undefined && r[created] !== null ? toDate(r[created], i, created) : null,
        values: view.features.map((f) => r[f.column] ?? null),
      }));
      online = { written: await this.online.write(view, writes) };
    }
    return { rows: length, offline, online };
  }

  private async source(viewName: string): Promise<NormalizedFeatureView['source']> {
    const row = await this.ds.getRepository(RegistryObjectEntity).findOneBy({ kind: 'FeatureView', name: viewName, version: '' });
    return (row!.normalized as unknown as NormalizedFeatureView).source;
  }
}
