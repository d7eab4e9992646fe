import type { PoolClient } from 'pg';
import { domainRoleName } from '../../src/features/offline/domain-roles';
import { DomainRolesService } from '../../src/features/offline/domain-roles.service';
import { pgPoolOf } from '../../src/features/retrieval/point-in-time.engine';
import { QualityEvaluator } from '../../src/quality/quality-evaluator';
import type { SqlRule } from '../../src/quality/quality-rule';
import { adminQuery } from '../support/postgres-admin';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 11, domain isolation: a domain's quality rule SQL reads its own domain's schema and nothing
 * else. Refused at apply by PostgreSQL's parser where it can be seen; refused by the domain's role
 * where it cannot; the domain's own rules pass. The service itself is not a superuser.
 */
const product = (id: string, domain: string, contract: string) => `
apiVersion: v1.0.0
kind: DataProduct
id: ${id}
name: ${id}
domain: ${domain}
status: active
outputPorts:
  - { name: events, version: 1.0.0, type: table, contractId: ${contract} }
`;

const contract = (id: string, rules: string[]) => `
apiVersion: v3.1.0
kind: DataContract
id: ${id}
version: 1.0.0
status: active
schema:
  - name: events
    properties:
      - { name: id, logicalType: integer, required: true, primaryKey: true }
      - { name: speed, logicalType: number }
    quality:
${rules.map((q) => `      - { type: sql, query: ${JSON.stringify(q)}, mustBeGreaterOrEqualTo: 0, severity: warning }`).join('\n')}
`;

const ALPHA_TABLE = 'dom_alpha.alpha_product__events__v1';

