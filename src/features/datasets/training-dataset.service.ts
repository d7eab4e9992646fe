import { Injectable, Optional } from '@nestjs/common';
import { portDataset, RunDataset, RunEvents, trainingDatasetName } from '../../common/events/run-events';
import type { ResolvedFeatureView } from '../registry/resolved-feature-view';
import type { RecordBatch } from 'apache-arrow';
import { randomUUID } from 'node:crypto';
import { ARROW_STREAM, HistoricalFeaturesBody, MAX_ARROW_ROWS, MAX_JSON_ROWS } from '../retrieval/historical-features.input';
import { EntityUpload, openEntityFile } from '../retrieval/entity-body';
import { stageEntities } from '../retrieval/entity-stager';
import type { PitColumns, PitRequest } from '../retrieval/pit-request';
import { DataSource } from 'typeorm';
import { arrowIpcStream } from '../retrieval/pit-arrow-stream';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import { HistoricalFeaturesService } from '../retrieval/historical-features.service';
import type { PoolClient } from 'pg';
import { TesseraConfig } from '../../config/tessera-config';
import { PointInTimeEngine, PreparedRetrieval } from '../retrieval/point-in-time.engine';
import { appendJsonColumns, datasetArrowSchema } from './training-dataset-codec';
import { DatasetLayout, JoinSteps } from './training-dataset-layout';
import type { ClaimedRetrievalJob, RetrievalJob, RetrievalJobKind } from './retrieval-job';
import { RetrievalJobRepository } from './retrieval-job.repository';
import { EntityQuery, MAX_DATASET_ROWS, SaveTrainingDatasetRequest } from './training-dataset.input';
import { TrainingDatasetRepository } from './training-dataset.repository';
import { EntityQueryResolver } from './entity-query-resolver';
import { datasetId, TrainingDataset } from './training-dataset';
import type { Principal } from '../../governance/auth/principal';

/** Rows per FETCH and per Arrow record batch of an export (as the retrieval's answer). */
const CHUNK_ROWS = 10_000;

type UploadTransaction = Awaited<ReturnType<TrainingDatasetRepository['begin']>>;

/** A save run in the request (`dataset`), or queued as a retrieval job (`job`: answered 202). */
export type SaveOutcome = { dataset: TrainingDataset; job?: undefined } | { job: RetrievalJob; dataset?: undefined };

export interface RowPage {
  columns: Record<string, unknown[]>;
  /** First row number of the page, and the next one to ask for (null at the end). */
  offset: number;
  nextOffset: number | null;
  totalRows: number;
}

/**
 * Training datasets: a point-in-time retrieval saved as an immutable, numbered version of a name,
 * and read back (metadata, JSON pages, Arrow) exactly as the retrieval answered.
 */
@Injectable()
export class TrainingDatasetService {
  private readonly engine: PointInTimeEngine;

  constructor(
    dataSource: DataSource,
    private readonly retrieval: HistoricalFeaturesService,
    private readonly repo: TrainingDatasetRepository,
    private readonly entityQueries: EntityQueryResolver,
    private readonly jobs: RetrievalJobRepository,
    private readonly config: TesseraConfig,
    @Optional() private readonly runs?: RunEvents,
  ) {
    this.engine = new PointInTimeEngine(dataSource);
  }

  /**
   * Validates the whole request before anything is written (a rejected request stores nothing), then
   * runs the retrieval into a new table inside PostgreSQL and records the version in one transaction.
   */
  async save(request: SaveTrainingDatasetRequest, createdBy: string, caller?: Principal): Promise<TrainingDataset> {
    return this.store(request, await this.prepareSave(request, caller), createdBy);
  }

  /**
   * A save (or a historical retrieval kept as a dataset, `kind`) as the API takes it: validated in the
   * request either way; run here, or queued as a retrieval job when asked (`async`) or when it has
   * TESSERA_RETRIEVAL_JOB_ROWS entity rows or more (ADR 0028).
   */
  async submit(request: SaveTrainingDatasetRequest, caller: Principal, options: { async: boolean; kind: RetrievalJobKind }): Promise<SaveOutcome> {
    const prepared = await this.prepareSave(request, caller);
    if (options.async || prepared.frame.rowCount >= this.config.retrievalJobRows) {
      const { name, description, retrieval, entitiesFrom } = request;
      return { job: await this.jobs.create({ kind: options.kind, request: { name, description, retrieval, entitiesFrom }, principal: caller, rowsTotal: prepared.frame.rowCount }) };
    }
    return { dataset: await this.store(request, prepared, caller.id) };
  }

