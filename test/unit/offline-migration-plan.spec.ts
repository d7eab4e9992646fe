import { planMigration, sameColumns } from '../../src/features/offline/offline-migration-plan';
import type { OfflineColumn } from '../../src/features/offline/offline-table.entity';

const col = (name: string, over: Partial<OfflineColumn> = {}): OfflineColumn => ({
  name,
  logicalType: 'string',
  required: false,
  unique: false,
  primaryKey: false,
  logicalTypeOptions: null,
  ...over,
});
const physical = (...cols: [string, boolean][]) => cols.map(([name, notNull]) => ({ name, notNull }));

describe('offline table migration plan (same major)', () => {
  it('adds new properties and never a primary key to an existing table', () => {
    const stored = [col('id', { logicalType: 'integer', required: true, primaryKey: true })];
    const next = [...stored, col('name', { required: true }), col('code', { primaryKey: true })];
    const plan = planMigration(stored, next, physical(['id', true]));
    expect(plan.add.map((c) => c.name)).toEqual(['name', 'code']);
    expect(plan.columns.find((c) => c.name === 'code')!.primaryKey).toBe(false);
    expect(plan.columns.find((c) => c.name === 'name')!.required).toBe(true);
    expect(plan.relax).toEqual([]);
  });

  it('keeps stored types; follows required, unique and options; relaxes NOT NULL no longer wanted', () => {
    const stored = [col('a', { logicalType: 'integer', required: true }), col('b', { required: true }), col('c', { required: true })];
    const next = [col('a', { logicalType: 'number', required: false, unique: true, logicalTypeOptions: { minimum: 0 } }), col('b', { required: true })];
    const plan = planMigration(stored, next, physical(['a', true], ['b', true], ['c', true]));
    expect(plan.columns).toEqual([col('a', { logicalType: 'integer', unique: true, logicalTypeOptions: { minimum: 0 } }), col('b', { required: true })]);
    expect(plan.relax).toEqual(['a', 'c']);
    expect(plan.add).toEqual([]);
  });

  it('re-adds to the metadata a property that comes back, without a second column', () => {
    const plan = planMigration([col('a')], [col('a'), col('gone')], physical(['a', false], ['gone', false]));
    expect(plan.add).toEqual([]);
    expect(plan.columns.map((c) => c.name)).toEqual(['a', 'gone']);
  });

  it('compares column metadata regardless of JSON key order', () => {
    const a = col('a', { logicalTypeOptions: { minimum: 1, maximum: 2 } });
    const b = JSON.parse(JSON.stringify({ ...a, logicalTypeOptions: { maximum: 2, minimum: 1 } }));
    expect(sameColumns([a], [b])).toBe(true);
    expect(sameColumns([a], [{ ...a, required: true }])).toBe(false);
  });
});
