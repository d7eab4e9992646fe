import { FeaturesError, FeaturesErrorCode } from '../features-error';
import type { FeatureValueType } from '../registry/resolved-feature-view';
import type { UploadKind } from './entity-batch-source';
import { EVENT_TIMESTAMP } from './pit-request';
import { formatIso, parseIso, toInstant } from './pit-timestamp';

/** A join key column of the entity rows, checked against its logical type and normalized. */
export interface EntityKey {
  name: string;
  type: FeatureValueType;
  /** Column type of the entity temp table. */
  sqlType: string;
  /**
   * Normalized values (what the output shows), each also valid PostgreSQL input text for sqlType once
   * stringified (see copyText); null never matches a source row.
   */
  values: unknown[];
}

/**
 * Entity rows that are the rows of an output port's offline table (`entities_from`): they never leave
 * PostgreSQL. The retrieval's transaction numbers them into `spineTable` (a temp table, one column per
 * entity column under its own name) and loads the entity table from there (pit-slice-runner).
 */
export interface EntitySpineQuery {
  /** Schema and table of the port's offline table. */
  schema: string;
  table: string;
  /** Entity columns in output order: their port column and its logical type; event_timestamp included. */
  columns: { name: string; column: string; logicalType: FeatureValueType }[];
  /** Bounds on the event time: from inclusive, to exclusive (ISO text with zone). */
  from: string | null;
  to: string | null;
  spineTable: string;
}

/**
 * Entity rows uploaded as a file (Arrow IPC, Parquet) and COPYed into PostgreSQL as they arrived
 * (entity-stager.ts): `(_row, k0..kn, _ts, x0..xm)`, keys in join-key order, extras in input order.
 */
export interface StagedSpine {
  /** null: a temp table of the retrieval's own transaction; else the schema of a table kept for a retrieval job. */
  schema: string | null;
  table: string;
  rowCount: number;
  /** Every entity column in input order with its role; extras with how they are stored. */
  columns: { name: string; role: 'key' | 'timestamp' | 'extra'; kind?: UploadKind }[];
  /** The join keys as staged (`k<i>`): name and logical type. */
  keys: { name: string; type: FeatureValueType }[];
}

export interface EntityFrame {
  rowCount: number;
  /** Set when the rows were uploaded and COPYed as they arrived: then keys[].values, tsMs, tsUs and raw are empty. */
  staged?: StagedSpine;
  /** Set when the rows are a query over a port: then keys[].values, tsMs, tsUs and raw are empty. */
  query?: EntitySpineQuery;
  /** Every entity column in input order, with its role. */
  columns: { name: string; role: 'key' | 'timestamp' | 'extra' }[];
  keys: EntityKey[];
  /** `event_timestamp` of each row: epoch milliseconds, and the microseconds below them (see pit-timestamp). */
  tsMs: Float64Array;
  tsUs: Uint16Array;
  /** The request's columns as given: extra columns are passed through from here. */
  raw: Record<string, readonly unknown[]>;
}

export interface Issue {
  field: string;
  reason: string;
}

export const MAX_ISSUES = 20;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export const SQL_TYPES: Partial<Record<FeatureValueType, string>> = {
  integer: 'bigint',
  string: 'text',
  number: 'double precision',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamptz',
};

export function invalid(message: string, details: Issue[]): FeaturesError {
  return new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, message, details);
}

/**
 * Checks and normalizes the entity rows: every join key present and of its type, `event_timestamp`
 * valid on every row, all columns of one length, at least one row. Every problem found (up to 20) is
 * reported with the column and row it is in.
 */
