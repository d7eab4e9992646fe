import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { PredictionLogEntry } from './prediction-log-entry';

export interface PredictionLogFilter {
  model: string;
  version?: string | null;
  role?: PredictionLogEntry['role'] | null;
  since?: Date | null;
  until?: Date | null;
  /** Newest first (default) or oldest first. */
  order: 'asc' | 'desc';
  /** Only rows up to this id: pins a multi-page export to the rows present when it started. */
  maxId?: string | null;
}

/** A stored entry: the entry as recorded plus its row id (stable order within one millisecond). */
export interface StoredPredictionLogEntry extends PredictionLogEntry {
  id: string;
}

/** Where a page continues: after this (at, id) in the filter's order. */
export interface LogCursor {
  at: Date;
  id: string;
}

/** What the values under one key of entity/features/statuses/outputs look like across a selection. */
export interface KeyProfile {
  part: 'entity' | 'features' | 'statuses' | 'outputs';
  key: string;
  /** jsonb_typeof of the non-null values. */
  types: string[];
  /** Every number is integral. */
  integral: boolean;
  /** Every array holds only numbers. */
  numericArrays: boolean;
}

export interface SampleRateSetting {
  model: string;
  sampleRate: number;
  updatedBy: string;
  updatedAt: Date;
}

/** Sample-rate sources of one model version; resolution lives in the writer. */
export interface RateSources {
  model: string;
  version: string;
  override: number | null;
  document: unknown;
}

const ENTRY_COLUMNS = `id::text AS id, request_id, model, version, role, entity, features, statuses, outputs, rejected, latency_ms, at`;

/** All SQL of the prediction log; tables are the scoring module's own. */
@Injectable()
export class PredictionLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One INSERT per batch whatever its size: the columns travel as 11 array parameters and unnest
   * turns them back into rows, so there is no parameter-count limit and one round trip.
   */
  async insert(entries: readonly PredictionLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const col = <T>(f: (e: PredictionLogEntry) => T): T[] => entries.map(f);
    await this.dataSource.query(
      `INSERT INTO tessera.prediction_log (request_id, model, version, role, entity, features, statuses, outputs, rejected, latency_ms, at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::jsonb[], $8::jsonb[], $9::text[], $10::float8[], $11::timestamptz[])`,
      [
        col((e) => e.requestId),
        col((e) => e.model),
        col((e) => e.version),
        col((e) => e.role),
        col((e) => safeJson(e.entity)),
        col((e) => safeJson(e.features)),
        col((e) => safeJson(e.statuses)),
        col((e) => safeJson(e.outputs)),
        col((e) => e.rejected ?? null),
        col((e) => (Number.isFinite(e.latencyMs) ? e.latencyMs : 0)),
        col((e) => toDate(e.at).toISOString()),
      ],
    );
  }

  async page(filter: PredictionLogFilter, limit: number, after: LogCursor | null = null): Promise<StoredPredictionLogEntry[]> {
    const { where, params } = whereClause(filter);
    if (after) {
      params.push(after.at.toISOString(), after.id);
      where.push(`(at, id) ${filter.order === 'asc' ? '>' : '<'} ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
    }
    params.push(limit);
    const dir = filter.order === 'asc' ? 'ASC' : 'DESC';
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT ${ENTRY_COLUMNS} FROM tessera.prediction_log WHERE ${where.join(' AND ')} ORDER BY at ${dir}, id ${dir} LIMIT $${params.length}`,
      params,
    );
    return rows.map(toEntry);
  }

  /** Keys and JSON types under entity/features/statuses/outputs of the first `limit` matching rows. */
  async profile(filter: PredictionLogFilter, limit: number): Promise<KeyProfile[]> {
    const { where, params } = whereClause(filter);
    params.push(limit);
    const dir = filter.order === 'asc' ? 'ASC' : 'DESC';
    const part = (name: string) => `
      SELECT '${name}' AS part, e.key, jsonb_typeof(e.value) AS t,
             CASE WHEN jsonb_typeof(e.value) = 'number' THEN (e.value::text)::numeric % 1 = 0 ELSE true END AS integral,
             CASE WHEN jsonb_typeof(e.value) = 'array' THEN NOT jsonb_path_exists(e.value, 'strict $[*] ? (@.type() != "number")') ELSE true END AS numeric_array
        FROM sel, jsonb_each(sel.${name}) AS e`;
    const rows: { part: KeyProfile['part']; key: string; types: string[] | null; integral: boolean; numeric_arrays: boolean }[] = await this.dataSource.query(
      `WITH sel AS (SELECT entity, features, statuses, outputs FROM tessera.prediction_log WHERE ${where.join(' AND ')} ORDER BY at ${dir}, id ${dir} LIMIT $${params.length})
       SELECT part, key, array_remove(array_agg(DISTINCT t), 'null') AS types, bool_and(integral) AS integral, bool_and(numeric_array) AS numeric_arrays
         FROM (${['entity', 'features', 'statuses', 'outputs'].map(part).join(' UNION ALL ')}) x
        GROUP BY part, key ORDER BY part, key`,
      params,
    );
    return rows.map((r) => ({ part: r.part, key: r.key, types: r.types ?? [], integral: r.integral, numericArrays: r.numeric_arrays }));
  }

  async modelExists(model: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(`SELECT 1 FROM tessera.model_versions WHERE name = $1 LIMIT 1`, [model]);
    return rows.length > 0;
  }

  async maxId(): Promise<string | null> {
    const [row] = await this.dataSource.query<{ id: string | null }[]>(`SELECT max(id)::text AS id FROM tessera.prediction_log`);
    return row?.id ?? null;
  }

  async rateSources(pairs: readonly { model: string; version: string }[]): Promise<RateSources[]> {
    if (pairs.length === 0) return [];
    const rows: { model: string; version: string; override: number | null; document: unknown }[] = await this.dataSource.query(
      `SELECT p.model, p.version, s.sample_rate AS override, v.spec->'extra'->'predictionLog'->'sampleRate' AS document
         FROM unnest($1::text[], $2::text[]) AS p(model, version)
         LEFT JOIN tessera.prediction_log_settings s ON s.model = p.model
         LEFT JOIN tessera.model_versions v ON v.name = p.model AND v.version = p.version`,
      [pairs.map((p) => p.model), pairs.map((p) => p.version)],
    );
    return rows.map((r) => ({ ...r, override: r.override === null ? null : Number(r.override) }));
  }

  async setting(model: string): Promise<SampleRateSetting | null> {
    const [row] = await this.dataSource.query<Record<string, unknown>[]>(`SELECT model, sample_rate, updated_by, updated_at FROM tessera.prediction_log_settings WHERE model = $1`, [model]);
    return row ? toSetting(row) : null;
  }

  /** Settings change in a transaction of their own, which the change feed joins. */
  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async saveSetting(m: EntityManager, model: string, sampleRate: number, updatedBy: string): Promise<SampleRateSetting> {
    const [row] = await m.query<Record<string, unknown>[]>(
      `INSERT INTO tessera.prediction_log_settings (model, sample_rate, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (model) DO UPDATE SET sample_rate = EXCLUDED.sample_rate, updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING model, sample_rate, updated_by, updated_at`,
      [model, sampleRate, updatedBy],
    );
    return toSetting(row);
  }

  async deleteSetting(m: EntityManager, model: string): Promise<boolean> {
    const rows = await m.query<unknown[]>(`DELETE FROM tessera.prediction_log_settings WHERE model = $1 RETURNING model`, [model]);
    return rows.length > 0;
  }
}

