import { joinPath } from './apply-issue';
import { ChangeImpact, ContractChange, ContractDiff, matchByKey, sameValue, toSchemaDiff } from './diff-types';
import { NormalizedContract, NormalizedProperty, NormalizedSchemaObject } from './normalized-types';
import { suggestVersion } from './version-bump';

export type { ChangeImpact, ContractChange, ContractDiff, DiffImpact, SchemaDiff } from './diff-types';
export { checkVersionBump, suggestVersion } from './version-bump';
export { diffFeatureViews } from './feature-view-diff';

/** How a field's change affects consumers; `impact` may depend on the direction of the change. */
interface FieldRule<T> {
  field: keyof T & string;
  impact: (from: unknown, to: unknown) => ChangeImpact;
}

const major = (): ChangeImpact => 'MAJOR';
const minor = (): ChangeImpact => 'MINOR';
const patch = (): ChangeImpact => 'PATCH';
/** Tightening (false → true) breaks producers and readers relying on nulls/duplicates; loosening does not. */
const tightening = (from: unknown, to: unknown): ChangeImpact => (from !== true && to === true ? 'MAJOR' : 'MINOR');

/**
 * The compatibility surface is the shape consumers code against: names, logical types,
 * nullability, uniqueness, keys and classification (which drives access policies). Physical
 * details and logicalTypeOptions are MINOR: Tessera serves data by logical name, and options are
 * validation hints; a narrowed range or enum is surfaced in the diff for review rather than
 * forcing a new port (a deliberate choice: treating it as MAJOR would make every constraint
 * tweak a new output port).
 */
const PROPERTY_RULES: FieldRule<NormalizedProperty>[] = [
  { field: 'logicalType', impact: major },
  { field: 'required', impact: tightening },
  { field: 'unique', impact: tightening },
  { field: 'primaryKey', impact: major },
  { field: 'primaryKeyPosition', impact: major },
  { field: 'classification', impact: major },
  { field: 'logicalTypeOptions', impact: minor },
  { field: 'physicalName', impact: minor },
  { field: 'physicalType', impact: minor },
  { field: 'partitioned', impact: minor },
  { field: 'quality', impact: minor },
  { field: 'description', impact: patch },
  { field: 'businessName', impact: patch },
  { field: 'tags', impact: patch },
  { field: 'examples', impact: patch },
];

const OBJECT_RULES: FieldRule<NormalizedSchemaObject>[] = [
  { field: 'physicalName', impact: minor },
  { field: 'physicalType', impact: minor },
  { field: 'quality', impact: minor },
  { field: 'description', impact: patch },
  { field: 'businessName', impact: patch },
  { field: 'tags', impact: patch },
];

/** Contract metadata: none of it changes what a consumer reads. */
const CONTRACT_RULES: FieldRule<NormalizedContract>[] = [
  { field: 'apiVersion', impact: patch },
  { field: 'status', impact: patch },
  { field: 'name', impact: patch },
  { field: 'domain', impact: patch },
  { field: 'dataProduct', impact: patch },
  { field: 'description', impact: patch },
  { field: 'tags', impact: patch },
  { field: 'support', impact: patch },
  { field: 'team', impact: patch },
  { field: 'roles', impact: patch },
];

export function diffContracts(from: NormalizedContract, to: NormalizedContract): ContractDiff {
  const changes: ContractChange[] = [];
  compareFields(CONTRACT_RULES, from, to, '', 'contract', changes);
  diffSchema(from.schema ?? [], to.schema ?? [], changes);
  diffSla(from, to, changes);
  const diff = toSchemaDiff(changes);
  return { ...diff, suggestedVersion: suggestVersion(from.version, diff.impact) };
}

function diffSchema(from: NormalizedSchemaObject[], to: NormalizedSchemaObject[], changes: ContractChange[]): void {
  const { removed, added, common } = matchByKey(from, to, (o) => o.name);
  for (const o of removed) {
    changes.push({ path: 'schema', change: 'removed', element: o.name, from: o.name, impact: 'MAJOR', reason: `schema object ${o.name} removed` });
  }
  for (const { item, index } of added) {
    const path = joinPath('schema', index);
    changes.push({ path, change: 'added', element: item.name, to: item.name, impact: 'MINOR', reason: `schema object ${item.name} added` });
  }
  for (const pair of common) {
    const path = joinPath('schema', pair.index);
    compareFields(OBJECT_RULES, pair.from, pair.to, path, pair.to.name, changes);
    diffProperties(pair.from.properties ?? [], pair.to.properties ?? [], path, pair.to.name, changes);
  }
}

