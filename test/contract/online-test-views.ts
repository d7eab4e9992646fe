import type { FeatureValueType, ResolvedColumn, ResolvedFeatureView } from '../../src/features/registry/resolved-feature-view';

/** A ResolvedFeatureView built directly, for store- and materialization-level tests. */
export function testView(over: Partial<ResolvedFeatureView> & { name: string }): ResolvedFeatureView {
  return {
    joinKeys: [col('driver_id', 'integer')],
    table: { schema: 'public', name: over.name },
    timestampColumn: 'event_timestamp',
    createdTimestampColumn: 'created',
    ttlSeconds: 0,
    online: true,
    features: [col('conv_rate', 'number'), col('trips', 'integer')],
    version: 'v1',
    ...over,
  };
}

export function col(name: string, type: FeatureValueType): ResolvedColumn {
  return { name, column: name, type };
}

export const at = (iso: string): Date => new Date(iso);
