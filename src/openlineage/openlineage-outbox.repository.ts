import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { OpenLineageRunEvent } from './openlineage-event';

export interface OutboxRow {
  id: string;
  event: OpenLineageRunEvent;
  attempts: number;
  due: boolean;
}

/** Lock key of the one replica delivering at a time, so events leave in the order they were written. */
const DELIVERY_LOCK = 'tessera.openlineage_delivery';

/** The outbox table (ADR 0034); owned by the openlineage module. */
@Injectable()
export class OpenLineageOutboxRepository {
  constructor(private readonly ds: DataSource) {}

  private get pool(): Pool {
    return (this.ds.driver as unknown as { master: Pool }).master;
  }

  async append(events: OpenLineageRunEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.pool.query(
      `INSERT INTO tessera.openlineage_outbox (run_id, event_type, event)
       SELECT (e->'run'->>'runId')::uuid, e->>'eventType', e FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(e, n) ORDER BY n`,
      [JSON.stringify(events)],
    );
  }

  /**
   * Runs `work` holding the delivery lock, or returns false when another replica holds it. The lock
   * is a session lock on a dedicated connection, released before the connection goes back.
   */
  async whileDelivering(work: (client: PoolClient) => Promise<void>): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [DELIVERY_LOCK]);
      if (!rows[0].ok) return false;
      try {
        await work(client);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [DELIVERY_LOCK]);
      }
      return true;
    } finally {
      client.release();
    }
  }

  async oldest(client: PoolClient, limit: number): Promise<OutboxRow[]> {
    const { rows } = await client.query<OutboxRow>( // By the bigint column, not the text `id` of the select list (which ORDER BY would take first: '10' < '2').
      `SELECT o.id::text AS id, o.event, o.attempts, o.next_attempt_at <= now() AS due FROM tessera.openlineage_outbox o ORDER BY o.id LIMIT $1`,
      [limit],
    );
    return rows;
  }

  async delivered(client: PoolClient, id: string): Promise<void> {
    await client.query('DELETE FROM tessera.openlineage_outbox WHERE id = $1', [id]);
  }

  async postpone(client: PoolClient, id: string, delayMs: number, error: string): Promise<void> {
    await client.query(`UPDATE tessera.openlineage_outbox SET attempts = attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond', last_error = $3 WHERE id = $1`, [id, delayMs, error.slice(0, 500)]);
  }

  async pending(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM tessera.openlineage_outbox');
    return Number(rows[0].n);
  }
}