/** Properties match by name within their parent; nested object properties and array items recurse. */
function diffProperties(
  from: NormalizedProperty[],
  to: NormalizedProperty[],
  parentPath: string,
  parentElement: string,
  changes: ContractChange[],
): void {
  const listPath = joinPath(parentPath, 'properties');
  const { removed, added, common } = matchByKey(from, to, (p) => p.name);
  for (const p of removed) {
    const element = `${parentElement}.${p.name}`;
    changes.push({ path: listPath, change: 'removed', element, from: p.name, impact: 'MAJOR', reason: `property ${element} removed` });
  }
  for (const { item, index } of added) {
    const element = `${parentElement}.${item.name}`;
    const path = joinPath(listPath, index);
    changes.push({ path, change: 'added', element, to: item.name, impact: 'MINOR', reason: `property ${element} added` });
  }
  for (const pair of common) diffProperty(pair.from, pair.to, joinPath(listPath, pair.index), `${parentElement}.${pair.to.name}`, changes);
}

function diffProperty(from: NormalizedProperty, to: NormalizedProperty, path: string, element: string, changes: ContractChange[]): void {
  compareFields(PROPERTY_RULES, from, to, path, element, changes);
  diffProperties(from.properties ?? [], to.properties ?? [], path, element, changes);
  const itemsPath = joinPath(path, 'items');
  const itemsElement = `${element}[]`;
  if (from.items && to.items) diffProperty(from.items, to.items, itemsPath, itemsElement, changes);
  else if (from.items) {
    changes.push({ path, change: 'removed', field: 'items', element: itemsElement, impact: 'MAJOR', reason: `array items of ${element} removed` });
  } else if (to.items) {
    changes.push({ path: itemsPath, change: 'added', field: 'items', element: itemsElement, impact: 'MINOR', reason: `array items of ${element} described` });
  }
}

/** SLA entries are keyed by property and element (ODCS allows one per element, e.g. two timeOfAvailability). */
function diffSla(from: NormalizedContract, to: NormalizedContract, changes: ContractChange[]): void {
  const key = (s: { property: string; element: string | null }) => `${s.property}\u0000${s.element ?? ''}`;
  const label = (s: { property: string; element: string | null }) => (s.element ? `${s.property} (${s.element})` : s.property);
  const { removed, added, common } = matchByKey(from.slaProperties ?? [], to.slaProperties ?? [], key);
  for (const s of removed) {
    changes.push({ path: 'slaProperties', change: 'removed', field: s.property, from: s, impact: 'MINOR', reason: `SLA ${label(s)} removed` });
  }
  for (const { item, index } of added) {
    const path = joinPath('slaProperties', index);
    changes.push({ path, change: 'added', field: item.property, to: item, impact: 'MINOR', reason: `SLA ${label(item)} added` });
  }
  for (const pair of common) {
    if (sameValue(pair.from, pair.to)) continue;
    const path = joinPath('slaProperties', pair.index);
    changes.push({ path, change: 'changed', field: pair.to.property, from: pair.from, to: pair.to, impact: 'MINOR', reason: `SLA ${label(pair.to)} changed` });
  }
}

function compareFields<T extends object>(
  rules: FieldRule<T>[],
  from: T,
  to: T,
  path: string,
  element: string,
  changes: ContractChange[],
): void {
  for (const rule of rules) {
    const a = (from as Record<string, unknown>)[rule.field] ?? null;
    const b = (to as Record<string, unknown>)[rule.field] ?? null;
    if (sameValue(a, b)) continue;
    const impact = rule.impact(a, b);
    changes.push({
      path: joinPath(path, rule.field),
      change: 'changed',
      field: rule.field,
      element,
      from: a,
      to: b,
      impact,
      reason: `${rule.field} of ${element} changed${describeChange(a, b)}`,
    });
  }
}

function describeChange(a: unknown, b: unknown): string {
  const simple = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
  return simple(a) && simple(b) ? ` from ${JSON.stringify(a)} to ${JSON.stringify(b)}` : '';
}