  /**
   * Runs a claimed job from its kept request, as its submitter (agreements are checked again: one
   * revoked since fails the job), joining in steps; its success commits with the dataset version.
   */
  async runJob(claimed: ClaimedRetrievalJob, claimant: string, steps: JoinSteps): Promise<TrainingDataset> {
    const prepared = await this.prepareSave(claimed.request, claimed.principal);
    return this.store(claimed.request, prepared, claimed.job.createdBy, steps, (client, saved) => this.jobs.succeedOn(client, claimed.job.id, claimant, saved.version, saved.rowCount));
  }

  /**
   * POST /v1/historical-features (and GraphQL) when it is not a plain in-memory retrieval: with an
   * entity query, asked to run as a job, or from TESSERA_RETRIEVAL_JOB_ROWS rows on. Validated here;
   * queued as a job whose answer is kept as a training dataset `retrieval-<hex>`, or prepared for
   * answerColumns/answerArrow (an entity query small enough to answer in the request).
   */
  async retrieveOrQueue(
    request: { retrieval: HistoricalFeaturesBody; entitiesFrom?: EntityQuery },
    caller: Principal,
    async: boolean,
    jobs: 'allowed' | 'never' = 'allowed',
  ): Promise<{ job: RetrievalJob } | { prepared: PreparedRetrieval }> {
    const saveRequest: SaveTrainingDatasetRequest = { name: `retrieval-${randomUUID().replace(/-/g, '')}`, description: null, ...request };
    const prepared = await this.prepareSave(saveRequest, caller);
    if (jobs === 'allowed' && (async || prepared.frame.rowCount >= this.config.retrievalJobRows)) {
      return { job: await this.jobs.create({ kind: 'historical-features', request: saveRequest, principal: caller, rowsTotal: prepared.frame.rowCount }) };
    }
    return { prepared };
  }

  /** The answer of a prepared retrieval (an entity query) as JSON columns, at most `maxRows` rows. */
  async answerColumns(prepared: PreparedRetrieval, maxRows: number, format: string): Promise<PitColumns> {
    if (prepared.frame.rowCount > maxRows) {
      throw new FeaturesError(FeaturesErrorCode.TOO_MANY_ROWS, `entities_from selects ${prepared.frame.rowCount} rows; ${format} answers are limited to ${maxRows} rows`, {
        field: 'entities_from',
        reason: `at most ${maxRows} rows (ask for Arrow, or run it as a job with async)`,
      });
    }
    const layout = new DatasetLayout(prepared);
    const columns: Record<string, unknown[]> = {};
    for (const c of layout.columns) columns[c.name] = [];
    for await (const rows of this.repo.answer(prepared, layout, this.engine, { textRows: CHUNK_ROWS })) appendJsonColumns(columns, layout.columns, rows as (string | null)[][]);
    return { columns };
  }

  /** The answer of a prepared retrieval (an entity query) as an Arrow IPC stream, a record batch per 10,000 rows. */
  answerArrow(prepared: PreparedRetrieval): AsyncGenerator<Uint8Array> {
    const layout = new DatasetLayout(prepared);
    const schema = datasetArrowSchema(layout.columns);
    return arrowIpcStream(schema, this.repo.answer(prepared, layout, this.engine, { arrow: schema, batchRows: CHUNK_ROWS }) as AsyncGenerator<RecordBatch>);
  }

  /** Checks and prepares a save: row cap, entity query (agreements), features, entity rows (`staged`: an upload, see PitRequest). */
  private async prepareSave(request: SaveTrainingDatasetRequest, caller?: Principal, staged: PitRequest['staged'] = request.staged): Promise<PreparedRetrieval> {
    const rows = Math.max(0, ...Object.values(request.retrieval.entities).map((c) => c.length));
    if (rows > MAX_DATASET_ROWS) {
      throw new FeaturesError(FeaturesErrorCode.TOO_MANY_ROWS, `entities has ${rows} rows; a training dataset holds at most ${MAX_DATASET_ROWS} rows`, {
        field: 'entities',
        reason: `at most ${MAX_DATASET_ROWS} rows`,
      });
    }
    // The caller's agreements apply as to any retrieval: personal values of ports read without PII access are stored masked.
    const entitiesFrom = request.entitiesFrom ? await this.entityQueries.resolve(request.entitiesFrom, caller) : undefined;
    return this.retrieval.prepare(request.retrieval, MAX_DATASET_ROWS, 'Arrow', caller, entitiesFrom, staged);
  }

