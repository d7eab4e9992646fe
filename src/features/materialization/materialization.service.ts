import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { readAhead } from '../../common/async/read-ahead';
import { TesseraError } from '../../common/errors/tessera-error';
import { PortEvents } from '../../common/events/port-events';
import { featureViewDataset, portDataset, RunDataset, RunEvents, RunHandle } from '../../common/events/run-events';
import { MetricsService, secondsSince } from '../../observability/metrics/metrics.service';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import { ONLINE_STORE } from '../online/online-store';
import type { OnlineStore } from '../online/online-store';
import { FeatureViewResolver } from '../registry/feature-view-resolver';
import type { ResolvedFeatureView } from '../registry/resolved-feature-view';
import type { JobTrigger, MaterializationJob } from './materialization-job';
import { MaterializationJobRepository } from './materialization-job.repository';
import { PgPool, readLatestRows } from './offline-latest-reader';

export const MATERIALIZATION_OPTIONS = Symbol('MATERIALIZATION_OPTIONS');

/**
 * A running job proves it is alive this often even while one chunk takes long; the reaper
 * (MaterializationScheduler) fails jobs silent for JOB_STALE_MS, a multiple of it.
 */
export const JOB_HEARTBEAT_MS = 15_000;
export const JOB_STALE_MS = 8 * JOB_HEARTBEAT_MS;

export interface MaterializationOptions {
  /** Offline rows per cursor FETCH and per online write: bounds memory whatever the table size. */
  chunkRows: number;
}

/** What the service needs of the registry (FeatureViewResolver in the app). */
export type FeatureViewSource = Pick<FeatureViewResolver, 'view' | 'onlineViewNames'>;

interface ViewRun {
  view: ResolvedFeatureView;
  start: Date | null;
}

/**
 * Copies the latest offline row per entity of each online view into the online store (newer-only),
 * recording every run as a job and, per view, how far it has been materialized (its watermark).
 */
@Injectable()
export class MaterializationService {
  private readonly logger = new Logger('Materialization');
  private readonly pool: PgPool;
  private readonly options: MaterializationOptions;

  constructor(
    ds: DataSource,
    @Inject(FeatureViewResolver) private readonly views: FeatureViewSource,
    @Inject(ONLINE_STORE) private readonly store: OnlineStore,
    private readonly jobs: MaterializationJobRepository,
    @Optional() @Inject(MATERIALIZATION_OPTIONS) options?: Partial<MaterializationOptions>,
    @Optional() private readonly metrics?: MetricsService,
    @Optional() private readonly events?: PortEvents,
    @Optional() private readonly runs?: RunEvents,
  ) {
    this.pool = (ds.driver as unknown as { master: Pool }).master;
    this.options = { chunkRows: 10_000, ...options };
  }

