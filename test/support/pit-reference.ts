/**
 * A brute-force point-in-time join, written from DESIGN.md's wording and nothing else (no SQL, no
 * engine code): for each entity row and view, scan every source row. Timestamps are epoch
 * microseconds. It returns every acceptable answer: when two source rows tie on event time and
 * created time, the semantics do not say which wins, so all of them are.
 */

export type KeyValue = number | string | null;

export interface RefSourceRow {
  keys: Record<string, KeyValue>;
  ts: number;
  /** null: no created timestamp (sorts lowest). */
  created: number | null;
  values: Record<string, unknown>;
}

export interface RefView {
  name: string;
  keyNames: string[];
  ttlSeconds: number;
  /** Whether the view declares a created-timestamp column (if not, `created` is ignored). */
  useCreated: boolean;
  rows: RefSourceRow[];
}

export interface RefEntityRow {
  keys: Record<string, KeyValue>;
  ts: number;
}

/** Per entity row (input order), per view (given order): the rows that may be joined; [] = NULLs. */
export type RefAnswer = RefSourceRow[][][];

export function referenceJoin(views: RefView[], entities: RefEntityRow[]): RefAnswer {
  return entities.map((e) => views.map((v) => winners(v, e)));
}

function winners(view: RefView, e: RefEntityRow): RefSourceRow[] {
  const eligible: RefSourceRow[] = [];
  for (const row of view.rows) {
    let sameKeys = true;
    for (const k of view.keyNames) {
      const a = row.keys[k];
      const b = e.keys[k];
      // SQL equality: a NULL on either side never matches.
      if (a === null || a === undefined || b === null || b === undefined || a !== b) sameKeys = false;
    }
    if (!sameKeys) continue;
    if (row.ts > e.ts) continue;
    if (view.ttlSeconds > 0 && row.ts < e.ts - view.ttlSeconds * 1_000_000) continue;
    eligible.push(row);
  }
  if (eligible.length === 0) return [];
  let best: RefSourceRow[] = [eligible[0]];
  for (const row of eligible.slice(1)) {
    const c = compare(row, best[0], view.useCreated);
    if (c > 0) best = [row];
    else if (c === 0) best.push(row);
  }
  return best;
}

/** >0 when a is preferred over b: later event time, then later created time, where none < any. */
function compare(a: RefSourceRow, b: RefSourceRow, useCreated: boolean): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  if (!useCreated) return 0;
  if (a.created === b.created) return 0;
  if (a.created === null) return -1;
  if (b.created === null) return 1;
  return a.created - b.created;
}

/** ISO-8601 in UTC with milliseconds, and microseconds when there are any below the millisecond. */
export function isoOfMicros(micros: number): string {
  const rest = ((micros % 1000) + 1000) % 1000;
  const ms = (micros - rest) / 1000;
  const base = new Date(ms).toISOString();
  return rest === 0 ? base : base.replace('Z', `${String(rest).padStart(3, '0')}Z`);
}
