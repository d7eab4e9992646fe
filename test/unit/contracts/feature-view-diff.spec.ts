import { diffFeatureViews } from '../../../src/catalog/contracts/documents/contract-diff';
import type { NormalizedFeatureView } from '../../../src/catalog/contracts/documents/normalized-types';
import { featureView, valueOf } from './contract-fixtures';

const view = (o: Record<string, unknown> = {}): NormalizedFeatureView =>
  valueOf(featureView({ ttl: '2h', online: false, description: 'stats', ...o }), 'FeatureView');

describe('diffFeatureViews', () => {
  it('finds nothing between identical views', () => {
    expect(diffFeatureViews(view(), view())).toEqual({ changes: [], impact: 'NONE', breaking: [] });
  });

  it.each<[string, Record<string, unknown>, 'MAJOR' | 'MINOR' | 'PATCH', string]>([
    ['feature removed', { features: ['conv_rate'] }, 'MAJOR', 'features'],
    ['entities changed', { entities: ['driver', 'rider'] }, 'MAJOR', 'entities'],
    ['source product changed', { source: { dataProduct: 'other', outputPort: 'hourly' } }, 'MAJOR', 'source'],
    ['source port changed', { source: { dataProduct: 'rides-driver-stats', outputPort: 'hourly_v2' } }, 'MAJOR', 'source'],
    ['timestampField changed', { timestampField: 'ts' }, 'MAJOR', 'timestampField'],
    ['feature added', { features: ['conv_rate', 'acc_rate', 'trips'] }, 'MINOR', 'features[2]'],
    ['ttl changed', { ttl: '3h' }, 'MINOR', 'ttlSeconds'],
    ['online changed', { online: true }, 'MINOR', 'online'],
    ['description changed', { description: 'hourly stats' }, 'PATCH', 'description'],
    ['feature description changed', { features: ['conv_rate', { name: 'acc_rate', description: 'accept rate' }] }, 'PATCH', 'features[1].description'],
  ])('%s → %s', (_name, overrides, impact, path) => {
    const diff = diffFeatureViews(view(), view(overrides));
    expect(diff.changes).toHaveLength(1);
    expect(diff.changes[0]).toMatchObject({ path, impact });
    expect(diff.impact).toBe(impact);
    expect(diff.breaking).toHaveLength(impact === 'MAJOR' ? 1 : 0);
  });

  it('does not care about feature order or equivalent ttl spellings', () => {
    expect(diffFeatureViews(view(), view({ features: ['acc_rate', 'conv_rate'], ttl: 7200 })).impact).toBe('NONE');
  });
});
