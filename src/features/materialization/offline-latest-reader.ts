import { fetchCursor, PgPool, streamInTransaction } from '../../common/database/pg-cursor';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import { quoteIdent } from '../offline/offline-naming';
import type { OnlineWriteRow } from '../online/online-store';
import type { FeatureValueType, ResolvedFeatureView } from '../registry/resolved-feature-view';

export type { PgPool };

/** UTC so `timestamp` (without zone) columns compare with the interval bounds as UTC; ISO dates as text. */
const SESSION = `SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL extra_float_digits = 1`;

/** Timestamps leave PostgreSQL as epoch milliseconds (exact for timestamp and timestamptz alike). */
const epochMs = (column: string): string => `floor(extract(epoch FROM ${quoteIdent(column)}) * 1000)::int8`;
const asText = (column: string, type: FeatureValueType): string => (type === 'timestamp' ? epochMs(column) : `${quoteIdent(column)}::text`);

/**
 * The latest row per entity with event ts in [start, end): DISTINCT ON the join keys, newest event ts
 * first, ties to the newest created ts (a missing one last) — the point-in-time rule of DESIGN.md.
 * `start` null means from the beginning of time. Rows with a NULL join key have no entity and are skipped.
 */
export function latestRowsSql(view: ResolvedFeatureView, withStart: boolean): string {
  const keys = view.joinKeys.map((k) => quoteIdent(k.column));
  const ts = quoteIdent(view.timestampColumn);
  const created = view.createdTimestampColumn ? quoteIdent(view.createdTimestampColumn) : null;
  const select = [
    ...view.joinKeys.map((k) => asText(k.column, k.type)),
    epochMs(view.timestampColumn),
    created ? epochMs(view.createdTimestampColumn!) : 'NULL',
    ...view.features.map((f) => asText(f.column, f.type)),
  ];
  const where = [...keys.map((k) => `${k} IS NOT NULL`), withStart ? `${ts} >= $1::timestamptz AND ${ts} < $2::timestamptz` : `${ts} < $1::timestamptz`];
  const order = [...keys, `${ts} DESC`, ...(created ? [`${created} DESC NULLS LAST`] : [])];
  return `SELECT DISTINCT ON (${keys.join(', ')}) ${select.join(', ')}
FROM ${quoteIdent(view.table.schema)}.${quoteIdent(view.table.name)}
WHERE ${where.join(' AND ')}
ORDER BY ${order.join(', ')}`;
}

/** A feature value from its PostgreSQL text, typed like the offline retrieval's JSON output. */
export function decodeOffline(type: FeatureValueType, text: string | null): unknown {
  if (text === null) return null;
  switch (type) {
    case 'integer': {
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : text; // int8 beyond 2^53 stays exact as its decimal text
    }
    case 'number':
      return Number(text);
    case 'boolean':
      return text === 't' || text === 'true';
    case 'timestamp':
      return new Date(Number(text));
    default:
      return text;
  }
}

/**
 * Streams the latest rows of a view's offline table in chunks of `chunkRows` through a server-side
 * cursor, so memory stays bounded whatever the table size. The cursor's transaction stays open
 * while the caller writes each chunk; returning early rolls it back.
 */
export async function* readLatestRows(pool: PgPool, view: ResolvedFeatureView, start: Date | null, end: Date, chunkRows: number): AsyncGenerator<OnlineWriteRow[]> {
  const nKeys = view.joinKeys.length;
  const types = view.features.map((f) => f.type);
  yield* streamInTransaction(pool, 'BEGIN READ ONLY', async function* (client) {
    await client.query(SESSION);
    const params = start ? [start.toISOString(), end.toISOString()] : [end.toISOString()];
    await client.query(`DECLARE tessera_materialize NO SCROLL CURSOR FOR ${latestRowsSql(view, start !== null)}`, params).catch((e: unknown) => {
      throw offlineError(view, e);
    });
    for await (const rows of fetchCursor(client, 'tessera_materialize', chunkRows)) {
      yield rows.map((r) => ({
        keys: r.slice(0, nKeys),
        eventTs: new Date(Number(r[nKeys])),
        createdTs: r[nKeys + 1] === null ? null : new Date(Number(r[nKeys + 1])),
        values: types.map((t, i) => decodeOffline(t, r[nKeys + 2 + i])),
      }));
    }
  });
}

function offlineError(view: ResolvedFeatureView, e: unknown): unknown {
  const code = (e as { code?: string }).code;
  // 42P01 undefined table, 42703 undefined column, 3F000 undefined schema
  if (code === '42P01' || code === '42703' || code === '3F000') {
    const what = code === '42703' ? 'lacks a column the view reads' : 'does not exist';
    return new FeaturesError(FeaturesErrorCode.OFFLINE_TABLE_MISSING, `feature view ${view.name}: offline table ${view.table.schema}.${view.table.name} ${what}`);
  }
  return e;
}
