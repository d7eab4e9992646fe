import { copyText as keyText, EntityFrame } from './pit-entity-frame';
import { pgTimestampText } from './pit-timestamp';

/** The entity rows as a relation of the query itself, and the parameters it reads. */
export interface InlineEntities {
  /** `(SELECT _row, k0..kn, _ts FROM unnest($1..$n))`, typed like the temp table of the COPY path. */
  relation: string;
  params: (string | null)[][];
}

/**
 * Entity rows passed as text-array parameters and unnested in the query, for servers where the temp
 * table of the COPY path cannot exist: a hot standby (read replica, ADR 0031) refuses CREATE TABLE,
 * temporary ones included. Each value is the same text COPY would load and goes through the same input
 * function (the cast), so both paths compare identical values. Costs against the temp table: the
 * planner has no statistics (it assumes 100 rows) and the output needs a sort on `_row`; the
 * LATERAL probes, one per entity row and view, are the same.
 */
export function inlineEntities(frame: EntityFrame, rows: Iterable<number>): InlineEntities {
  const index = [...rows];
  const params: (string | null)[][] = [index.map(String), ...frame.keys.map((k) => index.map((i) => keyText(k.values[i]))), index.map((i) => pgTimestampText(frame.tsMs[i], frame.tsUs[i]))];
  const names = ['_row', ...frame.keys.map((_, i) => `k${i}`), '_ts'];
  const typed = ['u._row::bigint AS _row', ...frame.keys.map((k, i) => `u.k${i}::${k.sqlType} AS k${i}`), 'u._ts::timestamptz AS _ts'];
  const unnest = params.map((_, i) => `$${i + 1}::text[]`).join(', ');
  return { relation: `(SELECT ${typed.join(', ')} FROM unnest(${unnest}) AS u(${names.join(', ')}))`, params };
}
