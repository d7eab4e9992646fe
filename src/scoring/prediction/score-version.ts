import { FEATURES_INPUT_NAME } from '../registry/model-document';
import type { ModelVersionView } from '../registry/model-version';
import { type AssembledRow, assembleFeatures, type OnlineColumns } from './feature-assembly';
import type { Feeds, RowOutputs } from './feed-block';
import type { ModelSessionCache } from './model-session.cache';
import { requestBlock } from './request-features';

/** What one version made of some request rows. */
export interface VersionScore {
  version: ModelVersionView;
  /** Request row indexes given, in order; `assembled[k]` belongs to `rowIndexes[k]`. */
  rowIndexes: number[];
  assembled: AssembledRow[];
  /** The rows actually scored; `outputs[name][k]` belongs to `accepted[k]`. */
  accepted: number[];
  outputs: RowOutputs;
}

/**
 * Scores rows with one version: assembles the feature tensor (rejecting or imputing per row), adds
 * the request inputs of the accepted rows, and runs the version's cached session. Rejected rows are
 * never fed to the model. Request features must have been checked against the version's declarations.
 */
export async function scoreVersion(sessions: ModelSessionCache, version: ModelVersionView, rowIndexes: number[], online: OnlineColumns, requestFeatures: Record<string, unknown[]>): Promise<VersionScore> {
  const { rows: assembled, accepted, tensor } = assembleFeatures(version, online, rowIndexes);
  let outputs: RowOutputs = {};
  if (accepted.length > 0) {
    const feeds: Feeds = { [FEATURES_INPUT_NAME]: { type: 'float32', data: tensor, dims: [accepted.length, version.features.length] } };
    for (const decl of version.requestInputs) feeds[decl.name] = requestBlock(decl, requestFeatures[decl.name], accepted);
    const runner = await sessions.runner(version.name, version.version);
    outputs = await runner.run(feeds, accepted.length);
  }
  return { version, rowIndexes, assembled, accepted, outputs };
}

/** A version's outputs for one scored row, by output name; empty for a rejected row. */
export function rowOutputs(score: VersionScore, rowIndex: number, position: Map<number, number>): Record<string, unknown> {
  const k = position.get(rowIndex);
  if (k === undefined) return {};
  return Object.fromEntries(Object.entries(score.outputs).map(([n, v]) => [n, v[k]]));
}