  /** Rows with event ts in [start, end). Resolves when done; a failed job is recorded, then thrown. */
  async materialize(req: { start: Date; end: Date; views?: string[]; trigger?: JobTrigger }): Promise<MaterializationJob> {
    if (!(req.start.getTime() < req.end.getTime())) throw new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, 'start_ts must be before end_ts');
    const views = await this.resolve(req.views);
    return this.run(
      views.map((view) => ({ view, start: req.start })),
      { incremental: false, trigger: req.trigger ?? 'api', startTs: req.start, endTs: req.end },
    );
  }

  /** Each view from its watermark (or the beginning of time) up to `end`. */
  async materializeIncremental(req: { end: Date; views?: string[]; trigger?: JobTrigger }): Promise<MaterializationJob> {
    const views = await this.resolve(req.views);
    const marks = await this.jobs.watermarks(views.map((v) => v.name));
    return this.run(
      views.map((view) => ({ view, start: marks.get(view.name) ?? null })),
      { incremental: true, trigger: req.trigger ?? 'api', startTs: null, endTs: req.end },
    );
  }

  async job(id: string): Promise<MaterializationJob> {
    const job = await this.jobs.get(id);
    if (!job) throw new FeaturesError(FeaturesErrorCode.JOB_NOT_FOUND, `materialization job ${id} not found`);
    return job;
  }

  jobsList(first: number): Promise<MaterializationJob[]> {
    return this.jobs.list(first);
  }

  /** Requested views (all online views by default); a view that is not online is refused by name. */
  private async resolve(names?: string[]): Promise<ResolvedFeatureView[]> {
    const list = names && names.length > 0 ? [...new Set(names)] : await this.views.onlineViewNames();
    const views = await Promise.all(list.map((n) => this.views.view(n)));
    const offline = views.filter((v) => !v.online).map((v) => v.name);
    if (offline.length > 0) throw new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, `feature view(s) ${offline.join(', ')} not online: set online: true to materialize`, { featureViews: offline });
    return views;
  }

  private async run(runs: ViewRun[], meta: { incremental: boolean; trigger: JobTrigger; startTs: Date | null; endTs: Date }): Promise<MaterializationJob> {
    const job = await this.jobs.create({ views: runs.map((r) => r.view.name), ...meta });
    const started = process.hrtime.bigint();
    const observe = (outcome: 'succeeded' | 'failed'): void => this.metrics?.materializationDuration.observe({ trigger: meta.trigger, outcome }, secondsSince(started));
    await this.jobs.start(job.id);
    const heartbeat = setInterval(() => void this.jobs.heartbeat(job.id).catch(() => undefined), JOB_HEARTBEAT_MS);
    heartbeat.unref();
    const counts = { rowsRead: 0, rowsWritten: 0, progress: 0 };
    let lineage: RunHandle | undefined;
    try {
      for (const [i, { view, start }] of runs.entries()) {
        // One lineage run per view: its source port in, its online values out (ADR 0034).
        const io = viewLineage(view);
        lineage = this.runs?.start('materialization', view.name, io.inputs, io.outputs);
        const writtenBefore = counts.rowsWritten;
        if (start === null || start.getTime() < meta.endTs.getTime()) {
          // The next chunk is fetched from PostgreSQL while this one is written to the online store.
          for await (const chunk of readAhead(readLatestRows(this.pool, view, start, meta.endTs, this.options.chunkRows))) {
            counts.rowsRead += chunk.length;
            const written = await this.store.write(view, chunk);
            counts.rowsWritten += written;
            this.metrics?.materializationRows.inc({ feature_view: view.name, direction: 'read' }, chunk.length);
            this.metrics?.materializationRows.inc({ feature_view: view.name, direction: 'written' }, written);
            await this.jobs.progress(job.id, counts);
          }
        }
        await this.jobs.advanceWatermark(view.name, meta.endTs);
        lineage?.complete([{ ...io.outputs[0], rowCount: counts.rowsWritten - writtenBefore }]);
        lineage = undefined;
        counts.progress = (i + 1) / runs.length;
        await this.jobs.progress(job.id, counts);
      }
    } catch (err) {
      // Our errors are client-safe; anything else (driver, bug) is logged and recorded generically (ADR 0004).
      const known = err instanceof TesseraError;
      const message = known ? err.message : `internal error (details in the server log, job ${job.id})`;
      lineage?.fail(message);
      observe('failed');
      const failed = await this.jobs.finish(job.id, 'failed', message);
      if (known) this.logger.warn(`materialization job ${job.id} failed: ${message}`);
      else this.logger.error(`materialization job ${job.id} failed: ${err instanceof Error ? err.stack : String(err)}`);
      throw failure(err, failed);
    } finally {
      clearInterval(heartbeat);
    }
    observe('succeeded');
    const finished = await this.jobs.finish(job.id, 'succeeded');
    this.events?.viewsMaterialized({ views: runs.map((r) => r.view.name), at: new Date() });
    return finished;
  }
}

function viewLineage(view: ResolvedFeatureView): { inputs: RunDataset[]; outputs: RunDataset[] } {
  const physical = `${view.table.schema}.${view.table.name}`;
  const input: RunDataset = {
    name: view.source ? portDataset(view.source.dataProduct, view.source.outputPort) : physical,
    source: { name: 'offline store', uri: `postgresql://tessera/${physical}` },
  };
  const fields = [...view.joinKeys, ...view.features].map((c) => ({ name: c.name, type: c.type }));
  return { inputs: [input], outputs: [{ name: featureViewDataset(view.name), source: { name: 'online store', uri: `tessera-online://feature-views/${view.name}` }, fields }] };
}

/** The cause's code and status (e.g. 503 when the online store is down), with the recorded job attached. */
function failure(err: unknown, job: MaterializationJob): TesseraError {
  const details = { job };
  if (err instanceof FeaturesError) return new FeaturesError(err.code, `materialization job ${job.id} failed: ${err.message}`, details);
  return new FeaturesError(FeaturesErrorCode.MATERIALIZATION_FAILED, `materialization job ${job.id} failed: ${job.error}`, details);
}
