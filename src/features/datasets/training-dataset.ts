import type { FeatureValueType } from '../registry/resolved-feature-view';

/** Schema of the stored dataset tables; a table is named after its id (`"<name>@<version>"`). */
export const DATASET_SCHEMA = 'tessera_datasets';

/** Column of each dataset table holding the request row index: export orders by it. */
export const ROW_COLUMN = '_row';

/**
 * Logical type of a stored column: a feature value type, or `json` for an extra entity column whose
 * values mix kinds (kept as their JSON text, as the Arrow answer of the retrieval does).
 */
export type DatasetColumnType = FeatureValueType | 'json';

export interface DatasetColumn {
  name: string;
  /** What the column was in the retrieval: a join key, event_timestamp, a passed-through column, a feature. */
  role: 'key' | 'timestamp' | 'extra' | 'feature';
  logicalType: DatasetColumnType;
  /** `view:feature` of a feature column; null otherwise. */
  feature: string | null;
}

/** A feature view as the retrieval used it. */
export interface DatasetFeatureView {
  name: string;
  /** Content hash of the applied view document (the registry's version of it). */
  version: string;
  /** Offline table read, `schema.table`. */
  table: string;
  ttlSeconds: number;
}

/** The contract of the output port behind a feature view, as its offline table was built from it. */
export interface DatasetSourceContract {
  featureView: string;
  dataProduct: string;
  outputPort: string;
  portVersion: string;
  contractId: string;
  contractVersion: string;
}

/** One saved version: immutable once stored. */
export interface TrainingDataset {
  /** `<name>@<version>`: also the name of its table in the tessera_datasets schema. */
  id: string;
  name: string;
  version: number;
  description: string | null;
  /** Qualified, quoted table name, ready for SQL. */
  table: string;
  rowCount: number;
  columns: DatasetColumn[];
  featureRefs: string[];
  featureService: string | null;
  fullFeatureNames: boolean;
  featureViews: DatasetFeatureView[];
  sourceContracts: DatasetSourceContract[];
  createdAt: Date;
  createdBy: string;
}

export function datasetId(name: string, version: number): string {
  return `${name}@${version}`;
}
