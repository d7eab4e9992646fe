import type { NormalizedContract, NormalizedSchemaObject } from '../../catalog/contracts/documents/normalized-types';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import type { FeatureValueType } from '../registry/resolved-feature-view';
import type { OfflineColumn } from './offline-table.entity';

/** Internal columns every offline table has. Contract properties may not start with the prefix at all. */
export const INTERNAL_PREFIX = '_tessera_';
export const ROW_HASH_COLUMN = '_tessera_row_hash';
export const LOADED_AT_COLUMN = '_tessera_loaded_at';

/** PostgreSQL's NAMEDATALEN - 1: longer names would be silently truncated (and could collide). */
const MAX_IDENT_BYTES = 63;

export const PG_TYPES: Record<FeatureValueType, string> = {
  string: 'text',
  integer: 'bigint',
  number: 'double precision',
  boolean: 'boolean',
  timestamp: 'timestamptz',
  date: 'date',
  time: 'time',
  object: 'jsonb',
  array: 'jsonb',
};

/** The schema object an output port publishes: the one named like the port, else the first one. */
export function pickSchemaObject(contract: NormalizedContract, portName: string): NormalizedSchemaObject | null {
  return contract.schema.find((s) => s.name === portName) ?? contract.schema.find((s) => s.physicalName === portName) ?? contract.schema[0] ?? null;
}

/**
 * Offline columns of a schema object, in declared order. A property without a logicalType is stored
 * as text (ODCS leaves it open; text holds anything a client can send as a string).
 * Problems PostgreSQL would hide (truncated or clashing names, regexes that cannot compile) are
 * refused here, at apply time, rather than surfacing as odd ingestion failures later.
 */
export function columnsOf(contractId: string, object: NormalizedSchemaObject): OfflineColumn[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const columns: OfflineColumn[] = [];
  for (const p of object.properties) {
    if (p.name.length === 0) problems.push('a property has an empty name');
    else if (Buffer.byteLength(p.name, 'utf8') > MAX_IDENT_BYTES) problems.push(`property ${p.name} is longer than ${MAX_IDENT_BYTES} bytes, PostgreSQL's limit for a column name`);
    if (p.name.includes('\u0000')) problems.push('a property name contains a NUL character');
    if (p.name.startsWith(INTERNAL_PREFIX)) problems.push(`property ${p.name}: names starting with ${INTERNAL_PREFIX} are reserved for Tessera's internal columns`);
    if (seen.has(p.name)) problems.push(`property ${p.name} is declared twice`);
    seen.add(p.name);
    const pattern = p.logicalTypeOptions?.pattern;
    if (typeof pattern === 'string') {
      try {
        new RegExp(pattern, 'u');
      } catch {
        problems.push(`property ${p.name}: pattern ${JSON.stringify(pattern)} is not a valid regular expression`);
      }
    }
    columns.push({
      name: p.name,
      logicalType: p.logicalType ?? 'string',
      required: p.required,
      unique: p.unique,
      primaryKey: p.primaryKey,
      logicalTypeOptions: p.logicalTypeOptions,
    });
  }
  if (problems.length > 0) {
    throw new FeaturesError(FeaturesErrorCode.OFFLINE_SCHEMA_INVALID, `contract ${contractId}, schema ${object.name}: ${problems.join('; ')}`, { problems });
  }
  return columns;
}

/** Primary key columns in key order (primaryKeyPosition when given, else declaration order). */
export function primaryKeyOf(columns: OfflineColumn[], positions?: Map<string, number | null>): string[] {
  const keyed = columns.filter((c) => c.primaryKey).map((c, i) => ({ name: c.name, pos: positions?.get(c.name) ?? null, i }));
  keyed.sort((a, b) => (a.pos ?? Number.MAX_SAFE_INTEGER) - (b.pos ?? Number.MAX_SAFE_INTEGER) || a.i - b.i);
  return keyed.map((k) => k.name);
}

/** Major version of a port version string (`1.2.0`, `v2`, `3`). */
export function majorOf(version: string): number {
  const m = /^v?(\d+)/i.exec(version.trim());
  if (!m) throw new FeaturesError(FeaturesErrorCode.OFFLINE_SCHEMA_INVALID, `port version ${JSON.stringify(version)} has no major version number`);
  return Number(m[1]);
}
