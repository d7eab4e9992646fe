import type { RedisClient } from './redis-connection';
import type { ResolvedFeatureView } from '../registry/resolved-feature-view';

/** Nest injection token of the configured OnlineStore (Redis or the PostgreSQL table). */
export const ONLINE_STORE = Symbol('ONLINE_STORE');

/** The latest row of one entity of a view, as materialization or a push produces it. */
export interface OnlineWriteRow {
  /** Join key values in `view.joinKeys` order. */
  keys: unknown[];
  eventTs: Date;
  createdTs: Date | null;
  /** Feature values in `view.features` order. */
  values: unknown[];
}

/** The entities to read for one view, and which of its features the caller wants. */
export interface OnlineReadRequest {
  view: ResolvedFeatureView;
  /** Indexes into `view.features`; the entry's values come back in this order. */
  featureIndexes: number[];
  /** One array of join key values (in `view.joinKeys` order) per entity. */
  entityKeys: unknown[][];
  /**
   * Plain numbers may come back as RawJson (their stored JSON text, never parsed): for a caller that
   * only writes them out as JSON again (the online route's encoder). Stores without JSON text ignore it.
   */
  rawNumbers?: boolean;
}

export interface OnlineEntry {
  /**
   * Values of the requested features. `undefined` (not null) marks a feature the stored vector does
   * not have: it was added to the view after this entity was last materialized.
   */
  values: unknown[];
  eventTs: Date;
}

/**
 * An online store holds, per (view, entity), the newest feature vector. Implementations share one
 * contract test suite (test/contract/online-store.contract.ts).
 */
export interface OnlineStore {
  /** `redis`, `redis-cluster` or `postgres`: shown by /ready and the logs. */
  readonly kind: string;
  /** The Redis connection of a Redis store: the rate limiter keeps its shared counters there (ADR 0018). */
  readonly redis?: RedisClient;
  /**
   * Writes each row atomically, only when it is newer than what the store holds (event ts, then
   * created ts; a missing created ts is the oldest). With a ttl the entry expires at eventTs + ttl;
   * rows already past that are skipped. Resolves to the number of rows actually written.
   */
  write(view: ResolvedFeatureView, rows: OnlineWriteRow[]): Promise<number>;
  /**
   * One store round trip whatever the number of views (Redis Cluster: one per node, in parallel).
   * Result[i][j] is the entry of request i, entity j, or null when absent or expired.
   */
  read(requests: OnlineReadRequest[]): Promise<(OnlineEntry | null)[][]>;
  /**
   * read(), but each entry as the bytes the store holds (`eventMs|createdMs|layoutId|[vector]`, null when
   * absent or expired), for a caller that writes the answer's JSON from them (the online route, issue 16).
   * `decodeBytes` turns such bytes into what read() answers. Only stores that keep that text implement both.
   */
  readBytes?(requests: OnlineReadRequest[]): Promise<(Buffer | null)[][]>;
  decodeBytes?(requests: OnlineReadRequest[], bytes: (Buffer | null)[][]): (OnlineEntry | null)[][];
  /** Throws FeaturesError ONLINE_STORE_UNAVAILABLE when the store does not answer. */
  ping(): Promise<void>;
  /**
   * Deletes expired entries in bulk, at most `limit`; resolves to how many. Stores whose entries expire
   * by themselves (Redis PXAT) do not implement it.
   */
  purgeExpired?(limit: number): Promise<number>;
  /** Deletes every entry this store instance owns (Redis: its key prefix only). For tests and resets. */
  deleteAll(): Promise<void>;
  close(): Promise<void>;
}
