import type { LocatedQualityRule } from '../../../src/catalog/contracts/documents/normalized-types';
import { QUALITY_OPERATORS } from '../../../src/catalog/contracts/documents/odcs-quality.schema';
import type { OfflineColumn } from '../../../src/features/offline/offline-table.entity';
import type { QualityTarget } from '../../../src/quality/quality-rule';

export const col = (name: string, over: Partial<OfflineColumn> = {}): OfflineColumn => ({
  name,
  logicalType: 'string',
  required: false,
  unique: false,
  primaryKey: false,
  logicalTypeOptions: null,
  ...over,
});

export const target = (columns: OfflineColumn[], objectName = 'orders'): QualityTarget => ({ schema: 'dom_shop', table: 'shop__orders__v1', columns, objectName });

/** A located rule as normalizeContract produces it, from the ODCS fields of one rule. */
export function rule(path: string, element: string, q: Record<string, unknown>): LocatedQualityRule {
  const operator = QUALITY_OPERATORS.find((op) => q[op] !== undefined) ?? null;
  const s = (k: string) => (typeof q[k] === 'string' ? q[k] : null);
  return {
    id: s('id'),
    name: s('name'),
    description: s('description'),
    type: s('type') ?? (q.metric !== undefined ? 'library' : 'text'),
    dimension: s('dimension'),
    metric: s('metric'),
    query: s('query'),
    engine: s('engine'),
    implementation: null,
    operator,
    threshold: operator ? q[operator] : null,
    unit: s('unit'),
    severity: s('severity'),
    businessImpact: null,
    schedule: null,
    scheduler: null,
    arguments: (q.arguments as Record<string, unknown>) ?? null,
    raw: q,
    path,
    element,
  };
}
