import type { Pool } from 'pg';
import type { ResolvedFeatureView } from '../registry/resolved-feature-view';
import { guardStore } from './online-store-errors';
import type { OnlineEntry, OnlineReadRequest, OnlineStore, OnlineWriteRow } from './online-store';
import { encodeVector, pickValues } from './online-value-codec';
import { checkRow, newestPerEntity } from './online-write-rows';
import { expiresAtMs, viewLayout } from './view-layout';

/** What the store needs of a pg.Pool (TypeORM's DataSource has one). */
export type PgQueryable = Pick<Pool, 'query'>;

const WRITE_BATCH = 1000;

/*
 * Newer-only upsert: the incoming row wins when it is newer (event ts, then created ts with NULL the
 * oldest), when it is the same row written with a grown feature list (another layout), or when the
 * stored entry has expired (Redis would not have it any more either).
 */
const UPSERT = `
INSERT INTO tessera.online_features AS t (view, entity_key, event_ts, created_ts, layout, "values", expires_at)
SELECT $1::text, u.entity_key, u.event_ts, u.created_ts, $2::text, u.vals, u.expires_at
FROM unnest($3::text[], $4::timestamptz[], $5::timestamptz[], $6::jsonb[], $7::timestamptz[]) AS u(entity_key, event_ts, created_ts, vals, expires_at)
ON CONFLICT (view, entity_key) DO UPDATE
SET event_ts = EXCLUDED.event_ts, created_ts = EXCLUDED.created_ts, layout = EXCLUDED.layout,
    "values" = EXCLUDED."values", expires_at = EXCLUDED.expires_at, updated_at = now()
WHERE t.expires_at < now()
   OR EXCLUDED.event_ts > t.event_ts
   OR (EXCLUDED.event_ts = t.event_ts AND (
        (EXCLUDED.created_ts IS NOT NULL AND (t.created_ts IS NULL OR EXCLUDED.created_ts > t.created_ts))
     OR (EXCLUDED.created_ts IS NOT DISTINCT FROM t.created_ts AND EXCLUDED.layout <> t.layout)))`;

/**
 * Every (view, entity) of every request in one statement: the single round trip of a read. An entry
 * lives while now <= expires_at, like a Redis key with PXAT and like the offline ttl window
 * (event_ts >= T - ttl).
 */
const READ = `
SELECT q.i::int AS i, f.event_ts, f.layout, f."values"::text AS vals
FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS q(view, entity_key, i)
JOIN tessera.online_features f ON f.view = q.view AND f.entity_key = q.entity_key
WHERE f.expires_at IS NULL OR f.expires_at >= now()`;

/** The fallback online store: `tessera.online_features` in the catalog database (no Redis configured). */
export class PostgresOnlineStore implements OnlineStore {
  readonly kind = 'postgres';

  constructor(
    private readonly pool: PgQueryable,
    private readonly writeBatch = WRITE_BATCH,
  ) {}

  async write(view: ResolvedFeatureView, rows: OnlineWriteRow[]): Promise<number> {
    const layout = viewLayout(view);
    const now = Date.now();
    const items: { key: string; row: OnlineWriteRow; expireAt: number | null }[] = [];
    for (const row of rows) {
      checkRow(view, row);
      const expireAt = expiresAtMs(layout, row.eventTs);
      if (expireAt !== null && expireAt < now) continue;
      items.push({ key: layout.encoder.encode(row.keys), row, expireAt });
    }
    const unique = newestPerEntity(items);
    let written = 0;
    for (let start = 0; start < unique.length; start += this.writeBatch) {
      const batch = unique.slice(start, start + this.writeBatch);
      const params = [
        view.name,
        layout.layoutId,
        batch.map((b) => b.key),
        batch.map((b) => b.row.eventTs.toISOString()),
        batch.map((b) => b.row.createdTs?.toISOString() ?? null),
        batch.map((b) => encodeVector(b.row.values)),
        batch.map((b) => (b.expireAt === null ? null : new Date(b.expireAt).toISOString())),
      ];
      const res = await this.guard(() => this.pool.query(UPSERT, params));
      written += res.rowCount ?? 0;
    }
    return written;
  }

  async read(requests: OnlineReadRequest[]): Promise<(OnlineEntry | null)[][]> {
    const views: string[] = [];
    const keys: string[] = [];
    for (const r of requests) {
      const { encoder } = viewLayout(r.view);
      for (const k of r.entityKeys) {
        views.push(r.view.name);
        keys.push(encoder.encode(k));
      }
    }
    const found = new Map<number, { event_ts: Date; layout: string; vals: string }>();
    if (keys.length > 0) {
      const res = await this.guard(() => this.pool.query<{ i: number; event_ts: Date; layout: string; vals: string }>(READ, [views, keys]));
      for (const row of res.rows) found.set(row.i - 1, row);
    }
    let at = 0;
    return requests.map((r) => {
      const { prefixLength } = viewLayout(r.view);
      return r.entityKeys.map(() => {
        const row = found.get(at++);
        if (!row || !prefixLength.has(row.layout)) return null;
        return { eventTs: row.event_ts, values: pickValues(JSON.parse(row.vals) as unknown[], r.featureIndexes) };
      });
    });
  }

  async ping(): Promise<void> {
    await this.guard(() => this.pool.query('SELECT 1 FROM tessera.online_features LIMIT 0'));
  }

  /** Reads already skip expired rows; this keeps the table from growing with them. */
  async purgeExpired(limit: number): Promise<number> {
    const res = await this.guard(() =>
      this.pool.query(
        `DELETE FROM tessera.online_features WHERE ctid = ANY (ARRAY(
           SELECT ctid FROM tessera.online_features WHERE expires_at < now() LIMIT $1))`,
        [limit],
      ),
    );
    return res.rowCount ?? 0;
  }

  async deleteAll(): Promise<void> {
    await this.guard(() => this.pool.query('DELETE FROM tessera.online_features'));
  }

  async close(): Promise<void> {
    // The pool belongs to the application's DataSource, which closes it.
  }

  private guard<T>(op: () => Promise<T>): Promise<T> {
    return guardStore('postgres', op);
  }
}
