import { Injectable, Logger, Optional } from '@nestjs/common';
import { portDataset, RunEvents, type RunHandle } from '../../common/events/run-events';
import { FeatureRegistryQuery } from '../../features/registry/feature-registry.query';
import { TesseraError } from '../../common/errors/tessera-error';
import { TesseraConfig } from '../../config/tessera-config';
import { OfflineIngestService } from '../../features/ingest/offline-ingest.service';
import { MaterializationService } from '../../features/materialization/materialization.service';
import { FeaturePopulationQuery } from '../../features/retrieval/feature-population.query';
import { HistoricalFeaturesService } from '../../features/retrieval/historical-features.service';
import type { FeatureStatus } from '../../features/serving/serving-request';
import type { OnlineColumns } from '../prediction/feature-assembly';
import { ModelSessionCache } from '../prediction/model-session.cache';
import { scoreVersion } from '../prediction/score-version';
import type { ClaimedJob } from './batch-scoring-job';
import { BatchScoringJobRepository, type JobCounts } from './batch-scoring-job.repository';
import { type BatchTarget, BatchScoringTargets } from './batch-scoring-target';
import { AS_OF, MODEL, MODEL_VERSION } from './predictions-contract';

/** A worker's lease on a job; renewed by every chunk and by a timer while one chunk takes long. */
export const LEASE_MS = 60_000;
const RENEW_MS = 15_000;

/** The lease went to another worker (ours ran out): stop without touching the job. */
class LeaseLost extends Error {}

/** The process is shutting down: the lease is handed back at a chunk boundary. */
class Stopping extends Error {}

/**
 * Runs one claimed batch scoring job (ADR 0035): the entities (given, or the feature service's
 * population as of T from the offline store) in sorted chunks; per chunk a point-in-time read of
 * the version's features as of T, the version's onMissing rule and ONNX session (the same code as
 * /predict), and a load into the predictions port through the feature store's ingest, whose row
 * hash makes a repeated chunk a no-op. Progress and the cursor are recorded after each chunk, so a
 * job resumed after a crash continues with the next chunk; then the online view is refreshed.
 */
@Injectable()
export class BatchScoringRunner {
  private readonly logger = new Logger('BatchScoring');

  constructor(
    private readonly jobs: BatchScoringJobRepository,
    private readonly targets: BatchScoringTargets,
    private readonly population: FeaturePopulationQuery,
    private readonly historical: HistoricalFeaturesService,
    private readonly sessions: ModelSessionCache,
    private readonly ingest: OfflineIngestService,
    private readonly materialization: MaterializationService,
    private readonly config: TesseraConfig,
    private readonly registry: FeatureRegistryQuery,
    @Optional() private readonly runs?: RunEvents,
  ) {}

  /**
   * Runs the job to its end, or until `stopping()` says the process is shutting down: then the lease
   * is released after the current chunk, and any worker continues at once (answers null, as when the
   * lease was lost).
   */
  async run(job: ClaimedJob, owner: string, stopping: () => boolean = () => false): Promise<ClaimedJob | null> {
    const renew = setInterval(() => void this.jobs.renew(job.id, owner, LEASE_MS).catch(() => undefined), RENEW_MS);
    renew.unref();
    let lineage: RunHandle | undefined;
    try {
      const target = await this.targets.resolve(job.model, job.version);
      lineage = await this.lineage(job, target);
      await this.scoreAll(job, target, owner, stopping);
      let onlineWritten: number | null = null;
      if (target.settings.onlineView) {
        // Exactly the rows of this as-of time: [T, T + 1 ms).
        const m = await this.materialization.materialize({ start: job.asOf, end: new Date(job.asOf.getTime() + 1), views: [target.settings.onlineView] });
        onlineWritten = m.rowsWritten;
      }
      const finished = await this.jobs.finish(job.id, owner, { status: 'succeeded', onlineWritten });
      const { dataProduct, outputPort } = target.settings.output;
      lineage?.complete([{ name: portDataset(dataProduct, outputPort), rowCount: finished?.inserted ?? job.inserted }]);
      return finished;
    } catch (err) {
      // A lost lease or a shutdown hands the job on: the run continues elsewhere, so it is not ended here.
      if (!(err instanceof LeaseLost) && !(err instanceof Stopping)) lineage?.fail(err);
      if (err instanceof LeaseLost) {
        this.logger.warn(`batch scoring job ${job.id}: lease lost to another worker; stopped`);
        return null;
      }
      if (err instanceof Stopping) {
        await this.jobs.release(job.id, owner);
        this.logger.log(`batch scoring job ${job.id}: shutting down; handed back after ${job.done} entities`);
        return null;
      }
      const known = err instanceof TesseraError;
      const message = known ? err.message : `internal error (details in the server log, job ${job.id})`;
      if (known) this.logger.warn(`batch scoring job ${job.id} failed: ${message}`);
      else this.logger.error(`batch scoring job ${job.id} failed: ${err instanceof Error ? err.stack : String(err)}`);
      return this.jobs.finish(job.id, owner, { status: 'failed', error: message });
    } finally {
      clearInterval(renew);
    }
  }

