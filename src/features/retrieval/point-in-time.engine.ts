import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { ResolvedFeatureView } from '../registry/resolved-feature-view';
import { arrowIpcStream } from './pit-arrow-stream';
import { PitArrowLayout } from './pit-arrow-batch';
import { randomBytes } from 'node:crypto';
import { buildEntityFrame, buildQueryFrame, buildStagedFrame, EntityFrame, invalid, StagedSpine } from './pit-entity-frame';
import { countSpine } from './pit-entity-query';
import { distinctViews, FeatureOutput, featureOutputs, joinKeyTypes } from './pit-output-names';
import { runParallel } from './pit-parallel';
import type { InlineEntities } from './pit-entity-params';
import { planSql, PitSql, SourceCatalog } from './pit-plan';
import { EVENT_TIMESTAMP, OutputColumn, PitChunk, PitColumns, PitRequest, RequestedFeature } from './pit-request';
import { loadEntityTable, PgPool, runSlice } from './pit-slice-runner';
import { loadSourceCatalog } from './pit-source-catalog';
import { jsonColumnSlice } from './pit-value-codec';

/**
 * The retrieval as SQL to consume inside PostgreSQL (see PointInTimeEngine.runInto): `select` yields
 * `_row` then `f0..fn` (one per feature output, in output order), ordered by `_row`; `entityTable` is
 * the temp table of the entity rows (`_row`, each join key in `keys[i].column`, `_ts`).
 */
export interface PitInPlace {
  select: string;
  entityTable: string;
  keys: { name: string; column: string }[];
}

export interface PitEngineOptions {
  /** Rows per cursor FETCH, record batch and parallel block. */
  chunkRows?: number;
  /**
   * From this many entity rows on, the join is split across `parallelism` connections sharing one
   * snapshot. Default 20,000 (two 10k blocks, the least that can be split); the split won from 10k
   * rows up in bench/pit-join.bench.ts. Infinity disables splitting.
   */
  parallelThreshold?: number;
  /** Connections of a split retrieval (default 2: the machines have 2 cores). */
  parallelism?: number;
  /**
   * Entity rows as query parameters, no temp table and no split: for a read replica, where a hot
   * standby refuses CREATE TABLE (ADR 0031). Masked features and entity queries are refused.
   */
  inline?: boolean;
}

/** A validated retrieval, ready to run: checked entities, output columns and the tables' columns. */
export interface PreparedRetrieval {
  frame: EntityFrame;
  /** Every output column in order: entity columns as given, then features as requested. */
  columns: OutputColumn[];
  features: FeatureOutput[];
  views: ResolvedFeatureView[];
  catalog: SourceCatalog;
  /** The features as requested: an upload still to be staged names its entity columns only once read (withStaged). */
  requested: { features: readonly RequestedFeature[]; fullFeatureNames: boolean };
}

/** The pool behind a TypeORM DataSource (postgres driver), or a pg.Pool as is. */
export function pgPoolOf(source: DataSource | PgPool): PgPool {
  if (source instanceof DataSource) return (source.driver as unknown as { master: Pool }).master;
  return source;
}

/**
 * Point-in-time retrieval (DESIGN.md "Point-in-time semantics"): for every entity row and requested
 * view, the source row with the same keys and the greatest event timestamp <= the row's
 * event_timestamp (and >= event_timestamp - ttl when the view has a ttl), ties broken by the greatest
 * created timestamp (NULL lowest); NULLs when none. One output row per entity row, in input order.
 * When two candidate rows tie on both timestamps, which one is returned is unspecified.
 */
export class PointInTimeEngine {
  private readonly pool: PgPool;
  private readonly chunkRows: number;
  private readonly parallelThreshold: number;
  private readonly parallelism: number;
  private readonly inline: boolean;

  constructor(source: DataSource | PgPool, options: PitEngineOptions = {}) {
    this.inline = options.inline ?? false;
    this.pool = pgPoolOf(source);
    this.chunkRows = options.chunkRows ?? 10_000;
    this.parallelThreshold = options.parallelThreshold ?? 20_000;
    this.parallelism = options.parallelism ?? 2;
  }

  /**
   * Validates the request (features, names, entity rows) and reads the source tables' columns. An
   * upload still to be staged (`staged: 'pending'`) gets an empty frame: withStaged completes it.
   */
  async prepare(request: PitRequest): Promise<PreparedRetrieval> {
    if (request.features.length === 0) throw invalid('at least one feature is required', [{ field: 'features', reason: 'empty' }]);
    const staged = typeof request.staged === 'object' ? request.staged : undefined;
    const entityNames = request.entitiesFrom ? request.entitiesFrom.columns.map((c) => c.name) : staged ? staged.columns.map((c) => c.name) : Object.keys(request.entities);
    const requested = { features: request.features, fullFeatureNames: request.fullFeatureNames ?? false };
    const features = featureOutputs(request.features, requested.fullFeatureNames, entityNames);
    const views = distinctViews(request.features);
    const client = await this.pool.connect();
    let catalog: SourceCatalog;
    let frame: EntityFrame;
    try {
      const keyTypes = joinKeyTypes(views);
      frame = request.entitiesFrom
        ? buildQueryFrame({ ...request.entitiesFrom, spineTable: `spine_${randomBytes(8).toString('hex')}` }, keyTypes, await countSpine(client, request.entitiesFrom))
        : staged
          ? buildStagedFrame(staged, keyTypes)
          : request.staged === 'pending'
            ? { rowCount: 0, columns: [], keys: [], tsMs: new Float64Array(0), tsUs: new Uint16Array(0), raw: {} }
            : buildEntityFrame(request.entities, keyTypes);
      catalog = await loadSourceCatalog(client, views, features);
    } finally {
      client.release();
    }
    return { frame, columns: [...entityOutputs(frame), ...features], features, views, catalog, requested };
  }

