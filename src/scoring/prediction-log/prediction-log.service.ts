import { Injectable } from '@nestjs/common';
import { ChangeFeed } from '../../common/changes/change-feed';
import { CommonError, CommonErrorCode } from '../../common/errors/common-error';
import { arrowIpcStream } from '../../features/retrieval/pit-arrow-stream';
import { ScoringError, ScoringErrorCode } from '../scoring-error';
import { PredictionLogArrowLayout } from './prediction-log-arrow';
import { type PredictionLogFilter, PredictionLogRepository, type SampleRateSetting, type StoredPredictionLogEntry } from './prediction-log.repository';
import { type PredictionLogStats, PredictionLogWriter } from './prediction-log.writer';
import type { RecordBatch } from 'apache-arrow';

/** Rows per page read from PostgreSQL and per Arrow record batch. */
const PAGE_ROWS = 5_000;

export interface SampleRateView {
  model: string;
  /** The per-model setting; null when none (each version then uses its document's rate, else 1). */
  sampleRate: number | null;
  updatedBy: string | null;
  updatedAt: Date | null;
}

/** Reads of the prediction log and its per-model sample rate; writes go through the writer (the sink). */
@Injectable()
export class PredictionLogService {
  constructor(
    private readonly repository: PredictionLogRepository,
    private readonly writer: PredictionLogWriter,
    private readonly changes: ChangeFeed,
  ) {
    // A setting changed on any replica (or a version registered): the writer re-reads the rate.
    changes.subscribe('models', (model) => this.writer.invalidateRate(model));
  }

  async list(filter: PredictionLogFilter, limit: number, maxLimit: number): Promise<StoredPredictionLogEntry[]> {
    await this.check(filter, limit, maxLimit);
    return this.repository.page(filter, limit);
  }

  /**
   * An Arrow IPC stream of up to `limit` entries, read page by page (keyset on (at, id)) so memory stays
   * at one page whatever the export size. Rows written after the export started are not included.
   */
  async arrow(filter: PredictionLogFilter, limit: number, maxLimit: number): Promise<AsyncGenerator<Uint8Array>> {
    await this.check(filter, limit, maxLimit);
    const pinned: PredictionLogFilter = { ...filter, maxId: (await this.repository.maxId()) ?? '0' };
    const layout = new PredictionLogArrowLayout(await this.repository.profile(pinned, limit));
    const repository = this.repository;
    async function* batches(): AsyncGenerator<RecordBatch> {
      let left = limit;
      let after: StoredPredictionLogEntry | null = null;
      while (left > 0) {
        const want = Math.min(PAGE_ROWS, left);
        const rows = await repository.page(pinned, want, after);
        if (rows.length > 0) yield layout.batch(rows);
        left -= rows.length;
        if (rows.length < want) return;
        after = rows[rows.length - 1];
      }
    }
    return arrowIpcStream(layout.schema, batches());
  }

  async sampleRate(model: string): Promise<SampleRateView> {
    return view(model, await this.repository.setting(model));
  }

  /** Sets (rate in [0, 1]) or clears (null) the per-model sample rate; every replica follows within a second. */
  async setSampleRate(model: string, rate: number | null, updatedBy: string): Promise<SampleRateView> {
    if (rate !== null && !(rate >= 0 && rate <= 1)) {
      throw new CommonError(CommonErrorCode.BAD_REQUEST, `sampleRate must be between 0 and 1, got ${rate}`, [{ field: 'sampleRate', reason: 'must be between 0 and 1' }]);
    }
    await this.requireModel(model);
    const saved = await this.repository.transaction(async (m) => {
      const row = rate === null ? (await this.repository.deleteSetting(m, model), null) : await this.repository.saveSetting(m, model, rate, updatedBy);
      await this.changes.publish(m, 'models', model);
      return row;
    });
    return view(model, saved);
  }

  stats(): PredictionLogStats {
    return this.writer.stats();
  }

  private async check(filter: PredictionLogFilter, limit: number, maxLimit: number): Promise<void> {
    if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
      throw new CommonError(CommonErrorCode.BAD_REQUEST, `limit must be an integer between 1 and ${maxLimit}, got ${limit}`, [{ field: 'limit', reason: `must be between 1 and ${maxLimit}` }]);
    }
    if (filter.since && filter.until && filter.since >= filter.until) {
      throw new CommonError(CommonErrorCode.BAD_REQUEST, 'since must be before until', [{ field: 'since', reason: 'must be before until' }]);
    }
    await this.requireModel(filter.model);
  }

  private async requireModel(model: string): Promise<void> {
    if (!(await this.repository.modelExists(model))) throw new ScoringError(ScoringErrorCode.MODEL_NOT_FOUND, `model ${model} is not registered`);
  }
}

function view(model: string, s: SampleRateSetting | null): SampleRateView {
  return { model, sampleRate: s?.sampleRate ?? null, updatedBy: s?.updatedBy ?? null, updatedAt: s?.updatedAt ?? null };
}