  /**
   * A save whose entity rows are an uploaded file (Arrow IPC, Parquet): the request is checked first
   * (features, agreements) and the file's schema read, then on one connection, in one transaction, the
   * rows are COPYed into a temp table as they arrive (never whole in memory: entity-stager.ts) and the
   * save runs from it; or, asked to or from TESSERA_RETRIEVAL_JOB_ROWS rows on, the rows are kept for a
   * retrieval job that commits with them. Any error rolls the transaction back: nothing is left.
   */
  async submitUpload(request: SaveTrainingDatasetRequest, upload: EntityUpload, caller: Principal, options: { async: boolean; kind: RetrievalJobKind }): Promise<SaveOutcome> {
    return this.stageUpload(request, upload, caller, options.async, options.kind, async (tx, prepared) => {
      if ('job' in prepared) return { job: prepared.job };
      const dataset = await this.store(request, prepared.staged, caller.id, undefined, undefined, tx.client);
      await tx.end('commit');
      return { dataset };
    });
  }

  /**
   * POST /v1/historical-features with an uploaded file of entity rows: staged as in submitUpload, then
   * queued as a job (kept as a training dataset `retrieval-<hex>`), or answered from the staged rows on
   * the same connection (JSON columns, or an Arrow IPC stream whose join has run before this returns,
   * so any error still answers as JSON with its status); the transaction is rolled back after.
   */
  async retrieveUpload(
    retrieval: HistoricalFeaturesBody,
    upload: EntityUpload,
    caller: Principal,
    async: boolean,
    format: 'arrow' | 'json',
  ): Promise<{ job: RetrievalJob } | { arrow: AsyncGenerator<Uint8Array> } | { columns: PitColumns }> {
    const request: SaveTrainingDatasetRequest = { name: `retrieval-${randomUUID().replace(/-/g, '')}`, description: null, retrieval };
    return this.stageUpload(request, upload, caller, async, 'historical-features', async (tx, prepared) => {
      if ('job' in prepared) return { job: prepared.job };
      const p = prepared.staged;
      const layout = new DatasetLayout(p);
      if (format === 'json') {
        if (p.frame.rowCount > MAX_JSON_ROWS) {
          throw new FeaturesError(
            FeaturesErrorCode.TOO_MANY_ROWS,
            `entities has ${p.frame.rowCount} rows; JSON answers are limited to ${MAX_JSON_ROWS} rows (Accept: ${ARROW_STREAM} streams up to ${MAX_ARROW_ROWS.toLocaleString('en')} rows)`,
            {
              field: 'entities',
              reason: `at most ${MAX_JSON_ROWS} rows`,
            },
          );
        }
        const columns: Record<string, unknown[]> = {};
        for (const c of layout.columns) columns[c.name] = [];
        for await (const rows of this.repo.answerOn(tx.client, p, layout, this.engine, { textRows: CHUNK_ROWS })) appendJsonColumns(columns, layout.columns, rows as (string | null)[][]);
        await tx.end('rollback');
        return { columns: { columns } };
      }
      const schema = datasetArrowSchema(layout.columns);
      const batches = this.repo.answerOn(tx.client, p, layout, this.engine, { arrow: schema, batchRows: CHUNK_ROWS }) as AsyncGenerator<RecordBatch>;
      const first = await batches.next(); // the join runs here: its errors still answer with a status
      return {
        arrow: arrowIpcStream(
          schema,
          (async function* () {
            let failure: unknown = new Error('answer abandoned before its end');
            try {
              if (!first.done) yield first.value;
              yield* batches;
              failure = undefined;
            } catch (e) {
              failure = e;
              throw e;
            } finally {
              await tx.end('rollback', failure);
            }
          })(),
        ),
      };
    });
  }

  /**
   * The shared part of an upload: prepare (before a byte of the body is read), open the file (Arrow
   * schema, Parquet footer: before a connection is taken), then stage it in a transaction and hand
   * over: `then` gets the staged retrieval, or the job it was queued as (already committed). `then`
   * ends the transaction when it is done with it; on any error it is rolled back here.
   */
  private async stageUpload<T>(
    request: SaveTrainingDatasetRequest,
    upload: EntityUpload,
    caller: Principal,
    async: boolean,
    kind: RetrievalJobKind,
    then: (tx: UploadTransaction, prepared: { staged: PreparedRetrieval } | { job: RetrievalJob }) => Promise<T>,
  ): Promise<T> {
    const pending = await this.prepareSave(request, caller, 'pending');
    const maxRows = Math.min(this.config.entityMaxRows, MAX_DATASET_ROWS);
    const source = await openEntityFile(upload, maxRows, this.config.entityUploadIdleMs);
    try {
      const tx = await this.repo.begin();
      try {
        const spine = await stageEntities(tx.client, source, this.engine.keyTypes(pending), maxRows);
        const staged = this.engine.withStaged(pending, spine);
        new DatasetLayout(staged); // column names a table cannot hold are refused now, before a job is queued
        if (async || spine.rowCount >= this.config.retrievalJobRows) {
          const { name, description, retrieval } = request;
          const job = await this.jobs.createWithSpine(tx.client, { kind, request: { name, description, retrieval: { ...retrieval, entities: {} } }, principal: caller, rowsTotal: spine.rowCount }, spine);
          await tx.end('commit');
          return await then(tx, { job });
        }
        return await then(tx, { staged });
      } catch (e) {
        await tx.end('rollback', e);
        throw e;
      }
    } finally {
      await source.close();
    }
  }

