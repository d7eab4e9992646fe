import { lifecycleRefusal } from '../../src/catalog/apply/product-lifecycle';

describe('data product lifecycle', () => {
  it.each([
    ['proposed', 'draft'],
    ['draft', 'active'],
    ['proposed', 'active'],
    ['active', 'deprecated'],
    ['deprecated', 'retired'],
    ['active', 'active'],
  ])('allows %s → %s', (from, to) => {
    expect(lifecycleRefusal(from, to)).toBeNull();
  });

  it.each([
    ['active', 'draft'],
    ['retired', 'active'],
    ['deprecated', 'proposed'],
  ])('refuses %s → %s with the lifecycle in the reason', (from, to) => {
    expect(lifecycleRefusal(from, to)).toBe(`status cannot move back from ${from} to ${to} (lifecycle: proposed → draft → active → deprecated → retired; steps may be skipped, never undone)`);
  });
});
