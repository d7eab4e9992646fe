import { canonicalJson } from './content-hash';

export type ChangeImpact = 'MAJOR' | 'MINOR' | 'PATCH';
export type DiffImpact = ChangeImpact | 'NONE';

export interface ContractChange {
  /** Path in the newer document (`schema[0].properties[2].logicalType`); for removals, the parent list in it. */
  path: string;
  change: 'added' | 'removed' | 'changed';
  field?: string;
  /** Dotted element name (`orders.customer_id`), stable across versions unlike array indices. */
  element?: string;
  from?: unknown;
  to?: unknown;
  impact: ChangeImpact;
  reason: string;
}

/** Result of comparing two revisions of a versioned definition. */
export interface SchemaDiff {
  changes: ContractChange[];
  impact: DiffImpact;
  /** The MAJOR changes: what makes the new revision incompatible for existing consumers. */
  breaking: ContractChange[];
}

export interface ContractDiff extends SchemaDiff {
  /** The older version bumped by `impact` (unchanged for NONE). */
  suggestedVersion: string;
}

const RANK: Record<DiffImpact, number> = { NONE: 0, PATCH: 1, MINOR: 2, MAJOR: 3 };

export function maxImpact(changes: readonly ContractChange[]): DiffImpact {
  return changes.reduce<DiffImpact>((acc, c) => (RANK[c.impact] > RANK[acc] ? c.impact : acc), 'NONE');
}

export function toSchemaDiff(changes: ContractChange[]): SchemaDiff {
  return { changes, impact: maxImpact(changes), breaking: changes.filter((c) => c.impact === 'MAJOR') };
}

/** Structural equality that ignores key order (values come from YAML: plain JSON data). */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Pairs list entries by a key; entries without a usable key are ignored. */
export function matchByKey<T>(
  from: readonly T[],
  to: readonly T[],
  key: (item: T) => string,
): { removed: T[]; added: { item: T; index: number }[]; common: { from: T; to: T; index: number }[] } {
  const toIndex = new Map(to.map((item, index) => [key(item), index]));
  const fromKeys = new Set(from.map(key));
  const removed = from.filter((item) => !toIndex.has(key(item)));
  const added = to.map((item, index) => ({ item, index })).filter(({ item }) => !fromKeys.has(key(item)));
  const common = from.flatMap((item) => {
    const index = toIndex.get(key(item));
    return index === undefined ? [] : [{ from: item, to: to[index], index }];
  });
  return { removed, added, common };
}