function whereClause(f: PredictionLogFilter): { where: string[]; params: unknown[] } {
  const where = ['model = $1'];
  const params: unknown[] = [f.model];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.version) add('version = ?', f.version);
  if (f.role) add('role = ?', f.role);
  if (f.since) add('at >= ?::timestamptz', f.since.toISOString());
  if (f.until) add('at < ?::timestamptz', f.until.toISOString());
  if (f.maxId) add('id <= ?::bigint', f.maxId);
  return { where, params };
}

/**
 * JSON for a jsonb column that cannot fail on what a prediction path may hand over: typed arrays
 * (onnxruntime outputs) become arrays, bigints numbers or strings, NUL characters (refused by jsonb) are dropped.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value ?? {}, (_key, v: unknown) => {
    if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number | bigint>, (x) => (typeof x === 'bigint' ? Number(x) : x));
    if (typeof v === 'string' && v.includes('\u0000')) return v.replaceAll('\u0000', '');
    return v;
  });
}

function toDate(at: Date | string | number): Date {
  const d = at instanceof Date ? at : new Date(at);
  return Number.isNaN(d.getTime()) ? new Date() : d;
}

function toEntry(r: Record<string, unknown>): StoredPredictionLogEntry {
  return {
    id: r.id as string,
    requestId: r.request_id as string,
    model: r.model as string,
    version: r.version as string,
    role: r.role as PredictionLogEntry['role'],
    entity: r.entity as Record<string, unknown>,
    features: r.features as Record<string, unknown>,
    statuses: r.statuses as Record<string, string>,
    outputs: r.outputs as Record<string, unknown>,
    ...(r.rejected === null ? {} : { rejected: r.rejected as string }),
    latencyMs: Number(r.latency_ms),
    at: r.at as Date,
  };
}

function toSetting(r: Record<string, unknown>): SampleRateSetting {
  return { model: r.model as string, sampleRate: Number(r.sample_rate), updatedBy: r.updated_by as string, updatedAt: r.updated_at as Date };
}
