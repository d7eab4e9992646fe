import { joinPath } from './apply-issue';
import { ChangeImpact, ContractChange, SchemaDiff, matchByKey, sameValue, toSchemaDiff } from './diff-types';
import { NormalizedFeatureView } from './normalized-types';

/**
 * A feature view is what training sets and models bind to: losing a feature or changing how rows
 * are keyed, sourced or ordered in time breaks them (MAJOR); freshness knobs are MINOR.
 */
const VIEW_RULES: { field: keyof NormalizedFeatureView; impact: ChangeImpact }[] = [
  { field: 'entities', impact: 'MAJOR' },
  { field: 'source', impact: 'MAJOR' },
  { field: 'timestampField', impact: 'MAJOR' },
  // Only affects tie-breaking between rows with the same event time.
  { field: 'createdTimestampField', impact: 'MINOR' },
  { field: 'ttlSeconds', impact: 'MINOR' },
  { field: 'online', impact: 'MINOR' },
  { field: 'schedule', impact: 'MINOR' },
  { field: 'description', impact: 'PATCH' },
  { field: 'tags', impact: 'PATCH' },
];

export function diffFeatureViews(from: NormalizedFeatureView, to: NormalizedFeatureView): SchemaDiff {
  const changes: ContractChange[] = [];
  for (const { field, impact } of VIEW_RULES) {
    const a = from[field] ?? null;
    const b = to[field] ?? null;
    if (!sameValue(a, b)) {
      changes.push({ path: field, change: 'changed', field, element: to.name, from: a, to: b, impact, reason: `${field} of feature view ${to.name} changed` });
    }
  }
  const { removed, added, common } = matchByKey(from.features ?? [], to.features ?? [], (f) => f.name);
  for (const f of removed) {
    const element = `${to.name}:${f.name}`;
    changes.push({ path: 'features', change: 'removed', element, from: f.name, impact: 'MAJOR', reason: `feature ${element} removed` });
  }
  for (const { item, index } of added) {
    const element = `${to.name}:${item.name}`;
    changes.push({ path: joinPath('features', index), change: 'added', element, to: item.name, impact: 'MINOR', reason: `feature ${element} added` });
  }
  for (const pair of common) {
    for (const field of ['description', 'tags'] as const) {
      if (sameValue(pair.from[field], pair.to[field])) continue;
      const element = `${to.name}:${pair.to.name}`;
      changes.push({
        path: joinPath('features', pair.index, field),
        change: 'changed',
        field,
        element,
        from: pair.from[field],
        to: pair.to[field],
        impact: 'PATCH',
        reason: `${field} of feature ${element} changed`,
      });
    }
  }
  return toSchemaDiff(changes);
}
