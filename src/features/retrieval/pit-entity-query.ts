import type { ClientBase } from 'pg';
import { quoteIdent } from '../offline/offline-naming';
import type { EntityFrame, EntitySpineQuery } from './pit-entity-frame';
import { EVENT_TIMESTAMP } from './pit-request';

/** The rows of the port an entity query selects: event time set and within [from, to). */
function spineSource(q: Omit<EntitySpineQuery, 'spineTable'>): { from: string; params: string[]; ts: string } {
  const ts = `s.${quoteIdent(q.columns.find((c) => c.name === EVENT_TIMESTAMP)!.column)}`;
  const where = [`${ts} IS NOT NULL`];
  const params: string[] = [];
  if (q.from !== null) where.push(`${ts} >= $${params.push(q.from)}::timestamptz`);
  if (q.to !== null) where.push(`${ts} < $${params.push(q.to)}::timestamptz`);
  return { from: `FROM ${quoteIdent(q.schema)}.${quoteIdent(q.table)} s WHERE ${where.join(' AND ')}`, params, ts };
}

/** How many entity rows the query selects (for the row cap, before any work). */
export async function countSpine(client: ClientBase, q: Omit<EntitySpineQuery, 'spineTable'>): Promise<number> {
  const { from, params } = spineSource(q);
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n ${from}`, params);
  return Number(rows[0].n);
}

/**
 * Inside the retrieval's transaction (session settings already set): numbers the port's rows into the
 * spine temp table (`_row`, then every entity column under its own name), then fills the entity table
 * from it. One snapshot for both statements' source: the spine is read once; `_row` follows event time,
 * then the keys, so a save of unchanged data numbers its rows the same way.
 */
export async function loadSpine(client: ClientBase, frame: EntityFrame, createTemp: string, tempTable: string): Promise<void> {
  const q = frame.query!;
  const { from, params, ts } = spineSource(q);
  const keyColumns = frame.keys.map((k) => `s.${quoteIdent(q.columns.find((c) => c.name === k.name)!.column)}`);
  const order = [ts, ...keyColumns, 's.ctid'].join(', ');
  const outputs = q.columns.map((c) => `s.${quoteIdent(c.column)} AS ${quoteIdent(c.name)}`).join(', ');
  await client.query(`CREATE TEMP TABLE ${quoteIdent(q.spineTable)} ON COMMIT DROP AS SELECT (row_number() OVER (ORDER BY ${order}) - 1) AS _row, ${outputs} ${from}`, params);
  await client.query(`ALTER TABLE ${quoteIdent(q.spineTable)} ADD PRIMARY KEY (_row)`);
  await client.query(createTemp);
  const keys = frame.keys.map((k) => `${quoteIdent(k.name)}::${k.sqlType}`);
  await client.query(
    `INSERT INTO ${quoteIdent(tempTable)} (_row, ${frame.keys.map((_, i) => `k${i}, `).join('')}_ts) ` +
      `SELECT _row, ${keys.map((k) => `${k}, `).join('')}${quoteIdent(EVENT_TIMESTAMP)}::timestamptz FROM ${quoteIdent(q.spineTable)}`,
  );
}