  private async scoreAll(job: ClaimedJob, target: BatchTarget, owner: string, stopping: () => boolean): Promise<void> {
    const chunkRows = this.config.batchScoringChunkRows;
    const keyNames = target.keys.map((k) => k.name);
    let rows: unknown[][];
    if (job.entities) {
      const cols = keyNames.map((k) => job.entities![k]);
      rows = Array.from({ length: cols[0].length }, (_, i) => cols.map((c) => c[i])).slice(job.done);
    } else {
      rows = (await this.population.entitiesAsOf(target.viewNames, job.asOf, job.cursor)).rows;
    }
    const counts: JobCounts = { total: job.done + rows.length, done: job.done, scored: job.scored, rejected: job.rejected, inserted: job.inserted, cursor: job.cursor };
    if (!(await this.jobs.progress(job.id, owner, LEASE_MS, counts))) throw new LeaseLost();
    const { dataProduct, outputPort } = target.settings.output;
    // The next chunk's point-in-time read runs while this one is scored and written.
    let pending = rows.length > 0 ? this.read(target, keyNames, rows.slice(0, chunkRows), job.asOf) : null;
    for (let from = 0; from < rows.length; from += chunkRows) {
      if (stopping()) {
        job.done = counts.done;
        await pending?.catch(() => undefined);
        throw new Stopping();
      }
      const chunk = rows.slice(from, from + chunkRows);
      const online = await pending!;
      pending = from + chunkRows < rows.length ? this.read(target, keyNames, rows.slice(from + chunkRows, from + 2 * chunkRows), job.asOf) : null;
      pending?.catch(() => undefined); // awaited next round; a failure there is reported then
      const indexes = chunk.map((_, i) => i);
      const scored = await scoreVersion(this.sessions, target.version, indexes, online, {});
      const asOf = job.asOf.toISOString();
      const out = scored.accepted.map((rowIndex, k) => {
        const row: Record<string, unknown> = {};
        keyNames.forEach((name, j) => (row[name] = chunk[rowIndex][j]));
        row[AS_OF] = asOf;
        row[MODEL] = target.version.name;
        row[MODEL_VERSION] = target.version.version;
        for (const [name, values] of Object.entries(scored.outputs)) row[name] = values[k];
        return row;
      });
      // One lineage run for the job (batch_scoring), not one ingest run per chunk.
      const loaded = out.length > 0 ? await this.ingest.ingestRows(dataProduct, outputPort, out, { reportRun: false }) : { inserted: 0 };
      counts.done += chunk.length;
      counts.scored += scored.accepted.length;
      counts.rejected += chunk.length - scored.accepted.length;
      counts.inserted += loaded.inserted;
      counts.cursor = job.entities ? null : chunk[chunk.length - 1];
      if (!(await this.jobs.progress(job.id, owner, LEASE_MS, counts))) throw new LeaseLost();
    }
  }

  /**
   * The job as an OpenLineage run (ADR 0034): the source ports of the version's feature views in,
   * the predictions port out. A resumed job is a new run of the same job name.
   */
  private async lineage(job: ClaimedJob, target: BatchTarget): Promise<RunHandle | undefined> {
    if (!this.runs?.heard) return undefined;
    const sources = (await this.registry.viewSources()).filter((v) => target.viewNames.includes(v.name));
    const inputs = [...new Set(sources.map((v) => portDataset(v.dataProduct, v.outputPort)))].map((name) => ({ name }));
    const { dataProduct, outputPort } = target.settings.output;
    return this.runs.start('batch_scoring', `${job.model}.${job.version}`, inputs, [{ name: portDataset(dataProduct, outputPort) }]);
  }

  /** The version's features for these entities as of T, from the offline store (never online values). */
  private async read(target: BatchTarget, keyNames: string[], chunk: unknown[][], asOf: Date): Promise<OnlineColumns> {
    const entities: Record<string, unknown[]> = {};
    keyNames.forEach((name, j) => (entities[name] = chunk.map((r) => r[j])));
    entities.event_timestamp = new Array<string>(chunk.length).fill(asOf.toISOString());
    const refs = target.version.features.map((f) => f.ref);
    const { columns } = await this.historical.columns({ features: refs, entities, full_feature_names: true }, chunk.length, 'JSON');
    const byRef = new Map<string, { values: unknown[]; statuses: FeatureStatus[] }>();
    for (const ref of refs) {
      const values = columns[ref.replace(':', '__')] ?? [];
      byRef.set(ref, { values, statuses: values.map((v) => (v === null || v === undefined ? 'NOT_FOUND' : 'PRESENT')) });
    }
    return { get: (ref) => byRef.get(ref) };
  }
}