export function buildEntityFrame(entities: Record<string, readonly unknown[]>, keyTypes: Map<string, FeatureValueType>): EntityFrame {
  const names = Object.keys(entities);
  const issues: Issue[] = [];
  for (const n of names) if (!Array.isArray(entities[n])) issues.push({ field: `entities.${n}`, reason: 'must be an array of values' });
  for (const k of keyTypes.keys()) if (!(k in entities)) issues.push({ field: `entities.${k}`, reason: 'join key column is missing' });
  if (!(EVENT_TIMESTAMP in entities)) issues.push({ field: `entities.${EVENT_TIMESTAMP}`, reason: 'column is missing' });
  if (issues.length) throw invalid(`invalid entities: ${summary(issues)}`, issues);

  const lengths = new Map(names.map((n) => [n, entities[n].length]));
  const rowCount = entities[EVENT_TIMESTAMP].length;
  for (const [n, len] of lengths) {
    if (len !== rowCount) issues.push({ field: `entities.${n}`, reason: `has ${len} values but ${EVENT_TIMESTAMP} has ${rowCount}` });
  }
  if (issues.length) throw invalid(`entity columns differ in length: ${summary(issues)}`, issues);
  if (rowCount === 0) throw invalid('entities must have at least one row', [{ field: 'entities', reason: 'no rows' }]);

  const tsMs = new Float64Array(rowCount);
  const tsUs = new Uint16Array(rowCount);
  const tsColumn = entities[EVENT_TIMESTAMP];
  for (let i = 0; i < rowCount && issues.length < MAX_ISSUES; i++) {
    const at = toInstant(tsColumn[i]);
    if (at === null) {
      issues.push({ field: `entities.${EVENT_TIMESTAMP}[${i}]`, reason: `row ${i}: ${describe(tsColumn[i])} is not an ISO-8601 timestamp with a zone, epoch milliseconds or a Date` });
    } else {
      tsMs[i] = at.ms;
      tsUs[i] = at.us;
    }
  }
  const keys: EntityKey[] = [];
  for (const [name, type] of keyTypes) {
    const sqlType = SQL_TYPES[type];
    if (!sqlType) {
      issues.push({ field: `entities.${name}`, reason: `join keys of logical type ${type} are not supported` });
      continue;
    }
    const column = entities[name];
    const values = new Array<unknown>(rowCount);
    for (let i = 0; i < rowCount && issues.length < MAX_ISSUES; i++) {
      const v = normalizeKey(type, column[i]);
      if (typeof v === 'string') issues.push({ field: `entities.${name}[${i}]`, reason: `row ${i}: ${v}` });
      else values[i] = v.value;
    }
    keys.push({ name, type, sqlType, values });
  }
  if (issues.length) throw invalid(`invalid entity rows: ${summary(issues)}`, issues);

  const roleOf = (n: string) => (n === EVENT_TIMESTAMP ? 'timestamp' : keyTypes.has(n) ? 'key' : 'extra');
  return { rowCount, columns: names.map((name) => ({ name, role: roleOf(name) })), keys, tsMs, tsUs, raw: entities };
}

/**
 * The frame of an entity query: the columns' roles and the keys' types checked against the views'
 * join keys; the values stay in PostgreSQL (`rowCount` counted there).
 */
export function buildQueryFrame(query: EntitySpineQuery, keyTypes: Map<string, FeatureValueType>, rowCount: number): EntityFrame {
  const issues: Issue[] = [];
  const byName = new Map(query.columns.map((c) => [c.name, c]));
  for (const [k, type] of keyTypes) {
    const c = byName.get(k);
    if (!c) issues.push({ field: 'entities_from.columns', reason: `join key ${k} is missing` });
    else if (c.logicalType !== type && !(c.logicalType === 'integer' && type === 'number'))
      issues.push({ field: 'entities_from.columns', reason: `${k} is ${c.logicalType} in the port but the join key is ${type}` });
    else if (!SQL_TYPES[type]) issues.push({ field: 'entities_from.columns', reason: `join keys of logical type ${type} are not supported` });
  }
  if (issues.length) throw invalid(`invalid entities_from: ${summary(issues)}`, issues);
  const keys: EntityKey[] = [...keyTypes].map(([name, type]) => ({ name, type, sqlType: SQL_TYPES[type]!, values: [] }));
  const roleOf = (n: string) => (n === EVENT_TIMESTAMP ? 'timestamp' : keyTypes.has(n) ? 'key' : 'extra');
  return { rowCount, columns: query.columns.map((c) => ({ name: c.name, role: roleOf(c.name) })), keys, tsMs: new Float64Array(0), tsUs: new Uint16Array(0), raw: {}, query };
}

