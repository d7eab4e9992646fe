import { FeaturesError, FeaturesErrorCode } from '../features-error';
import type { FeatureRef, ResolvedFeatureView } from '../registry/resolved-feature-view';

/** Per resolved view, built once (views are cached by FeatureViewResolver until the next apply). */
export interface ViewServingPlan {
  view: ResolvedFeatureView;
  featureIndex: Map<string, number>;
  joinKeyNames: string[];
  ttlMs: number;
}

const plans = new WeakMap<ResolvedFeatureView, ViewServingPlan>();

export function viewServingPlan(view: ResolvedFeatureView): ViewServingPlan {
  let plan = plans.get(view);
  if (!plan) {
    plan = { view, featureIndex: new Map(view.features.map((f, i) => [f.name, i])), joinKeyNames: view.joinKeys.map((k) => k.name), ttlMs: view.ttlSeconds * 1000 };
    plans.set(view, plan);
  }
  return plan;
}

/** The features of one view a request wants, and where each lands in the response. */
export interface ViewRead {
  plan: ViewServingPlan;
  featureIndexes: number[];
  /** Response column (0-based, after the join key columns) of each requested feature. */
  outputColumns: number[];
}

export interface RequestPlan {
  reads: ViewRead[];
  featureNames: string[];
  /** Join keys every view together needs. */
  joinKeys: Set<string>;
  /** The distinct source tables (`schema.name`) the reads come from, for the availability SLOs. */
  tables: string[];
}

/** Groups the requested features by view (one store request per view) and names the output columns. */
export function planRequest(refs: FeatureRef[], views: Map<string, ResolvedFeatureView>, fullFeatureNames: boolean): RequestPlan {
  const byView = new Map<string, ViewRead>();
  const featureNames: string[] = [];
  const joinKeys = new Set<string>();
  const seen = new Map<string, string>();
  refs.forEach((ref, column) => {
    const plan = viewServingPlan(views.get(ref.view)!);
    const index = plan.featureIndex.get(ref.feature);
    if (index === undefined)
      throw new FeaturesError(FeaturesErrorCode.FEATURE_NOT_FOUND, `feature ${ref.view}:${ref.feature} not found: view ${ref.view} has ${[...plan.featureIndex.keys()].join(', ')}`, {
        feature: `${ref.view}:${ref.feature}`,
      });
    const name = fullFeatureNames ? `${ref.view}__${ref.feature}` : ref.feature;
    const previous = seen.get(name);
    if (previous !== undefined) {
      const hint = fullFeatureNames ? 'it is requested twice' : `it is also ${previous}; set full_feature_names to tell them apart`;
      throw new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, `duplicate feature name ${name} (${ref.view}:${ref.feature}): ${hint}`, { feature: `${ref.view}:${ref.feature}` });
    }
    seen.set(name, `${ref.view}:${ref.feature}`);
    featureNames.push(name);
    let read = byView.get(ref.view);
    if (!read) {
      read = { plan, featureIndexes: [], outputColumns: [] };
      byView.set(ref.view, read);
      for (const k of plan.joinKeyNames) joinKeys.add(k);
    }
    read.featureIndexes.push(index);
    read.outputColumns.push(column);
  });
  const reads = [...byView.values()];
  const tables = [...new Set(reads.map((r) => `${r.plan.view.table.schema}.${r.plan.view.table.name}`))];
  return { reads, featureNames, joinKeys, tables };
}