  /**
   * The retrieval of an upload once its rows are staged (entity-stager.ts): the frame of the staged
   * table, and the output names checked against the entity columns now known.
   */
  withStaged(p: PreparedRetrieval, spine: StagedSpine): PreparedRetrieval {
    const frame = buildStagedFrame(spine, joinKeyTypes(p.views));
    const features = featureOutputs(
      p.requested.features,
      p.requested.fullFeatureNames,
      spine.columns.map((c) => c.name),
    );
    return { ...p, frame, features, columns: [...entityOutputs(frame), ...features] };
  }

  /** The join keys of the requested views, in the order a staged table holds them (`k<i>`). */
  keyTypes(p: PreparedRetrieval): ReturnType<typeof joinKeyTypes> {
    return joinKeyTypes(p.views);
  }

  /** The result in row order, `chunkRows` rows at a time, straight from a server-side cursor. */
  chunks(p: PreparedRetrieval): AsyncGenerator<PitChunk> {
    // The answer's entity columns come from the in-memory frame; an entity query's stay in PostgreSQL.
    if (p.frame.staged) throw new Error('staged entity rows are answered from PostgreSQL (TrainingDatasetService.answerUpload)');
    if (p.frame.query) throw invalid('entities_from is read inside PostgreSQL: save it as a training dataset and download its rows', [{ field: 'entities_from', reason: 'only for training datasets' }]);
    const plan = (temp: string, inline?: InlineEntities): PitSql => planSql(temp, p.frame.keys, p.features, p.views, p.catalog, inline);
    const all = { [Symbol.iterator]: () => rowIndexes(p.frame.rowCount) };
    if (this.inline) return runSlice(this.pool, p.frame, plan, all, p.features.length, { chunkRows: this.chunkRows, inline: true });
    if (p.frame.rowCount >= this.parallelThreshold && this.parallelism > 1 && hasSpareConnections(this.pool, this.parallelism)) {
      return runParallel(this.pool, p.frame, plan, p.features.length, this.chunkRows, this.parallelism);
    }
    return runSlice(this.pool, p.frame, plan, all, p.features.length, { chunkRows: this.chunkRows });
  }

  /** The whole result as JSON columns (for requests small enough to hold in memory). */
  async toColumns(p: PreparedRetrieval): Promise<PitColumns> {
    const columns: Record<string, unknown[]> = {};
    for (const c of p.columns) columns[c.name] = [];
    for await (const chunk of this.chunks(p)) {
      let fi = 0;
      for (const c of p.columns) {
        const slice = jsonColumnSlice(c, c.kind === 'feature' ? fi++ : -1, p.frame, chunk);
        const target = columns[c.name];
        for (const v of slice) target.push(v);
      }
    }
    return { columns };
  }

  /** Validates and runs a request, answering JSON columns. */
  async retrieve(request: PitRequest): Promise<PitColumns> {
    return this.toColumns(await this.prepare(request));
  }

  /**
   * Runs the retrieval inside the caller's open transaction on `client` without fetching anything:
   * loads the entity rows, then hands the SQL to `consume` (e.g. CREATE TABLE ... AS), so a large
   * result never travels through Node. Single connection: temp tables cannot be shared or parallel.
   */
  async runInto<T>(p: PreparedRetrieval, client: PoolClient, consume: (sql: PitInPlace) => Promise<T>): Promise<T> {
    let entityTable = '';
    const sql = await loadEntityTable(
      client,
      p.frame,
      (temp) => {
        entityTable = temp;
        return planSql(temp, p.frame.keys, p.features, p.views, p.catalog);
      },
      rowIndexes(p.frame.rowCount),
    );
    return consume({ select: sql.select, entityTable, keys: p.frame.keys.map((k, i) => ({ name: k.name, column: `k${i}` })) });
  }

  /** The result as an Arrow IPC stream, one record batch per chunk; memory stays at about one chunk. */
  arrow(p: PreparedRetrieval): AsyncGenerator<Uint8Array> {
    const layout = new PitArrowLayout(p.columns, p.frame);
    const chunks = this.chunks(p);
    return arrowIpcStream(
      layout.schema,
      (async function* () {
        for await (const chunk of chunks) yield layout.batch(chunk);
      })(),
    );
  }
}

/**
 * Split only when the pool can hand out the connections now: under load, requests holding one
 * connection each while waiting for more would starve each other until the pool's connect timeout.
 */
function hasSpareConnections(pool: PgPool, n: number): boolean {
  const p = pool as Partial<Pick<Pool, 'totalCount' | 'idleCount' | 'waitingCount'>> & { options?: { max?: number } };
  if (p.totalCount === undefined || p.idleCount === undefined || p.options?.max === undefined) return true;
  return (p.waitingCount ?? 0) === 0 && p.options.max - p.totalCount + p.idleCount >= n;
}

/** The entity columns of the output, in input order, with their role. */
function entityOutputs(frame: EntityFrame): OutputColumn[] {
  return frame.columns.map((c) =>
    c.role === 'key'
      ? { kind: 'key', name: c.name, type: frame.keys.find((k) => k.name === c.name)!.type }
      : c.role === 'timestamp'
        ? { kind: 'timestamp', name: EVENT_TIMESTAMP }
        : { kind: 'extra', name: c.name },
  );
}

function* rowIndexes(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}
