import fc from 'fast-check';
import { hashLayout, rowHash, uniqueSets, validateRows } from '../../src/features/ingest/row-validator';
import { copyText } from '../../src/features/ingest/offline-ingest.repository';
import type { OfflineColumn } from '../../src/features/offline/offline-table.entity';

const col = (name: string, logicalType: OfflineColumn['logicalType'], over: Partial<OfflineColumn> = {}): OfflineColumn => ({
  name,
  logicalType,
  required: false,
  unique: false,
  primaryKey: false,
  logicalTypeOptions: null,
  ...over,
});

describe('row hash and COPY text', () => {
  const columns = [col('b', 'string'), col('a', 'integer'), col('c', 'object')];
  const hashOf = (row: Record<string, unknown>, cols = columns) => {
    const r = validateRows(cols, [row], 'json', 10);
    expect(r.errors).toEqual([]);
    return r.rows[0].hash;
  };

  it('depends on values, not on key order, JSON key order or notation', () => {
    expect(hashOf({ a: 1, b: 'x', c: { p: 1, q: [2] } })).toBe(hashOf({ c: { q: [2], p: 1 }, b: 'x', a: 1.0 }));
    expect(hashOf({ a: 1, b: 'x' })).not.toBe(hashOf({ a: 2, b: 'x' }));
  });

  it('ignores NULLs, so a column added later keeps old rows hashing alike', () => {
    const wider = [...columns, col('d', 'number')];
    expect(hashOf({ a: 1, b: 'x' }, wider)).toBe(hashOf({ a: 1, b: 'x' }));
    expect(hashOf({ a: 1, b: 'x', d: null }, wider)).toBe(hashOf({ a: 1, b: 'x' }));
  });

  it('cannot be fooled by values that look like the encoding', () => {
    const two = [col('x', 'string'), col('y', 'string')];
    const layout = hashLayout(two);
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (x1, y1, x2, y2) => {
        fc.pre(x1 !== x2 || y1 !== y2);
        expect(rowHash(layout, [x1, y1])).not.toBe(rowHash(layout, [x2, y2]));
      }),
    );
    expect(rowHash(layout, ['a', null])).not.toBe(rowHash(layout, [null, 'a']));
  });

  it('escapes exactly what COPY text format treats specially', () => {
    expect(copyText(null)).toBe('\\N');
    expect(copyText('\\N')).toBe('\\\\N');
    expect(copyText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyText('"quoted", \'single\'')).toBe('"quoted", \'single\'');
  });

  it('keys the primary key once and every other unique column alone', () => {
    const cols = [col('id', 'integer', { primaryKey: true, unique: true }), col('k', 'string', { primaryKey: true }), col('u', 'string', { unique: true })];
    expect(uniqueSets(cols)).toEqual([
      { columns: ['id', 'k'], label: 'primary key' },
      { columns: ['id'], label: 'unique value' },
      { columns: ['u'], label: 'unique value' },
    ]);
    expect(uniqueSets([col('id', 'integer', { primaryKey: true, unique: true })])).toEqual([{ columns: ['id'], label: 'primary key' }]);
  });
});
