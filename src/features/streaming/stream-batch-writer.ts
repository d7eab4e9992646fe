import { Inject, Injectable } from '@nestjs/common';
import { OfflineIngestService } from '../ingest/offline-ingest.service';
import { ONLINE_STORE } from '../online/online-store';
import type { OnlineStore, OnlineWriteRow } from '../online/online-store';
import { toDate } from '../push/push.service';
import { FeatureViewResolver } from '../registry/feature-view-resolver';
import type { ResolvedFeatureView } from '../registry/resolved-feature-view';
import { StreamSourceDirectory, StreamSourceSpec } from './stream-source-directory';

/** One message of a batch: its bytes, and where it sits in the stream. */
export interface StreamMessage {
  data: Uint8Array;
  subject: string;
  sequence: number;
}

export interface Refusal {
  /** Index in the batch. */
  index: number;
  field: string | null;
  reason: string;
}

export interface BatchResult {
  /** Messages whose rows are stored (new or already there). */
  stored: number;
  inserted: number;
  onlineWritten: number;
  refused: Refusal[];
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Writes one batch of a stream source: every message is one JSON row, validated exactly as an HTTP
 * ingest row; the valid rows go to the offline table (idempotent by row hash) and then to every online
 * view over the port (write-if-newer), so a redelivered batch changes nothing. A refused row is
 * reported by index (its message is dead-lettered), never retried. Anything else (database or online
 * store down) throws: the caller naks the batch and it is redelivered.
 */
@Injectable()
export class StreamBatchWriter {
  constructor(
    private readonly ingest: OfflineIngestService,
    private readonly directory: StreamSourceDirectory,
    private readonly resolver: FeatureViewResolver,
    @Inject(ONLINE_STORE) private readonly online: OnlineStore,
  ) {}

  async write(source: StreamSourceSpec, messages: StreamMessage[]): Promise<BatchResult> {
    const refused: Refusal[] = [];
    const rows: Record<string, unknown>[] = [];
    const indexOf: number[] = [];
    const views = await Promise.all((await this.directory.onlineViewsOf(source.dataProduct, source.outputPort)).map((v) => this.resolver.view(v)));
    messages.forEach((m, index) => {
      const row = parseRow(m.data);
      if (typeof row === 'string') return refused.push({ index, field: null, reason: row });
      const late = onlineProblem(views, row);
      if (late) return refused.push({ index, ...late });
      rows.push(row);
      indexOf.push(index);
    });
    const outcome = await this.ingest.ingestStreamBatch(source.dataProduct, source.outputPort, rows);
    for (const [i, errors] of outcome.refused) {
      refused.push({ index: indexOf[i], field: errors[0].field, reason: errors.map((e) => (e.field ? `${e.field}: ${e.reason}` : e.reason)).join('; ') });
    }
    const kept = rows.filter((_, i) => !outcome.refused.has(i));
    let onlineWritten = 0;
    for (const view of views)
      onlineWritten += await this.online.write(
        view,
        kept.map((r) => onlineRow(view, r)),
      );
    return { stored: kept.length, inserted: outcome.inserted, onlineWritten, refused: refused.sort((a, b) => a.index - b.index) };
  }
}

/** The row of a message, or why it is not one (the reason goes to the dead-letter headers). */
function parseRow(data: Uint8Array): Record<string, unknown> | string {
  let text: string;
  try {
    text = decoder.decode(data);
  } catch {
    return 'message is not UTF-8 text';
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return `message is not JSON: ${(e as Error).message}`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'expected one JSON object of column values per message';
  return value as Record<string, unknown>;
}

/**
 * The online store orders entries by event time, so it needs one it can place: the contract may
 * accept a timestamp without a zone offline, but online it would be ambiguous. Checked before the
 * offline load so a row is stored in both or neither.
 */
function onlineProblem(views: ResolvedFeatureView[], row: Record<string, unknown>): { field: string; reason: string } | null {
  for (const v of views) {
    for (const column of [v.timestampColumn, ...v.joinKeys.map((k) => k.column)]) {
      if (row[column] === undefined || row[column] === null) return { field: column, reason: `required by online view ${v.name}` };
    }
    for (const column of [v.timestampColumn, v.createdTimestampColumn]) {
      const value = column ? row[column] : undefined;
      if (column === null || value === undefined || value === null) continue;
      try {
        toDate(value, 0, column);
      } catch {
        return { field: column, reason: `online view ${v.name} needs an ISO-8601 timestamp with a zone or epoch milliseconds` };
      }
    }
  }
  return null;
}

function onlineRow(view: ResolvedFeatureView, r: Record<string, unknown>): OnlineWriteRow {
  const created = view.createdTimestampColumn;
  return {
    keys: view.joinKeys.map((k) => r[k.column]),
    eventTs: toDate(r[view.timestampColumn], 0, view.timestampColumn),
    createdTs: created && r[created] !== undefined && r[created] !== null ? toDate(r[created], 0, created) : null,
    values: view.features.map((f) => r[f.column] ?? null),
  };
}