/** Each rule of the beta domain, and the reason the parser gives for refusing it. */
const REFUSED: [string, RegExp][] = [
  [`SELECT max(speed) FROM ${ALPHA_TABLE}`, /relation dom_alpha\.alpha_product__events__v1: another domain's schema/],
  ['SELECT count(*) FROM tessera.api_keys', /relation tessera\.api_keys: the service's own schema/],
  ['SELECT count(*) FROM pg_catalog.pg_authid', /relation pg_catalog\.pg_authid: a system catalog/],
  ['SELECT count(*) FROM pg_authid', /relation pg_authid: unqualified names resolve to the system catalog/],
  // Tricks: CTEs, subqueries, quoted identifiers, a CTE named like a catalog, search_path games, functions.
  ['WITH k AS (SELECT * FROM tessera.api_keys) SELECT count(*) FROM k', /tessera\.api_keys: the service's own schema/],
  ['SELECT count(*) FROM ${table} WHERE speed < (SELECT max(speed) FROM "dom_alpha"."alpha_product__events__v1")', /another domain's schema/],
  ['SELECT count(*) FROM "TESSERA"."api_keys"', /TESSERA\.api_keys: the service's own schema/],
  ['WITH x AS (SELECT * FROM pg_authid), pg_authid AS (SELECT 1) SELECT count(*) FROM x', /relation pg_authid: unqualified names/],
  ['SELECT count(*) FROM ${table} WHERE EXISTS (SELECT 1 FROM information_schema.tables)', /information_schema\.tables: a system catalog/],
  ["SELECT count(*) FROM ${table}, LATERAL (SELECT set_config('search_path', 'tessera', true)) s", /function set_config/],
  ["SELECT length(query_to_xml('SELECT * FROM tessera.api_keys', false, false, '')::text)", /function query_to_xml/],
  ["SELECT length(pg_read_file('/etc/passwd'))", /function pg_read_file/],
  ["SELECT length(current_setting('data_directory'))", /function current_setting/],
  ["SELECT count(*) FROM ${table} WHERE set_config('role', 'none', true) IS NOT NULL", /function set_config/],
  ["SELECT count(*) FROM dblink('dbname=x', 'SELECT 1') AS t(a int)", /function dblink/],
  ['SELECT tessera.anything()', /function tessera\.anything: only built-in functions/],
];

const OWN_RULES = ['SELECT count(*) FROM ${table}', 'WITH s AS (SELECT speed FROM ${table}) SELECT coalesce(max(speed), 0) FROM s', 'SELECT count(*) FROM dom_beta.beta_product__events__v1 WHERE speed > 1'];

describe('domain isolation: quality rule SQL reads only its own domain (issue 11)', () => {
  let t: TestApp;
  const apply = (files: { path: string; content: string }[]) => t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files } });
  const ingest = (product: string, rows: unknown[]) =>
    t.app.inject({ method: 'POST', url: `/v1/data-products/${product}/ports/events/rows`, headers: { 'content-type': 'application/x-ndjson' }, payload: rows.map((r) => JSON.stringify(r)).join('\n') + '\n' });

  beforeAll(async () => {
    t = await startTestApp({ TESSERA_REDIS_PREFIX: 't:domain-isolation:' });
    const res = await apply([
      { path: 'alpha.odps.yaml', content: product('alpha-product', 'alpha', 'alpha-events') },
      { path: 'alpha.odcs.yaml', content: contract('alpha-events', ['SELECT count(*) FROM ${table}']) },
      { path: 'beta.odps.yaml', content: product('beta-product', 'beta', 'beta-events') },
      { path: 'beta.odcs.yaml', content: contract('beta-events', OWN_RULES) },
    ]);
    expect(res.json()).toMatchObject({ applied: true });
    expect((await ingest('alpha-product', [{ id: 1, speed: 987.5 }])).statusCode).toBe(200);
    expect((await ingest('beta-product', [{ id: 1, speed: 3 }])).statusCode).toBe(200);
  });
  afterAll(() => t?.close());

  it('runs the service as a non-superuser role', async () => {
    const [me] = await t.dataSource.query(`SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user`);
    expect(me).toEqual({ rolsuper: false, rolcreatedb: false, rolcreaterole: true });
  });

  it('refuses at apply every rule reaching outside the domain, naming the rule and the reason; nothing is stored', async () => {
    const res = await apply([{ path: 'beta.odcs.yaml', content: contract('beta-events', [...OWN_RULES, ...REFUSED.map(([q]) => q)]) }]);
    expect(res.statusCode).toBe(422);
    const error = res.json().error;
    expect(error.code).toBe('APPLY_REJECTED');
    const errors = error.details.errors as { file: string; path: string; message: string }[];
    expect(errors).toHaveLength(REFUSED.length);
    REFUSED.forEach(([, reason], i) => {
      expect(errors[i]).toMatchObject({ file: 'beta.odcs.yaml', path: `schema[0].quality[${OWN_RULES.length + i}].query` });
      expect(errors[i].message).toMatch(/^sql rule refused: /);
      expect(errors[i].message).toMatch(reason);
    });
    const [stored] = await t.dataSource.query(`SELECT count(*)::int AS n FROM tessera.contract_versions WHERE contract_id = 'beta-events'`);
    expect(stored.n).toBe(1);
  });

  it("still passes the domain's own rules", async () => {
    const r = await t.gql<{ runQualityChecks: { outcome: string; results: { status: string; measured: number | null }[] } }>(
      `mutation { runQualityChecks(productId: "beta-product", port: "events") { outcome results { status measured } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.runQualityChecks).toEqual({
      outcome: 'passed',
      results: [
        { status: 'passed', measured: 1 },
        { status: 'passed', measured: 3 },
        { status: 'passed', measured: 1 },
      ],
    });
  });

  it('re-creates at start a domain role gone missing (a renamed or cloned database), and the rules run again', async () => {
    const run = async () =>
      (await t.gql<{ runQualityChecks: { results: { status: string; message: string }[] } }>(`mutation { runQualityChecks(productId: "beta-product", port: "events") { results { status message } } }`)).data!
        .runQualityChecks.results;
    const role = domainRoleName(t.db.name, 'dom_beta');
    await adminQuery(`DROP OWNED BY "${role}"; DROP ROLE "${role}"`, t.db.name);
    expect((await run())[0]).toEqual({ status: 'error', message: `the domain's database role ${role} is missing (it is created at apply and at start; docs/database-roles.md)` });
    await t.app.get(DomainRolesService).onApplicationBootstrap();
    expect((await run()).map((r) => r.status)).toEqual(['passed', 'passed', 'passed']);
  });

  describe('at run time', () => {
    let client: PoolClient;
    let db: string;
    beforeAll(async () => {
      client = await pgPoolOf(t.dataSource).connect();
      db = (await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0].db;
    });
    afterAll(() => client.release());

    const asRole = async (role: string, sql: string): Promise<{ code?: string; rows?: unknown[] }> => {
      await client.query('BEGIN READ ONLY');
      try {
        await client.query(`SET LOCAL ROLE "${role}"`);
        return { rows: (await client.query(sql)).rows };
      } catch (e) {
        return { code: (e as { code?: string }).code };
      } finally {
        await client.query('ROLLBACK');
      }
    };

    it('lets a domain role read its own tables and nothing of tessera.*, another domain or pg_authid', async () => {
      const beta = domainRoleName(db, 'dom_beta');
      expect(await asRole(beta, 'SELECT count(*)::int AS n FROM dom_beta.beta_product__events__v1')).toEqual({ rows: [{ n: 1 }] });
      for (const sql of ['SELECT count(*) FROM tessera.api_keys', 'SELECT count(*) FROM tessera.offline_tables', `SELECT max(speed) FROM ${ALPHA_TABLE}`, 'SELECT count(*) FROM pg_catalog.pg_authid']) {
        expect({ sql, ...(await asRole(beta, sql)) }).toEqual({ sql, code: '42501' });
      }
      const [role] = await t.dataSource.query(`SELECT rolcanlogin, rolsuper, rolinherit FROM pg_roles WHERE rolname = $1`, [beta]);
      expect(role).toEqual({ rolcanlogin: false, rolsuper: false, rolinherit: false });
    });

    it('errors a rule that reaches outside with nothing measured and no row content, even one that never went through apply', async () => {
      const rule = (query: string, i: number): SqlRule =>
        ({
          kind: 'sql',
          query,
          path: `schema[0].quality[${i}]`,
          element: 'events',
          id: null,
          description: null,
          dimension: null,
          severity: 'warning',
          blocking: false,
          operator: 'mustBeGreaterOrEqualTo',
          threshold: 0,
          unit: 'rows',
          column: null,
        }) as unknown as SqlRule;
      const target = { schema: 'dom_beta', table: 'beta_product__events__v1', columns: [], objectName: 'events' };
      await client.query('BEGIN READ ONLY');
      try {
        const results = await new QualityEvaluator(client, target, 2000).evaluate([
          rule(`SELECT max(speed) FROM ${ALPHA_TABLE}`, 0),
          // What the parser cannot see: the name is a string; the role refuses it.
          rule("SELECT CASE WHEN has_table_privilege('dom_alpha.alpha_product__events__v1', 'SELECT') THEN 1 ELSE 0 END", 1),
          rule('SELECT max(speed) FROM ${table}', 2),
        ]);
        expect(results.map((r) => [r.status, r.measured])).toEqual([
          ['error', null],
          ['error', null],
          ['passed', 3],
        ]);
        expect(results[0].message).toMatch(/^sql rule failed: refused: relation dom_alpha\.alpha_product__events__v1: another domain's schema/);
        expect(results[1].message).toBe("sql rule failed: SQLSTATE 42501, insufficient privilege: the domain's role may read only its own domain's schema");
        expect(JSON.stringify(results)).not.toContain('987');
        // The savepoint rollback gave the connection its own role back.
        expect((await client.query('SELECT current_user = session_user AS same')).rows[0].same).toBe(true);
      } finally {
        await client.query('ROLLBACK');
      }
    });
  });
});
