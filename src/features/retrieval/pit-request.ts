import type { EntitySpineQuery, StagedSpine } from './pit-entity-frame';
import type { FeatureValueType, ResolvedFeatureView } from '../registry/resolved-feature-view';

/** The entity column holding each row's point in time. */
export const EVENT_TIMESTAMP = 'event_timestamp';

/** One requested feature, already resolved against its view. */
export interface RequestedFeature {
  view: ResolvedFeatureView;
  feature: string;
}

/**
 * A point-in-time retrieval: entity rows as columns (join keys of every requested view,
 * `event_timestamp`, and any extra columns, which are passed through untouched) and the features in
 * the order the output should have them.
 */
export interface PitRequest {
  entities: Record<string, readonly unknown[]>;
  /** Instead of `entities`: the rows of a port's offline table, kept inside PostgreSQL (training datasets only). */
  entitiesFrom?: Omit<EntitySpineQuery, 'spineTable'>;
  /**
   * Instead of `entities`: rows uploaded as a file. `'pending'`: they are still to be staged (read from
   * the body and COPYed, see PointInTimeEngine.withStaged); a StagedSpine: staged in a table kept for
   * a retrieval job.
   */
  staged?: 'pending' | StagedSpine;
  features: readonly RequestedFeature[];
  /** Name outputs `view__feature` instead of `feature`. */
  fullFeatureNames?: boolean;
}

/** Entity columns keep their input role; features carry the view column they come from. */
export type OutputColumn =
  | { kind: 'key'; name: string; type: FeatureValueType }
  | { kind: 'timestamp'; name: string }
  | { kind: 'extra'; name: string }
  | { kind: 'feature'; name: string; type: FeatureValueType; view: string; feature: string };

/** A slice of the result, in row order: entity rows [offset, offset + length) and their feature values. */
export interface PitChunk {
  offset: number;
  length: number;
  /**
   * One array per feature output column (in output order), values as PostgreSQL's text output (or
   * JSON text for object/array), decoded by pit-value-codec for JSON or Arrow.
   */
  features: (string | null)[][];
}

/** JSON answer of a retrieval: every output column, each with one value per entity row. */
export interface PitColumns {
  columns: Record<string, unknown[]>;
}