/**
 * The frame of staged rows: the staged keys must still be the views' join keys (a retrieval job runs
 * after its upload, and a view may have changed meanwhile); the values stay in PostgreSQL.
 */
export function buildStagedFrame(spine: StagedSpine, keyTypes: Map<string, FeatureValueType>): EntityFrame {
  const want = [...keyTypes];
  const same = want.length === spine.keys.length && want.every(([name, type], i) => spine.keys[i].name === name && spine.keys[i].type === type);
  if (!same) {
    throw invalid('the join keys of the requested views changed since the entity rows were uploaded', [
      { field: 'entities', reason: `uploaded with keys ${spine.keys.map((k) => `${k.name} (${k.type})`).join(', ')}; the views now join on ${want.map(([n, t]) => `${n} (${t})`).join(', ')}` },
    ]);
  }
  const keys: EntityKey[] = spine.keys.map((k) => ({ name: k.name, type: k.type, sqlType: SQL_TYPES[k.type]!, values: [] }));
  return { rowCount: spine.rowCount, columns: spine.columns.map((c) => ({ name: c.name, role: c.role })), keys, tsMs: new Float64Array(0), tsUs: new Uint16Array(0), raw: {}, staged: spine };
}

/** PostgreSQL input text of a normalized key value (kept implicit: 5M-row requests must not hold it twice). */
export function copyText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}

type Normalized = { value: unknown } | string;

/** A join key value of the given logical type, or the reason it is not one. */
export function normalizeKey(type: FeatureValueType, v: unknown): Normalized {
  if (v === null || v === undefined) return { value: null };
  switch (type) {
    case 'integer': {
      let n: bigint | null = null;
      if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
      else if (typeof v === 'bigint') n = v;
      else if (typeof v === 'string' && /^-?\d{1,19}$/.test(v)) n = BigInt(v);
      if (n === null || n < INT64_MIN || n > INT64_MAX) return `${describe(v)} is not a 64-bit integer`;
      const safe = n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER);
      return { value: safe ? Number(n) : n.toString() };
    }
    case 'string':
      if (typeof v !== 'string') return `${describe(v)} is not a string`;
      if (v.includes('\u0000')) return 'strings cannot contain NUL characters';
      return { value: v };
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return `${describe(v)} is not a finite number`;
      return { value: v };
    case 'boolean':
      if (typeof v !== 'boolean') return `${describe(v)} is not a boolean`;
      return { value: v };
    case 'date': {
      const day = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? parseIso(v, false) : null;
      if (day === null) return `${describe(v)} is not a date (YYYY-MM-DD)`;
      return { value: v };
    }
    case 'timestamp': {
      const at = toInstant(v);
      if (at === null) return `${describe(v)} is not an ISO-8601 timestamp with a zone or epoch milliseconds`;
      return { value: formatIso(at.ms, at.us) }; // ISO with Z: exact PostgreSQL input too
    }
    default:
      return `join keys of logical type ${type} are not supported`;
  }
}

export function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  const json: string | undefined = typeof v === 'bigint' ? `${v}n` : JSON.stringify(v);
  const s = json ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export function summary(issues: Issue[]): string {
  const head = issues
    .slice(0, 3)
    .map((i) => `${i.field}: ${i.reason}`)
    .join('; ');
  return issues.length > 3 ? `${head} (+${issues.length - 3} more)` : head;
}
