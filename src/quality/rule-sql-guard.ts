import { parse } from 'libpg-query';

/**
 * Functions a rule may not call, whatever its schema says. Checked on the lowercased name.
 *  - `set_config`: `set_config('role', 'none', true)` undoes SET LOCAL ROLE (the session user, the
 *    service role, may always return to itself), after which dynamic SQL would run unrestricted.
 *  - `current_setting`: settings are not the domain's data, and custom settings may carry secrets.
 *  - dynamic SQL (`query_to_xml`, `table_to_xml`, `cursor_to_xml`, `schema_to_xml`,
 *    `database_to_xml` and their *_xmlschema siblings, `ts_stat`, `ts_rewrite`): the statement they
 *    run is a string the parser cannot see.
 *  - `pg_*` (files: pg_read_file/pg_ls_dir/pg_stat_file; sessions: pg_terminate_backend; locks:
 *    pg_advisory_lock, which could stall ingests; sizes and definitions of other relations),
 *    `lo_*`/`loread`/`lowrite` (large objects), `dblink*` (other connections), sequences.
 * Aggregates, arithmetic, string, date and JSON functions stay allowed: that is what rules measure with.
 */
const DENIED_PREFIXES = ['pg_', 'lo_', 'dblink'];
const DENIED = new Set(['set_config', 'current_setting', 'ts_stat', 'ts_rewrite', 'loread', 'lowrite', 'nextval', 'setval', 'currval', 'lastval']);
const DYNAMIC_XML = /^(query|table|cursor|schema|database)_to_xml/;

type Json = Record<string, unknown>;
const WRITES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/**
 * Why a rule's SQL may not run, or null when it passes. `sql` is the statement as it will run
 * (placeholders expanded); `ownSchema` is the schema of the domain whose table the rule checks.
 * The statement must be one SELECT whose every relation is a CTE in scope or a table of `ownSchema`
 * (the rule's own table included), calling no function from the deny list and no function or
 * operator outside pg_catalog. Unqualified names that are not CTEs are refused: rules run with
 * `search_path = pg_catalog, pg_temp`, so they would name system catalogs.
 * What this cannot see (names computed at run time) the domain's role refuses when it runs.
 */
export async function ruleSqlRefusal(sql: string, ownSchema: string | null): Promise<string | null> {
  let tree: { stmts?: { stmt: Json }[] };
  try {
    tree = (await parse(sql)) as typeof tree;
  } catch (e) {
    return `the query does not parse: ${(e as Error).message}`;
  }
  const stmts = tree.stmts ?? [];
  if (stmts.length !== 1 || !('SelectStmt' in stmts[0].stmt)) return 'the query must be a single SELECT';
  const refusals: string[] = [];
  visit(stmts[0].stmt, new Set(), ownSchema, refusals);
  return refusals[0] ?? null;
}

function visit(node: unknown, ctes: ReadonlySet<string>, ownSchema: string | null, out: string[]): void {
  if (Array.isArray(node)) {
    for (const n of node) visit(n, ctes, ownSchema, out);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const o = node as Json;
  let scope = ctes;
  const withClause = o.withClause as { ctes?: Json[]; recursive?: boolean } | undefined;
  if (withClause?.ctes) {
    const defs = withClause.ctes.map((c) => c.CommonTableExpr as Json);
    const names = defs.map((d) => String(d.ctename));
    // A non-recursive CTE sees only the ones before it; a later name would resolve to a real table.
    defs.forEach((d, i) => visit(d.ctequery, new Set([...ctes, ...(withClause.recursive ? names : names.slice(0, i))]), ownSchema, out));
    scope = new Set([...ctes, ...names]);
  }
  for (const [key, value] of Object.entries(o)) {
    if (key === 'withClause') continue;
    if (key === 'RangeVar') relation(value as Json, scope, ownSchema, out);
    else if (key === 'FuncCall') functionCall((value as Json).funcname, out);
    else if (key === 'A_Expr') operator((value as Json).name, out);
    else if (WRITES.has(key)) out.push('data-modifying statements are not allowed');
    else if (key === 'lockingClause' && Array.isArray(value) && value.length > 0) out.push('row locks (FOR UPDATE/SHARE) are not allowed');
    else if (key === 'intoClause' && value) out.push('SELECT INTO is not allowed');
    visit(value, scope, ownSchema, out);
  }
}

function relation(rv: Json, ctes: ReadonlySet<string>, ownSchema: string | null, out: string[]): void {
  const name = String(rv.relname);
  const schema = rv.schemaname === undefined ? null : String(rv.schemaname);
  if (rv.catalogname !== undefined) {
    out.push(`relation ${String(rv.catalogname)}.${schema}.${name}: database-qualified names are not allowed`);
    return;
  }
  if (schema === null) {
    if (!ctes.has(name)) out.push(`relation ${name}: unqualified names resolve to the system catalog; name the rule's table as \${table} or ${ownSchema?.startsWith('dom_') ? ownSchema : 'dom_<domain>'}.<table>`);
    return;
  }
  if (schema === ownSchema) return;
  out.push(`relation ${schema}.${name}: ${schemaKind(schema)}; a rule may read only its own domain's schema${ownSchema ? ` (${ownSchema})` : ''}`);
}

function schemaKind(schema: string): string {
  const s = schema.toLowerCase();
  if (s.startsWith('tessera')) return "the service's own schema";
  if (s.startsWith('dom_')) return "another domain's schema";
  if (s === 'pg_catalog' || s === 'information_schema' || s.startsWith('pg_')) return 'a system catalog';
  return 'outside the domain';
}

function names(list: unknown): string[] {
  return Array.isArray(list) ? list.map((n) => String(((n as Json).String as Json | undefined)?.sval ?? '')) : [];
}

function functionCall(funcname: unknown, out: string[]): void {
  const parts = names(funcname);
  const fn = (parts.at(-1) ?? '').toLowerCase();
  if (parts.length > 2 || (parts.length === 2 && parts[0] !== 'pg_catalog')) {
    out.push(`function ${parts.join('.')}: only built-in functions (pg_catalog) may be called`);
  } else if (DENIED.has(fn) || DENIED_PREFIXES.some((p) => fn.startsWith(p)) || DYNAMIC_XML.test(fn)) {
    out.push(`function ${fn}: reaches outside the domain's rows (files, settings, other sessions, dynamic SQL or the role), so rules may not call it`);
  }
}

function operator(name: unknown, out: string[]): void {
  const parts = names(name);
  if (parts.length === 2 && parts[0] !== 'pg_catalog') out.push(`operator ${parts.join('.')}: only built-in operators (pg_catalog) may be used`);
}
