import { createHash } from 'node:crypto';
import type { ResolvedFeatureView } from '../registry/resolved-feature-view';
import { EntityKeyEncoder } from './entity-key-codec';

/**
 * What the stores precompute once per resolved view: the entity key encoder and the vector layout ids.
 * A vector is stored with the id of the feature list it was written with. Feature views only ever
 * grow by appending features (removals and type changes are refused at apply), so a vector written
 * before a feature was added is a valid prefix of the current layout: `prefixLength` maps every
 * prefix's id to its length and readers report the missing tail as absent instead of misreading it.
 */
export interface ViewLayout {
  encoder: EntityKeyEncoder;
  /** Id of the full, current feature list: what writers store. */
  layoutId: string;
  /** Layout id -> number of leading features it covers. */
  prefixLength: Map<string, number>;
  ttlMs: number;
}

const cache = new WeakMap<ResolvedFeatureView, ViewLayout>();

export function viewLayout(view: ResolvedFeatureView): ViewLayout {
  let layout = cache.get(view);
  if (!layout) {
    layout = buildLayout(view);
    cache.set(view, layout);
  }
  return layout;
}

function buildLayout(view: ResolvedFeatureView): ViewLayout {
  const prefixLength = new Map<string, number>();
  const hash = createHash('sha256');
  let layoutId = 'empty';
  view.features.forEach((f, i) => {
    hash.update(`${f.name}:${f.type};`);
    layoutId = hash.copy().digest('base64url').slice(0, 10);
    prefixLength.set(layoutId, i + 1);
  });
  return { encoder: new EntityKeyEncoder(view.joinKeys), layoutId, prefixLength, ttlMs: view.ttlSeconds * 1000 };
}

/** When the row's entry expires (epoch ms), or null without a ttl. */
export function expiresAtMs(layout: ViewLayout, eventTs: Date): number | null {
  return layout.ttlMs > 0 ? eventTs.getTime() + layout.ttlMs : null;
}
