import type { Cluster, Redis } from 'ioredis';
import type { ResolvedFeatureView } from '../registry/resolved-feature-view';
import { keySlot } from './cluster-slot';
import { OnlineRedisKeys } from './online-redis-keys';
import { guardStore } from './online-store-errors';
import type { OnlineEntry, OnlineReadRequest, OnlineStore, OnlineWriteRow } from './online-store';
import { checkRow } from './online-write-rows';
import { encodeVector, pickRawValues, pickValues } from './online-value-codec';
import { closeRedisClient, RedisClient } from './redis-connection';
import { ONLINE_WRITE_COMMAND, ONLINE_WRITE_LUA, OnlineWriteArgs, OnlineWriteCommander } from './redis-write-script';
import { expiresAtMs, viewLayout } from './view-layout';

/** Rows per pipeline: big enough to amortize round trips, small enough to keep Redis responsive. */
const WRITE_BATCH = 500;

/**
 * Online store on Redis, standalone or Cluster: one string per (entity, view) holding the packed
 * vector (ADR 0005). Reads are one MGET (Cluster: one MGET per slot, auto-pipelined per node).
 */
export class RedisOnlineStore implements OnlineStore {
  readonly kind: string;
  private readonly keys: OnlineRedisKeys;
  private readonly cluster: boolean;

  constructor(
    private readonly client: RedisClient,
    prefix: string,
    private readonly writeBatch = WRITE_BATCH,
  ) {
    this.keys = new OnlineRedisKeys(prefix);
    this.cluster = (client as Cluster).isCluster === true;
    this.kind = this.cluster ? 'redis-cluster' : 'redis';
    client.defineCommand(ONLINE_WRITE_COMMAND, { numberOfKeys: 1, lua: ONLINE_WRITE_LUA });
  }

  /** The connection, shared with the rate limiter so its counters live where the online store is (ADR 0018). */
  get redis(): RedisClient {
    return this.client;
  }

  async write(view: ResolvedFeatureView, rows: OnlineWriteRow[]): Promise<number> {
    const layout = viewLayout(view);
    let written = 0;
    for (let start = 0; start < rows.length; start += this.writeBatch) {
      const now = Date.now();
      const batch: OnlineWriteArgs[] = [];
      for (const row of rows.slice(start, start + this.writeBatch)) {
        checkRow(view, row);
        const expireAt = expiresAtMs(layout, row.eventTs);
        if (expireAt !== null && expireAt < now) continue; // already past its ttl: nothing to serve
        const eventMs = String(row.eventTs.getTime());
        const createdMs = row.createdTs ? String(row.createdTs.getTime()) : '';
        const value = `${eventMs}|${createdMs}|${layout.layoutId}|${encodeVector(row.values)}`;
        const key = this.keys.feature(layout.encoder.encode(row.keys), view.name);
        batch.push([key, value, eventMs, createdMs, layout.layoutId, expireAt === null ? '' : String(expireAt)]);
      }
      if (batch.length > 0) written += await this.guard(() => this.writeBatchOf(batch));
    }
    return written;
  }

  read(requests: OnlineReadRequest[]): Promise<(OnlineEntry | null)[][]> {
    return this.mget(requests, false).then((raw) => decodeEntries(requests, raw));
  }

  readBytes(requests: OnlineReadRequest[]): Promise<(Buffer | null)[][]> {
    return this.mget(requests, true).then((raw) => {
      let at = 0;
      return requests.map((r) => r.entityKeys.map(() => raw[at++]));
    });
  }

  decodeBytes(requests: OnlineReadRequest[], bytes: (Buffer | null)[][]): (OnlineEntry | null)[][] {
    return decodeEntries(
      requests,
      bytes.flat().map((b) => (b === null ? null : b.toString('utf8'))),
    );
  }

