import { Injectable } from '@nestjs/common';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import { TrainingDatasetRepository } from './training-dataset.repository';

/** What another module may know of a training dataset: which column holds each feature, and its size. */
export interface TrainingDatasetFacts {
  /** `name@version`. */
  id: string;
  /** `view:feature` → column name. */
  featureColumns: Map<string, string>;
  rowCount: number;
}

/**
 * Training datasets' read interface for other modules (model monitoring), so none reads
 * tessera.training_datasets or the tessera_datasets tables itself (ADR 0021).
 */
@Injectable()
export class TrainingDatasetQuery {
  constructor(private readonly repo: TrainingDatasetRepository) {}

  /** The dataset `name@version`; null when the id is malformed or no such dataset exists. */
  async facts(datasetId: string): Promise<TrainingDatasetFacts | null> {
    const dataset = await this.find(datasetId);
    if (!dataset) return null;
    const featureColumns = new Map(dataset.columns.filter((c) => c.role === 'feature' && c.feature).map((c) => [c.feature!, c.name]));
    return { id: datasetId, featureColumns, rowCount: dataset.rowCount };
  }

  /**
   * The values of some features (`view:feature` refs the dataset holds) as numbers, row by row in row
   * order, at most `limit` rows; empty when the dataset does not exist.
   */
  async featureRows(datasetId: string, features: readonly string[], limit: number): Promise<(number | null)[][]> {
    const dataset = await this.find(datasetId);
    if (!dataset) return [];
    const columns = features.map((f) => {
      const column = dataset.columns.find((c) => c.role === 'feature' && c.feature === f);
      if (!column) throw new FeaturesError(FeaturesErrorCode.FEATURE_NOT_FOUND, `training dataset ${datasetId} holds no feature ${f}`);
      return column.name;
    });
    return this.repo.numericColumns(dataset, columns, limit);
  }

  private find(datasetId: string) {
    const m = /^(.+)@(\d+)$/.exec(datasetId);
    return m ? this.repo.find(m[1], Number(m[2])) : Promise.resolve(null);
  }
}
