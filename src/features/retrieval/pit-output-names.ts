import { FeaturesError, FeaturesErrorCode } from '../features-error';
import type { FeatureValueType, ResolvedFeatureView } from '../registry/resolved-feature-view';
import { invalid } from './pit-entity-frame';
import type { OutputColumn, RequestedFeature } from './pit-request';

export type FeatureOutput = Extract<OutputColumn, { kind: 'feature' }>;

/** `feature`, or `view__feature` with full feature names (Feast's convention). */
export function featureOutputName(view: string, feature: string, fullFeatureNames: boolean): string {
  return fullFeatureNames ? `${view}__${feature}` : feature;
}

/**
 * The feature output columns in requested order. Refused when a requested feature is not in its view,
 * or when two outputs would share a name (two features of one name without full feature names, the
 * same feature twice, or a feature named like an entity column): a silent overwrite would hand
 * a training job the wrong column.
 */
export function featureOutputs(features: readonly RequestedFeature[], fullFeatureNames: boolean, entityColumns: readonly string[]): FeatureOutput[] {
  const outputs: FeatureOutput[] = [];
  for (const { view, feature } of features) {
    const col = view.features.find((f) => f.name === feature);
    if (!col) {
      throw new FeaturesError(FeaturesErrorCode.FEATURE_NOT_FOUND, `feature ${view.name}:${feature} not found: view ${view.name} has ${view.features.map((f) => f.name).join(', ')}`, {
        field: 'features',
        reason: `${view.name}:${feature} is not a feature of ${view.name}`,
      });
    }
    outputs.push({ kind: 'feature', name: featureOutputName(view.name, feature, fullFeatureNames), type: col.type, view: view.name, feature });
  }
  const byName = new Map<string, string[]>();
  for (const n of entityColumns) byName.set(n, [`entity column ${n}`]);
  for (const o of outputs) byName.set(o.name, [...(byName.get(o.name) ?? []), `${o.view}:${o.feature}`]);
  const clashes = [...byName].filter(([, who]) => who.length > 1);
  if (clashes.length) {
    const hint = fullFeatureNames ? '' : ' (set full_feature_names to name them view__feature)';
    const text = clashes.map(([name, who]) => `${who.join(' and ')} would both be output as ${name}`).join('; ');
    throw invalid(
      `duplicate output column names: ${text}${hint}`,
      clashes.map(([name, who]) => ({ field: 'features', reason: `${who.join(' and ')} would both be output as ${name}` })),
    );
  }
  return outputs;
}

/** Join keys of every requested view by name; one key name must mean one logical type across views. */
export function joinKeyTypes(views: readonly ResolvedFeatureView[]): Map<string, FeatureValueType> {
  const types = new Map<string, { type: FeatureValueType; view: string }>();
  for (const v of views) {
    for (const k of v.joinKeys) {
      const seen = types.get(k.name);
      if (seen && seen.type !== k.type) {
        throw invalid(`join key ${k.name} is ${seen.type} in view ${seen.view} but ${k.type} in view ${v.name}; request these views separately`, [
          { field: 'features', reason: `join key ${k.name} has conflicting types across views` },
        ]);
      }
      if (!seen) types.set(k.name, { type: k.type, view: v.name });
    }
  }
  return new Map([...types].map(([n, t]) => [n, t.type]));
}

/** Distinct views of the request in first-requested order. */
export function distinctViews(features: readonly RequestedFeature[]): ResolvedFeatureView[] {
  const views = new Map<string, ResolvedFeatureView>();
  for (const f of features) if (!views.has(f.view.name)) views.set(f.view.name, f.view);
  return [...views.values()];
}
