import type { Pool, PoolClient } from 'pg';

/** What a reader needs of a pg.Pool (TypeORM's DataSource has one). */
export type PgPool = Pick<Pool, 'connect'>;

/** Every column comes back as PostgreSQL's text: typing is the caller's codec's job, not pg's defaults. */
export const RAW_TEXT = { getTypeParser: () => (value: string) => value };

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/**
 * Runs `body` inside one transaction on a pooled connection, as a stream: the transaction stays open
 * while the consumer handles each item, commits when `body` is done, and rolls back when it throws or
 * the consumer stops early (which also closes cursors and drops temp tables). A connection that
 * failed mid-protocol is discarded, not returned to the pool. Connecting happens on first pull: a
 * stream never iterated holds no connection.
 */
export async function* streamInTransaction<T>(pool: PgPool, begin: string, body: (client: PoolClient) => AsyncGenerator<T>): AsyncGenerator<T> {
  let client: PoolClient | undefined;
  let failure: Error | undefined;
  let open = false;
  try {
    client = await pool.connect();
    await client.query(begin);
    open = true;
    yield* body(client);
    await client.query('COMMIT');
    open = false;
  } catch (e) {
    failure = asError(e);
    throw e;
  } finally {
    if (client) {
      const c = client;
      if (open) await c.query('ROLLBACK').catch((e: unknown) => (failure ??= asError(e)));
      c.release(failure);
    }
  }
}

/** FETCHes an open cursor `chunkRows` at a time, every value as text, until it is exhausted. */
export async function* fetchCursor(client: PoolClient, cursor: string, chunkRows: number): AsyncGenerator<(string | null)[][]> {
  for (;;) {
    const res = await client.query<(string | null)[]>({ text: `FETCH ${chunkRows} FROM ${cursor}`, rowMode: 'array', types: RAW_TEXT });
    if (res.rows.length === 0) return;
    yield res.rows;
  }
}