  private async store(
    request: Pick<SaveTrainingDatasetRequest, 'name' | 'description' | 'retrieval'>,
    prepared: PreparedRetrieval,
    createdBy: string,
    steps?: JoinSteps,
    beforeCommit?: (client: PoolClient, saved: TrainingDataset) => Promise<void>,
    client?: PoolClient,
  ): Promise<TrainingDataset> {
    const layout = new DatasetLayout(prepared);
    const inputs = lineageInputs(prepared.views);
    const run = this.runs?.start('training_dataset', request.name, inputs, [{ name: trainingDatasetName(request.name) }]);
    const meta = {
      name: request.name,
      description: request.description,
      featureService: request.retrieval.feature_service ?? null,
      fullFeatureNames: request.retrieval.full_feature_names,
      createdBy,
    };
    try {
      const saved = client ? await this.repo.saveOn(client, meta, prepared, layout, this.engine, steps, beforeCommit) : await this.repo.save(meta, prepared, layout, this.engine, steps, beforeCommit);
      run?.complete([datasetOutput(saved)]);
      return saved;
    } catch (err) {
      run?.fail(err);
      throw err;
    }
  }

  list(name: string | undefined, limit: number): Promise<TrainingDataset[]> {
    return this.repo.list(name, limit);
  }

  async get(name: string, version: number | 'latest'): Promise<TrainingDataset> {
    const found = await this.repo.find(name, version);
    if (found) return found;
    const which = version === 'latest' ? `training dataset ${name}` : `training dataset ${datasetId(name, version)}`;
    throw new FeaturesError(FeaturesErrorCode.TRAINING_DATASET_NOT_FOUND, `${which} not found`, { field: version === 'latest' ? 'name' : 'version', reason: 'no such training dataset version' });
  }

  /** One page of rows as JSON columns. */
  async page(dataset: TrainingDataset, offset: number, limit: number): Promise<RowPage> {
    const columns: Record<string, unknown[]> = {};
    for (const c of dataset.columns) columns[c.name] = [];
    for await (const rows of this.repo.rows(dataset, offset, limit, CHUNK_ROWS)) appendJsonColumns(columns, dataset.columns, rows);
    const end = Math.min(dataset.rowCount, offset + limit);
    return { columns, offset, nextOffset: end < dataset.rowCount ? end : null, totalRows: dataset.rowCount };
  }

  /** Rows [offset, offset + limit) as an Arrow IPC stream, one record batch per 10,000 rows, pulled lazily. */
  arrow(dataset: TrainingDataset, offset: number, limit: number | null): AsyncGenerator<Uint8Array> {
    const schema = datasetArrowSchema(dataset.columns);
    return arrowIpcStream(schema, this.repo.arrowBatches(dataset, schema, offset, limit, CHUNK_ROWS));
  }
}

/** Source ports of the views a dataset joins, once each (ADR 0034). */
function lineageInputs(views: ResolvedFeatureView[]): RunDataset[] {
  const names = new Map<string, RunDataset>();
  for (const v of views) {
    const physical = `${v.table.schema}.${v.table.name}`;
    const name = v.source ? portDataset(v.source.dataProduct, v.source.outputPort) : physical;
    names.set(name, { name, source: { name: 'offline store', uri: `postgresql://tessera/${physical}` } });
  }
  return [...names.values()];
}

function datasetOutput(saved: TrainingDataset): RunDataset {
  return {
    name: trainingDatasetName(saved.name),
    source: { name: 'training datasets', uri: `postgresql://tessera/tessera_datasets.${encodeURIComponent(saved.id)}` },
    fields: saved.columns.map((c) => ({ name: c.name, type: c.logicalType, description: c.feature ?? c.role })),
    rowCount: saved.rowCount,
  };
}
