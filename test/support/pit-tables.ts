import { Pool } from 'pg';
import type { FeatureValueType, ResolvedColumn, ResolvedFeatureView } from '../../src/features/registry/resolved-feature-view';
import { createTestDatabase, TestDatabase } from './test-database';

/** A source table of a test feature view: physical column types are the test's choice. */
export interface PitTableSpec {
  view: string;
  table: string;
  /** Join keys: client name = column name, logical type, PostgreSQL type. */
  keys: { name: string; type: FeatureValueType; sql: string }[];
  timestamp: { column: string; sql?: string };
  created?: { column: string; sql?: string } | null;
  ttlSeconds: number;
  features: { name: string; type: FeatureValueType; sql: string }[];
}

export const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The ResolvedFeatureView a registry would produce for the spec's table (schema `pit`). */
export function resolvedView(spec: PitTableSpec, schema = 'pit'): ResolvedFeatureView {
  const col = (c: { name: string; type: FeatureValueType }): ResolvedColumn => ({ name: c.name, column: c.name, type: c.type });
  return {
    name: spec.view,
    joinKeys: spec.keys.map(col),
    table: { schema, name: spec.table },
    timestampColumn: spec.timestamp.column,
    createdTimestampColumn: spec.created?.column ?? null,
    ttlSeconds: spec.ttlSeconds,
    online: false,
    features: spec.features.map(col),
    version: 'test',
  };
}

/** CREATE TABLE with the (keys, ts DESC, created DESC NULLS LAST) index OfflineSchemaService gives views. */
export function createTableSql(spec: PitTableSpec, schema = 'pit'): string[] {
  const cols = [
    ...spec.keys.map((k) => `${q(k.name)} ${k.sql}`),
    `${q(spec.timestamp.column)} ${spec.timestamp.sql ?? 'timestamptz'}`,
    ...(spec.created ? [`${q(spec.created.column)} ${spec.created.sql ?? 'timestamptz'}`] : []),
    ...spec.features.map((f) => `${q(f.name)} ${f.sql}`),
  ];
  const idx = [...spec.keys.map((k) => q(k.name)), `${q(spec.timestamp.column)} DESC`, ...(spec.created ? [`${q(spec.created.column)} DESC NULLS LAST`] : [])];
  return [`CREATE TABLE ${q(schema)}.${q(spec.table)} (${cols.join(', ')})`, `CREATE INDEX ON ${q(schema)}.${q(spec.table)} (${idx.join(', ')})`];
}

/** Inserts rows given as column → SQL literal-able values (strings cast by PostgreSQL). */
export async function insertRows(pool: Pool, spec: PitTableSpec, rows: Record<string, unknown>[], schema = 'pit'): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const values: unknown[] = [];
  const tuples = rows.map((r) => `(${columns.map((c) => (values.push(r[c]), `$${values.length}`)).join(', ')})`);
  await pool.query(`INSERT INTO ${q(schema)}.${q(spec.table)} (${columns.map(q).join(', ')}) VALUES ${tuples.join(', ')}`, values);
}

export interface PitTestDb {
  db: TestDatabase;
  pool: Pool;
  close(): Promise<void>;
}

/** A fresh test database with schema `pit` and the given tables. */
export async function createPitDb(specs: PitTableSpec[]): Promise<PitTestDb> {
  const db = await createTestDatabase();
  const pool = new Pool({ connectionString: db.url, max: 6 });
  // An idle client terminated by the server (57P01) must not crash the run as an unhandled 'error'
  // event: a query that was running still rejects and fails its test.
  pool.on('error', () => undefined);
  await pool.query('CREATE SCHEMA pit');
  for (const s of specs) for (const sql of createTableSql(s)) await pool.query(sql);
  return {
    db,
    pool,
    async close() {
      await pool.end();
      await db.drop();
    },
  };
}
