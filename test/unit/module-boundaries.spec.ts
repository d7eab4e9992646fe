import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const SRC = resolve(process.cwd(), 'src');
const COMMON = join(SRC, 'common');
const MIGRATIONS = resolve(process.cwd(), 'migrations');

/** The module (folder under src/) that owns each table of the tessera schema: ADR 0021's map. */
const OWNERS: Record<string, string[]> = {
  catalog: ['domains', 'glossary_terms', 'data_contracts', 'contract_versions', 'data_products', 'input_ports', 'output_ports', 'use_cases', 'apply_runs'],
  features: [
    'registry_objects',
    'offline_tables',
    'online_features',
    'materialization_jobs',
    'materialization_watermarks',
    'materialization_schedule_claims',
    'training_datasets',
    'retrieval_jobs',
    'stream_source_pauses',
  ],
  scoring: ['model_blobs', 'model_versions', 'model_stage_changes', 'model_deployments', 'model_deployment_changes', 'model_domains', 'prediction_log', 'prediction_log_settings', 'batch_scoring_jobs'],
  governance: ['principals', 'role_grants', 'api_keys', 'audit_log', 'policies', 'policy_votes', 'access_agreements'],
  quality: ['quality_runs', 'quality_results', 'quality_schedule_claims'],
  slo: ['port_loads', 'table_reads', 'slo_evaluations', 'slo_alerts', 'alert_deliveries', 'slo_schedule_claims'],
  monitoring: ['model_drift_evaluations'],
  common: ['change_versions'],
  openlineage: ['openlineage_outbox'],
};
const OWNER_OF = new Map(Object.entries(OWNERS).flatMap(([module, tables]) => tables.map((t) => [t, module] as const)));

/**
 * Files that still read another module's tables, and which. Each entry is a known debt with its
 * issue; the test fails once an entry is no longer needed, so the list only shrinks.
 */
const PENDING: Record<string, string[]> = {};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Every module specifier a file names: static imports and re-exports (type-only ones included),
 * dynamic import() and require() — TypeScript's own pre-processor, not a regex.
 */
function specifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** Relative specifiers of `file` that resolve outside `root`, as `file -> target` (repo-relative). */
function importsLeaving(file: string, text: string, root: string): string[] {
  return specifiers(text)
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s))
    .filter((target) => target !== root && !target.startsWith(root + sep))
    .map((target) => `${relative(process.cwd(), file)} -> ${relative(process.cwd(), target)}`);
}

/** Tables `tessera.<name>` named in the string and template literals of a source file (comments do not count). */
function tablesNamed(path: string, text: string): Set<string> {
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      for (const m of node.text.matchAll(/\btessera\.([a-z_][a-z0-9_]*)/g)) found.add(m[1]);
    }
    node.forEachChild(visit);
  };
  visit(ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true));
  return found;
}

/** `module/file: table` for every table a file names that its module does not own (owner unknown: `?`). */
function foreignTables(files: string[]): string[] {
  return files.flatMap((f) => {
    const module = relative(SRC, f).split(sep)[0];
    const rel = relative(process.cwd(), f).split(sep).join('/');
    return [...tablesNamed(f, readFileSync(f, 'utf8'))].filter((t) => OWNER_OF.has(t) && OWNER_OF.get(t) !== module).map((t) => `${rel}: ${t} (owned by ${OWNER_OF.get(t)})`);
  });
}

describe('module boundaries', () => {
  it('every table the migrations create has an owning module', () => {
    const created = sourceFiles(MIGRATIONS).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/CREATE (?:UNLOGGED )?TABLE (?:IF NOT EXISTS )?tessera\.([a-z_][a-z0-9_]*)/g)].map((m) => m[1]));
    expect(created.length).toBeGreaterThan(30);
    // A new table? Add it to OWNERS here and to the map in docs/adr/0021-module-boundaries.md.
    expect(created.filter((t) => !OWNER_OF.has(t))).toEqual([]);
  });

  it('no module names another module’s tables in its SQL (they go through the owner’s query interface)', () => {
    const pending = Object.entries(PENDING).flatMap(([file, tables]) => tables.map((t) => `${file}: ${t} (owned by ${OWNER_OF.get(t)})`));
    const found = foreignTables(sourceFiles(SRC));
    expect(found.filter((x) => !pending.includes(x))).toEqual([]);
    // Paid-off debts leave the list.
    expect(pending.filter((x) => !found.includes(x))).toEqual([]);
  });

  it('the table scan finds tables in SQL strings and templates, not in comments', () => {
    const text = [
      '// reads tessera.data_products in a comment only',
      'const a = `SELECT * FROM tessera.offline_tables t JOIN tessera.data_products p ON p.id = t.product_id WHERE x = ${1}`;',
      "const b = 'DELETE FROM tessera.slo_evaluations';",
    ].join('\n');
    expect([...tablesNamed('x.ts', text)].sort()).toEqual(['data_products', 'offline_tables', 'slo_evaluations']);
  });

  it('src/common is a leaf: no file under it imports anything outside src/common', () => {
    const files = sourceFiles(COMMON);
    expect(files.length).toBeGreaterThan(10); // the walk found the folder
    const leaving = files.flatMap((f) => importsLeaving(f, readFileSync(f, 'utf8'), COMMON));
    expect(leaving).toEqual([]);
  });

  it('the scan sees every kind of import that would break the rule', () => {
    const file = join(COMMON, 'http', 'example.ts');
    const text = [
      `import { A } from '../../features/online/online-store';`,
      `import type { B } from '../../governance/auth/principal';`,
      `export { C } from '../../../migrations';`,
      `const d = await import('../../catalog/entities');`,
      `import { ok } from '../errors/tessera-error';`,
      `import { DataSource } from 'typeorm';`,
    ].join('\n');
    expect(importsLeaving(file, text, COMMON)).toEqual([
      'src/common/http/example.ts -> src/features/online/online-store',
      'src/common/http/example.ts -> src/governance/auth/principal',
      'src/common/http/example.ts -> migrations',
      'src/common/http/example.ts -> src/catalog/entities',
    ]);
  });

  it('no forwardRef holds the feature store sub-modules together', () => {
    const withForwardRef = sourceFiles(join(SRC, 'features')).filter((f) => /\bforwardRef\b/.test(readFileSync(f, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')));
    expect(withForwardRef.map((f) => relative(process.cwd(), f))).toEqual([]);
  });
});
