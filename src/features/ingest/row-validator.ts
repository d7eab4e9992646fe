import { hash as digest } from 'node:crypto';
import type { OfflineColumn } from '../offline/offline-table.entity';
import { compileChecker, Problem, ValueSource } from './value-checkers';

export interface IngestRowError {
  /** 1-based position of the row in the request (CSV: data rows, after the header). */
  row: number;
  /** Column (comma-separated for a composite key), or null for a problem with the whole row. */
  field: string | null;
  reason: string;
}

export interface PreparedRow {
  row: number;
  /** Canonical text per column (in `columns` order), null for NULL. */
  values: (string | null)[];
  hash: string;
}

/** Columns whose values must be unique together: the primary key, and each `unique` column alone. */
export interface UniqueSet {
  columns: string[];
  label: string;
}

export interface ValidationResult {
  /** Distinct rows to load, in request order (exact repeats within the request are dropped). */
  rows: PreparedRow[];
  errors: IngestRowError[];
  errorCount: number;
}

export function uniqueSets(columns: OfflineColumn[]): UniqueSet[] {
  const sets: UniqueSet[] = [];
  const pk = columns.filter((c) => c.primaryKey).map((c) => c.name);
  if (pk.length > 0) sets.push({ columns: pk, label: 'primary key' });
  for (const c of columns) {
    if (c.unique && !(pk.length === 1 && pk[0] === c.name)) sets.push({ columns: [c.name], label: 'unique value' });
  }
  return sets;
}

/**
 * sha256 over the non-null canonical values with their column names, in column-name order, each part
 * length-prefixed (`<len>:<name><len>:<value>`) so no two different rows can encode alike. NULLs are
 * left out so a column added by a later minor contract version does not change the hash of a re-sent
 * old row; names are in so two columns swapping values never collide.
 */
export function rowHash(sortedNames: { prefix: string; index: number }[], values: (string | null)[]): string {
  let text = '';
  for (const { prefix, index } of sortedNames) {
    const v = values[index];
    if (v !== null) text += `${prefix}${v.length}:${v}`;
  }
  return digest('sha256', text, 'hex');
}

/** Column order and prefixes rowHash expects. */
export function hashLayout(columns: OfflineColumn[]): { prefix: string; index: number }[] {
  return columns
    .map((c, index) => ({ name: c.name, prefix: `${c.name.length}:${c.name}`, index }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ prefix, index }) => ({ prefix, index }));
}

/**
 * Validates every row against the contract columns (type, required, logicalTypeOptions, unknown
 * columns, uniqueness within the request) and prepares the valid ones for loading. Keeps the first
 * `maxErrors` errors and counts them all.
 */
export function validateRows(columns: OfflineColumn[], input: Record<string, unknown>[], source: ValueSource, maxErrors: number): ValidationResult {
  const checkers = columns.map(compileChecker);
  const index = new Map(columns.map((c, i) => [c.name, i]));
  const sortedNames = hashLayout(columns);
  const sets = uniqueSets(columns).map((s) => ({ ...s, indexes: s.columns.map((n) => index.get(n)!), seen: new Map<string, number>() }));
  const errors: IngestRowError[] = [];
  let errorCount = 0;
  const fail = (row: number, field: string | null, reason: string) => {
    errorCount++;
    if (errors.length < maxErrors) errors.push({ row, field, reason });
  };
  const hashes = new Set<string>();
  const rows: PreparedRow[] = [];

  for (let r = 0; r < input.length; r++) {
    const rowNo = r + 1;
    const record = input[r];
    const before = errorCount;
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      fail(rowNo, null, 'expected an object of column values');
      continue;
    }
    for (const key of Object.keys(record)) {
      if (!index.has(key)) fail(rowNo, key, 'unknown column: not a property of the contract');
    }
    const values = new Array<string | null>(columns.length);
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i];
      const raw = Object.hasOwn(record, c.name) ? record[c.name] : undefined;
      if (raw === null || raw === undefined) {
        values[i] = null;
        if (c.required || c.primaryKey) fail(rowNo, c.name, c.primaryKey ? 'required (primary key column)' : 'required');
        continue;
      }
      const checked = checkers[i](raw, source);
      if (checked instanceof Problem) {
        fail(rowNo, c.name, checked.reason);
        values[i] = null;
      } else values[i] = checked;
    }
    if (errorCount > before) continue;
    const hash = rowHash(sortedNames, values);
    if (hashes.has(hash)) continue; // an exact repeat: counted as a duplicate, not an error
    hashes.add(hash);
    let clash = false;
    for (const set of sets) {
      const key = set.indexes.map((i) => values[i]);
      if (key.some((v) => v === null)) continue; // like SQL: NULLs never collide
      const k = JSON.stringify(key);
      const first = set.seen.get(k);
      if (first !== undefined) {
        fail(rowNo, set.columns.join(','), `duplicate ${set.label} (${set.columns.join(', ')}) = (${key.join(', ')}): row ${first} has the same key with other values`);
        clash = true;
      } else set.seen.set(k, rowNo);
    }
    if (!clash) rows.push({ row: rowNo, values, hash });
  }
  return { rows, errors, errorCount };
}
