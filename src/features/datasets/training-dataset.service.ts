import { Injectable, Optional } from '@nestjs/common';
import { portDataset, RunDataset, RunEvents, trainingDatasetName } from '../../common/events/run-events';
import type { ResolvedFeatureView } from '../registry/resolved-feature-view';
import { DataSource } from 'typeorm';
import { arrowIpcStream } from '../retrieval/pit-arrow-stream';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import { HistoricalFeaturesService } from '../retrieval/historical-features.service';
import { PointInTimeEngine } from '../retrieval/point-in-time.engine';
import { appendJsonColumns, datasetArrowSchema } from './training-dataset-codec';
import { DatasetLayout } from './training-dataset-layout';
import { MAX_DATASET_ROWS, SaveTrainingDatasetRequest } from './training-dataset.input';
import { TrainingDatasetRepository } from './training-dataset.repository';
import { EntityQueryResolver } from './entity-query-resolver';
import { datasetId, TrainingDataset } from './training-dataset';
import type { Principal } from '../../governance/auth/principal';

/** Rows per FETCH and per Arrow record batch of an export (as the retrieval's answer). */
const CHUNK_ROWS = 10_000;

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
    @Optional() private readonly runs?: RunEvents,
  ) {
    this.engine = new PointInTimeEngine(dataSource);
  }

  /**
   * Validates the whole request before anything is written (a rejected request stores nothing), then
   * runs the retrieval into a new table inside PostgreSQL and records the version in one transaction.
   */
  // TODO(issue 18): saves over a threshold as retrieval jobs (202 + id, progress, cancel, claimed by another replica after a kill); plan in ADR 0025.
  async save(request: SaveTrainingDatasetRequest, createdBy: string, caller?: Principal): Promise<TrainingDataset> {
    const rows = Math.max(0, ...Object.values(request.retrieval.entities).map((c) => c.length));
    if (rows > MAX_DATASET_ROWS) {
      throw new FeaturesError(FeaturesErrorCode.TOO_MANY_ROWS, `entities has ${rows} rows; a training dataset holds at most ${MAX_DATASET_ROWS} rows`, {
        field: 'entities',
        reason: `at most ${MAX_DATASET_ROWS} rows`,
      });
    }
    // The caller's agreements apply as to any retrieval: personal values of ports read without PII access are stored masked.
    const entitiesFrom = request.entitiesFrom ? await this.entityQueries.resolve(request.entitiesFrom, caller) : undefined;
    const prepared = await this.retrieval.prepare(request.retrieval, MAX_DATASET_ROWS, 'Arrow', caller, entitiesFrom);
    const layout = new DatasetLayout(prepared);
    const inputs = lineageInputs(prepared.views);
    const run = this.runs?.start('training_dataset', request.name, inputs, [{ name: trainingDatasetName(request.name) }]);
    const saving = this.repo.save(
      {
        name: request.name,
        description: request.description,
        featureService: request.retrieval.feature_service ?? null,
        fullFeatureNames: request.retrieval.full_feature_names,
        createdBy,
      },
      prepared,
      layout,
      this.engine,
    );
    try {
      const saved = await saving;
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
