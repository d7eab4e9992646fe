import { describeSqlFailure } from '../../../src/quality/rule-sql-failure';
import { ruleSqlRefusal } from '../../../src/quality/rule-sql-guard';

const OWN = 'dom_beta';
const wrap = (q: string) => `SELECT * FROM (\n${q}\n) AS _tessera_rule LIMIT 2`;

describe('rule SQL guard (libpg-query, ADR 0019)', () => {
  it.each([
    'SELECT count(*) FROM dom_beta.t',
    'SELECT count(*) FROM "dom_beta"."T"',
    'WITH a AS (SELECT * FROM dom_beta.t), b AS (SELECT * FROM a) SELECT count(*) FROM b',
    'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT max(n) FROM r',
    "SELECT 100.0 * count(x) / nullif(count(*), 0) FROM dom_beta.t WHERE date_trunc('day', ts) > now() - interval '1 day'",
    'SELECT count(*) FROM dom_beta.t a JOIN dom_beta.u b USING (id) WHERE EXISTS (SELECT 1 FROM dom_beta.v WHERE v.id = a.id)',
    'SELECT pg_catalog.count(*) FROM dom_beta.t',
    'SELECT coalesce(greatest(1, 2), 0) OPERATOR(pg_catalog.+) 1',
  ])('allows %s', async (q) => {
    expect(await ruleSqlRefusal(wrap(q), OWN)).toBeNull();
  });

  it.each([
    ['SELECT count(*) FROM dom_alpha.t', /another domain's schema/],
    ['SELECT count(*) FROM tessera_datasets.x', /the service's own schema/],
    ['SELECT count(*) FROM public.tessera_migrations', /outside the domain/],
    ['SELECT count(*) FROM pg_stat_activity', /unqualified names/],
    ['SELECT count(*) FROM mydb.dom_beta.t', /database-qualified/],
    // A non-recursive CTE does not see the ones after it: `pg_roles` inside `a` is the catalog.
    ['WITH a AS (SELECT * FROM pg_roles), pg_roles AS (SELECT 1) SELECT count(*) FROM a', /relation pg_roles: unqualified/],
    // A CTE name is visible only inside its WITH: the scalar subquery next to it reads the catalog.
    ['SELECT (WITH pg_authid AS (SELECT 1) SELECT count(*) FROM pg_authid) + (SELECT count(*) FROM pg_authid)', /relation pg_authid: unqualified/],
    ['SELECT count(*) FROM dom_beta.t FOR UPDATE', /row locks/],
    ["SELECT PG_READ_FILE('x')", /function pg_read_file/],
    ['SELECT lo_get(1)', /function lo_get/],
    ["SELECT ts_stat('SELECT 1')", /function ts_stat/],
    ["SELECT table_to_xmlschema('tessera.api_keys', true, true, '')", /function table_to_xmlschema/],
    ['SELECT other.fn()', /only built-in functions/],
    ['SELECT 1 OPERATOR(tessera.+) 1', /only built-in operators/],
  ])('refuses %s', async (q, reason) => {
    expect(await ruleSqlRefusal(wrap(q), OWN)).toMatch(reason);
  });

  it('refuses what does not parse or is not one SELECT', async () => {
    expect(await ruleSqlRefusal('SELEC 1', OWN)).toMatch(/does not parse/);
    expect(await ruleSqlRefusal('SELECT 1; SELECT 2', OWN)).toBe('the query must be a single SELECT');
    expect(await ruleSqlRefusal('DELETE FROM dom_beta.t', OWN)).toBe('the query must be a single SELECT');
  });

  it('reports a failed statement by SQLSTATE only, never by message or detail', () => {
    const e = Object.assign(new Error('invalid input syntax for type integer: "secret@example.com"'), { code: '22P02', detail: 'secret' });
    expect(describeSqlFailure(e)).toBe('SQLSTATE 22P02, data exception (a value the expression cannot handle)');
    expect(describeSqlFailure(Object.assign(new Error('permission denied for table api_keys'), { code: '42501' }))).toMatch(/^SQLSTATE 42501, insufficient privilege/);
    expect(describeSqlFailure(new Error('socket hang up'))).toBe('the statement failed (no SQLSTATE)');
  });
});