  /** One MGET of every request's keys (Cluster: one per slot). No async frame: this is every online read's path (issue 16). */
  private mget(requests: OnlineReadRequest[], bytes: false): Promise<(string | null)[]>;
  private mget(requests: OnlineReadRequest[], bytes: true): Promise<(Buffer | null)[]>;
  private mget(requests: OnlineReadRequest[], bytes: boolean): Promise<(string | Buffer | null)[]> {
    const keys: string[] = [];
    try {
      for (const r of requests) {
        const { encoder } = viewLayout(r.view);
        for (const k of r.entityKeys) keys.push(this.keys.feature(encoder.encode(k), r.view.name));
      }
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    if (keys.length === 0) return Promise.resolve([]);
    return this.guard(() => (this.cluster ? this.mgetPerSlot(keys, bytes) : bytes ? (this.client as Redis).mgetBuffer(keys) : (this.client as Redis).mget(keys)));
  }

  async ping(): Promise<void> {
    await this.guard(async () => {
      if (this.cluster) {
        const c = this.client as Cluster;
        if (c.status !== 'ready') throw new Error(`cluster is ${c.status}`);
        await Promise.all(c.nodes('master').map((n) => n.ping()));
      } else {
        await (this.client as Redis).ping();
      }
    });
  }

  async deleteAll(): Promise<void> {
    await this.guard(async () => {
      const nodes = this.cluster ? (this.client as Cluster).nodes('master') : [this.client as Redis];
      for (const node of nodes) {
        let cursor = '0';
        do {
          const [next, found] = await node.scan(cursor, 'MATCH', this.keys.allPattern(), 'COUNT', 1000);
          cursor = next;
          if (found.length === 0) continue;
          // Cluster: keys of one node may span slots, and multi-key UNLINK must stay within one.
          if (this.cluster) await node.pipeline(found.map((k) => ['unlink', k])).exec();
          else await node.unlink(...found);
        } while (cursor !== '0');
      }
    });
  }

  close(): Promise<void> {
    return closeRedisClient(this.client);
  }

  private async writeBatchOf(batch: OnlineWriteArgs[]): Promise<number> {
    if (this.cluster) {
      // Issued in one tick: ioredis' auto-pipelining sends them as one pipeline per node.
      const results = await Promise.all(batch.map((args) => (this.client as unknown as OnlineWriteCommander).tesseraOnlineWrite(...args)));
      return results.reduce((n, r) => n + Number(r), 0);
    }
    const pipeline = this.client.pipeline();
    // Queued, not sent: exec() below reports each command's result and error.
    for (const args of batch) void (pipeline as unknown as OnlineWriteCommander).tesseraOnlineWrite(...args);
    const results = (await pipeline.exec()) ?? [];
    let written = 0;
    for (const [err, r] of results) {
      if (err) throw err;
      written += Number(r);
    }
    return written;
  }

  /** Cluster refuses MGET across slots: one MGET per slot, all issued in one tick (one pipeline per node). */
  private async mgetPerSlot(keys: string[], bytes: boolean): Promise<(string | Buffer | null)[]> {
    const bySlot = new Map<number, number[]>();
    keys.forEach((k, i) => {
      const slot = keySlot(k);
      const list = bySlot.get(slot);
      if (list) list.push(i);
      else bySlot.set(slot, [i]);
    });
    const out = new Array<string | Buffer | null>(keys.length);
    const groups = [...bySlot.values()];
    const replies = await Promise.all(groups.map((idx) => (bytes ? this.client.mgetBuffer(idx.map((i) => keys[i])) : this.client.mget(idx.map((i) => keys[i])))));
    groups.forEach((idx, g) => idx.forEach((i, j) => (out[i] = replies[g][j])));
    return out;
  }

  private guard<T>(op: () => Promise<T>): Promise<T> {
    return guardStore(this.kind, op);
  }
}

function decodeEntries(requests: OnlineReadRequest[], raw: (string | null)[]): (OnlineEntry | null)[][] {
  let at = 0;
  return requests.map((r) => {
    const layout = viewLayout(r.view);
    return r.entityKeys.map(() => decodeEntry(raw[at++], layout.prefixLength, r.featureIndexes, r.rawNumbers === true));
  });
}

function decodeEntry(raw: string | null, prefixLength: Map<string, number>, featureIndexes: number[], rawNumbers: boolean): OnlineEntry | null {
  if (raw === null) return null;
  const a = raw.indexOf('|');
  const b = raw.indexOf('|', a + 1);
  const c = raw.indexOf('|', b + 1);
  if (a < 0 || b < 0 || c < 0) return null;
  // A layout this view never had (the view was replaced by an incompatible one): not this view's data.
  if (!prefixLength.has(raw.slice(b + 1, c))) return null;
  const vector = raw.slice(c + 1);
  return { eventTs: new Date(Number(raw.slice(0, a))), values: rawNumbers ? pickRawValues(vector, featureIndexes) : pickValues(JSON.parse(vector) as unknown[], featureIndexes) };
}
