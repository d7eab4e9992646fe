import { isBlocking, LibraryRule, planRules } from '../../../src/quality/quality-rule';
import { aggregateStatement, duplicateStatement, sqlRuleStatement } from '../../../src/quality/quality-sql';
import { col, rule, target } from './quality-fixtures';

const columns = [col('id', { logicalType: 'integer' }), col('status'), col('amount', { logicalType: 'number' }), col('meta', { logicalType: 'object' }), col('x"; DROP TABLE t; --')];
const T = target(columns);

const plan = (rules: Parameters<typeof planRules>[0]) => planRules(rules, T);
const library = (rules: Parameters<typeof planRules>[0]) => plan(rules) as LibraryRule[];

describe('planning quality rules for a table', () => {
  it('names each rule by its declaration path and index, resolves its column and severity', () => {
    const planned = plan([
      rule('schema[0].properties[1]', 'orders.status', { metric: 'nullValues', mustBe: 0, severity: 'error' }),
      rule('schema[0].properties[1]', 'orders.status', { metric: 'invalidValues', mustBe: 0, arguments: { validValues: ['a'] }, severity: 'warning' }),
      rule('schema[0]', 'orders', { metric: 'rowCount', mustBeGreaterThan: 0, unit: 'Percent' }),
    ]);
    expect(planned.map((r) => [r.path, r.kind, r.column?.name ?? null, r.blocking, r.unit])).toEqual([
      ['schema[0].properties[1].quality[0]', 'library', 'status', true, 'rows'],
      ['schema[0].properties[1].quality[1]', 'library', 'status', false, 'rows'],
      ['schema[0].quality[0]', 'library', null, false, 'percent'],
    ]);
  });

  it('blocks on error-like severities only', () => {
    expect(['error', 'ERROR', 'critical', 'blocker', 'fatal'].every((s) => isBlocking(s))).toBe(true);
    expect([null, 'warning', 'info', 'minor', ''].some((s) => isBlocking(s))).toBe(false);
  });

  it('leaves out rules of other schema objects, skips text/custom rules, flags broken ones', () => {
    const planned = plan([
      rule('schema[1]', 'other', { metric: 'rowCount', mustBe: 1 }),
      rule('schema[0]', 'orders', { type: 'text', description: 'prose' }),
      rule('schema[0]', 'orders', { type: 'custom', engine: 'soda' }),
      rule('schema[0].properties[9]', 'orders.nested.field', { metric: 'nullValues', mustBe: 0 }),
      rule('schema[0]', 'orders', { metric: 'nullValues', mustBe: 0 }),
      rule('schema[0].properties[1]', 'orders.status', { metric: 'missingValues', mustBe: 0 }),
      rule('schema[0].properties[1]', 'orders.status', { metric: 'invalidValues', mustBe: 0 }),
      rule('schema[0]', 'orders', { metric: 'duplicateValues', mustBe: 0, arguments: { properties: ['id', 'nope'] } }),
      rule('schema[0]', 'orders', { metric: 'rowCount' }),
      rule('schema[0]', 'orders', { type: 'sql', mustBe: 0 }),
    ]);
    expect(planned.map((r) => r.kind)).toEqual(['skipped', 'skipped', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid']);
    expect(planned.map((r) => ('reason' in r ? r.reason : ''))).toEqual([
      expect.stringMatching(/text rules are not executed/),
      expect.stringMatching(/custom rules/),
      expect.stringMatching(/not a column/),
      expect.stringMatching(/property-level metric/),
      expect.stringMatching(/arguments.missingValues/),
      expect.stringMatching(/validValues or arguments.pattern/),
      expect.stringMatching(/nope not column/),
      expect.stringMatching(/no operator/),
      expect.stringMatching(/needs a query/),
    ]);
  });
});

describe('SQL of library metrics', () => {
  it('counts every null/missing/invalid rule and the rows in ONE aggregate over the table', () => {
    const rules = library([
      rule('schema[0].properties[1]', 'orders.status', { metric: 'nullValues', mustBe: 0 }),
      rule('schema[0].properties[1]', 'orders.status', { metric: 'missingValues', mustBe: 0, arguments: { missingValues: [null, '', 'N/A'] } }),
      rule('schema[0].properties[1]', 'orders.status', { metric: 'invalidValues', mustBe: 0, arguments: { validValues: ['open', 'paid', null], pattern: '^[a-z]+$' } }),
      rule('schema[0].properties[0]', 'orders.id', { metric: 'invalidValues', mustBe: 0, arguments: { validValues: [1, 2] } }),
      rule('schema[0]', 'orders', { metric: 'rowCount', mustBeGreaterThan: 0 }),
      rule('schema[0]', 'orders', { metric: 'duplicateValues', mustBe: 0, arguments: { properties: ['id', 'status'] } }),
    ]);
    const s = aggregateStatement(T, rules);
    expect(s.text).toBe(
      'SELECT count(*) AS n, ' +
        'count(*) FILTER (WHERE "status" IS NULL) AS r0, ' +
        'count(*) FILTER (WHERE ("status" IS NULL OR "status"::text = ANY($1::text[]))) AS r1, ' +
        'count(*) FILTER (WHERE "status" IS NOT NULL AND NOT ("status" = ANY($2::text[]) AND "status"::text ~ $3::text)) AS r2, ' +
        'count(*) FILTER (WHERE "id" IS NOT NULL AND NOT ("id" = ANY($4::bigint[]))) AS r3 ' +
        'FROM "dom_shop"."shop__orders__v1"',
    );
    expect(s.values).toEqual([['', 'N/A'], ['open', 'paid'], '^[a-z]+$', ['1', '2']]);
    expect([...s.aliases]).toEqual([
      ['schema[0].properties[1].quality[0]', 'r0'],
      ['schema[0].properties[1].quality[1]', 'r1'],
      ['schema[0].properties[1].quality[2]', 'r2'],
      ['schema[0].properties[0].quality[0]', 'r3'],
      ['schema[0].quality[0]', 'n'],
    ]);
  });

  it('compares valid values of a JSON column as jsonb and quotes hostile column names', () => {
    const hostile = library([
      rule('schema[0].properties[3]', 'orders.meta', { metric: 'invalidValues', mustBe: 0, arguments: { validValues: [{ a: 1 }] } }),
      rule('schema[0].properties[4]', 'orders.x"; DROP TABLE t; --', { metric: 'missingValues', mustBe: 0, arguments: { missingValues: [null] } }),
    ]);
    const s = aggregateStatement(T, hostile);
    expect(s.text).toContain('"meta" = ANY($1::jsonb[])');
    expect(s.values).toEqual([['{"a":1}']]);
    expect(s.text).toContain('count(*) FILTER (WHERE ("x""; DROP TABLE t; --" IS NULL)) AS r1');
  });

  it('counts surplus duplicate copies with one GROUP BY per key set, ignoring keys with a NULL', () => {
    expect(duplicateStatement(T, ['id', 'status']).text).toBe(
      'SELECT coalesce(sum(n - 1), 0) AS surplus FROM (SELECT count(*) AS n FROM "dom_shop"."shop__orders__v1" ' +
        'WHERE "id" IS NOT NULL AND "status" IS NOT NULL GROUP BY "id", "status" HAVING count(*) > 1) AS g',
    );
  });
});

describe('SQL of sql rules', () => {
  it('replaces ${table} / {object} with the quoted table and {property} with the rule column', () => {
    const q = sqlRuleStatement('SELECT COUNT(*) FROM ${table} WHERE {property} < 0 AND id IN (SELECT id FROM {object});  ', T, columns[2]);
    expect(q.text).toBe('SELECT * FROM (\nSELECT COUNT(*) FROM "dom_shop"."shop__orders__v1" WHERE "amount" < 0 AND id IN (SELECT id FROM "dom_shop"."shop__orders__v1")\n) AS _tessera_rule LIMIT 2');
    // the same placeholder twice in a row of calls (no regex state carried over)
    expect(sqlRuleStatement('SELECT max(${column}) FROM ${object}', T, columns[0]).text).toContain('SELECT max("id") FROM "dom_shop"');
    expect(sqlRuleStatement('SELECT max(${column}) FROM ${object}', T, columns[0]).text).toContain('SELECT max("id") FROM "dom_shop"');
  });

  it('refuses several statements and {property} outside a property-level rule', () => {
    expect(() => sqlRuleStatement('SELECT 1; DELETE FROM x', T, null)).toThrow(/single statement/);
    expect(() => sqlRuleStatement('SELECT count({property}) FROM {table}', T, null)).toThrow(/property-level/);
  });
});
