import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { RecordBatch, Schema } from 'apache-arrow';
import { to as copyTo } from 'pg-copy-streams';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { quoteIdent } from '../offline/offline-naming';
import { ReadRouter } from '../../common/database/read-router';
import { fetchCursor, PgPool, streamInTransaction } from '../../common/database/pg-cursor';
import { PIT_SESSION } from '../retrieval/pit-slice-runner';
import { pgPoolOf, PointInTimeEngine, PreparedRetrieval } from '../retrieval/point-in-time.engine';
import { binaryExportColumns } from './dataset-binary-columns';
import { binaryCopyBatches } from './pg-binary-batch';
import { DatasetLayout, JoinSteps } from './training-dataset-layout';
import { DATASET_SCHEMA, datasetId, DatasetSourceContract, ROW_COLUMN, TrainingDataset } from './training-dataset';

interface DatasetRow {
  name: string;
  version: number;
  description: string | null;
  table_name: string;
  row_count: string;
  columns: TrainingDataset['columns'];
  feature_refs: string[];
  feature_service: string | null;
  full_feature_names: boolean;
  feature_views: TrainingDataset['featureViews'];
  source_contracts: TrainingDataset['sourceContracts'];
  created_at: Date;
  created_by: string;
}

function toDataset(r: DatasetRow): TrainingDataset {
  return {
    id: datasetId(r.name, r.version),
    name: r.name,
    version: r.version,
    description: r.description,
    table: `${DATASET_SCHEMA}.${quoteIdent(r.table_name)}`,
    rowCount: Number(r.row_count),
    // Rebuilt field by field: jsonb stores object keys in its own order, answers keep the documented one.
    columns: r.columns.map((c) => ({ name: c.name, role: c.role, logicalType: c.logicalType, feature: c.feature })),
    featureRefs: r.feature_refs,
    featureService: r.feature_service,
    fullFeatureNames: r.full_feature_names,
    featureViews: r.feature_views.map((v) => ({ name: v.name, version: v.version, table: v.table, ttlSeconds: v.ttlSeconds })),
    sourceContracts: r.source_contracts.map((c) => ({
      featureView: c.featureView,
      dataProduct: c.dataProduct,
      outputPort: c.outputPort,
      portVersion: c.portVersion,
      contractId: c.contractId,
      contractVersion: c.contractVersion,
    })),
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

/** An answer as Arrow record batches of `batchRows`, or as text rows (JSON), `textRows` per FETCH. */
export type AnswerOutput = { arrow: Schema; batchRows: number } | { textRows: number };

export interface NewDataset {
  name: string;
  description: string | null;
  featureService: string | null;
  fullFeatureNames: boolean;
  createdBy: string;
}

/**
 * tessera.training_datasets (migration 1764338900000) and the row tables in tessera_datasets. A save
 * is one transaction: the table, its metadata and its version number commit together or not at all.
 */
@Injectable()
export class TrainingDatasetRepository {
  private readonly pool: PgPool;

  constructor(
    private readonly ds: DataSource,
    private readonly reads: ReadRouter,
  ) {
    this.pool = pgPoolOf(ds);
  }

  /**
   * Exports are heavy reads: on the read replica once it has replayed everything committed before the
   * export began, so a dataset just saved (on any instance) is there; on the primary otherwise (ADR 0031).
   */
  private async exportPool(): Promise<PgPool> {
    return pgPoolOf((await this.reads.route()).dataSource);
  }

  /**
   * `steps`: join in steps with progress (retrieval jobs). `beforeCommit`: runs in the save's transaction
   * once the version is recorded (a job marks itself succeeded there, so a save and its job's success
   * commit together; throwing rolls the save back).
   */
  async save(
    meta: NewDataset,
    p: PreparedRetrieval,
    layout: DatasetLayout,
    engine: PointInTimeEngine,
    steps?: JoinSteps,
    beforeCommit?: (client: PoolClient, saved: TrainingDataset) => Promise<void>,
  ): Promise<TrainingDataset> {
    const tx = await this.begin();
    try {
      const saved = await this.saveOn(tx.client, meta, p, layout, engine, steps, beforeCommit);
      await tx.end('commit');
      return saved;
    } catch (e) {
      await tx.end('rollback', e);
      throw e;
    }
  }

  /**
   * A connection with an open transaction, for work that spans calls: an entity upload is COPYed into
   * a temp table of it as it arrives, then saved or answered on it. `end` commits or rolls back and
   * releases; after a failure the connection is closed rather than reused (it may be mid-COPY).
   */
  async begin(): Promise<{ client: PoolClient; end(how: 'commit' | 'rollback', failure?: unknown): Promise<void> }> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
    } catch (e) {
      client.release(e instanceof Error ? e : new Error(String(e)));
      throw e;
    }
    let ended = false;
    return {
      client,
      end: async (how, failure) => {
        if (ended) return;
        ended = true;
        if (failure !== undefined) {
          client.release(failure instanceof Error ? failure : new Error(String(failure)));
          return;
        }
        try {
          await client.query(how === 'commit' ? 'COMMIT' : 'ROLLBACK');
          client.release();
        } catch (e) {
          client.release(e instanceof Error ? e : new Error(String(e)));
          throw e;
        }
      },
    };
  }

  /** A save inside the client's open transaction (see save); the caller commits. */
  async saveOn(
    client: PoolClient,
    meta: NewDataset,
    p: PreparedRetrieval,
    layout: DatasetLayout,
    engine: PointInTimeEngine,
    steps?: JoinSteps,
    beforeCommit?: (client: PoolClient, saved: TrainingDataset) => Promise<void>,
  ): Promise<TrainingDataset> {
    const building = `_building_${randomBytes(8).toString('hex')}`;
    const rowCount = await layout.createTable(engine, client, `${DATASET_SCHEMA}.${quoteIdent(building)}`, steps);
    // The version is numbered only now, under a per-name lock held to commit: concurrent saves of one
    // name run their retrievals side by side, and only the numbering waits.
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`tessera.training_datasets:${meta.name}`]);
    const { rows } = await client.query<{ next: number }>('SELECT coalesce(max(version), 0) + 1 AS next FROM tessera.training_datasets WHERE name = $1', [meta.name]);
    const version = rows[0].next;
    const table = datasetId(meta.name, version);
    await client.query(`ALTER TABLE ${DATASET_SCHEMA}.${quoteIdent(building)} RENAME TO ${quoteIdent(table)}`);
    const views = p.views.map((v) => ({ name: v.name, version: v.version, table: `${v.table.schema}.${v.table.name}`, ttlSeconds: v.ttlSeconds }));
    const sources = await this.sourceContracts(client, p);
    const inserted = await client.query<DatasetRow>(
      `INSERT INTO tessera.training_datasets
           (name, version, description, table_name, row_count, columns, feature_refs, feature_service, full_feature_names, feature_views, source_contracts, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
      [
        meta.name,
        version,
        meta.description,
        table,
        rowCount,
        JSON.stringify(layout.columns),
        p.features.map((f) => `${f.view}:${f.feature}`),
        meta.featureService,
        meta.fullFeatureNames,
        JSON.stringify(views),
        JSON.stringify(sources),
        meta.createdBy,
      ],
    );
    const saved = toDataset(inserted.rows[0]);
    await beforeCommit?.(client, saved);
    return saved;
  }

  /** Contract id and version of each view's source port, as its offline table was last migrated to. */
  private async sourceContracts(client: PoolClient, p: PreparedRetrieval): Promise<DatasetSourceContract[]> {
    const { rows } = await client.query<{ schema_name: string; table_name: string; product_id: string; port: string; port_version: string; contract_id: string; contract_version: string }>(
      `SELECT schema_name, table_name, product_id, port, port_version, contract_id, contract_version
         FROM tessera.offline_tables WHERE (schema_name, table_name) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [p.views.map((v) => v.table.schema), p.views.map((v) => v.table.name)],
    );
    return p.views.flatMap((v) => {
      const r = rows.find((x) => x.schema_name === v.table.schema && x.table_name === v.table.name);
      return r ? [{ featureView: v.name, dataProduct: r.product_id, outputPort: r.port, portVersion: r.port_version, contractId: r.contract_id, contractVersion: r.contract_version }] : [];
    });
  }

  /** Versions of one name (newest first), or of every name; `limit` rows at most. */
  async list(name: string | undefined, limit: number): Promise<TrainingDataset[]> {
    const rows: DatasetRow[] =
      name === undefined
        ? await this.ds.query('SELECT * FROM tessera.training_datasets ORDER BY name, version DESC LIMIT $1', [limit])
        : await this.ds.query('SELECT * FROM tessera.training_datasets WHERE name = $1 ORDER BY version DESC LIMIT $2', [name, limit]);
    return rows.map(toDataset);
  }

  /** One version, or the newest when `version` is `latest`. */
  async find(name: string, version: number | 'latest'): Promise<TrainingDataset | null> {
    const rows: DatasetRow[] =
      version === 'latest'
        ? await this.ds.query('SELECT * FROM tessera.training_datasets WHERE name = $1 ORDER BY version DESC LIMIT 1', [name])
        : await this.ds.query('SELECT * FROM tessera.training_datasets WHERE name = $1 AND version = $2', [name, version]);
    return rows[0] ? toDataset(rows[0]) : null;
  }

  /** The first `limit` rows (row order) of some columns, each as a float8 (NULL stays null). */
  async numericColumns(dataset: TrainingDataset, columns: readonly string[], limit: number): Promise<(number | null)[][]> {
    const select = columns.map((c, i) => `${quoteIdent(c)}::float8 AS f${i}`).join(', ');
    const rows = await this.ds.query<Record<string, number | null>[]>(`SELECT ${select} FROM ${dataset.table} ORDER BY ${quoteIdent(ROW_COLUMN)} LIMIT $1`, [limit]);
    return rows.map((r) => columns.map((_, i) => r[`f${i}`]));
  }

  /**
   * Rows [offset, offset + limit) in row order as Arrow record batches of `batchRows`, decoded from a
   * binary COPY (no text round trip: about psql's own speed). Abandoning the generator drops the
   * connection, which ends the COPY on the server.
   */
  async *arrowBatches(dataset: TrainingDataset, schema: Schema, offset: number, limit: number | null, batchRows: number): AsyncGenerator<RecordBatch> {
    const client = await (await this.exportPool()).connect();
    let failure: Error | undefined = new Error('export abandoned before its end');
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(PIT_SESSION);
      yield* copyArrowBatches(client, dataset.table, dataset.columns, schema, offset, limit, batchRows);
      await client.query('COMMIT');
      failure = undefined;
    } catch (e) {
      failure = e instanceof Error ? e : new Error(String(e));
      throw e;
    } finally {
      // A failed or abandoned export leaves the connection mid-COPY: it is closed, not reused.
      client.release(failure);
    }
  }

  /**
   * A retrieval answered without keeping it (an entity query on POST /v1/historical-features): the
   * join written into a temp table of this transaction, as a save would write it, then read back in
   * row order (as Arrow record batches, or as text rows for JSON); the transaction then rolls back.
   * The spine never leaves PostgreSQL except as the answer itself.
   */
  async *answer(p: PreparedRetrieval, layout: DatasetLayout, engine: PointInTimeEngine, out: AnswerOutput): AsyncGenerator<RecordBatch | (string | null)[][]> {
    const tx = await this.begin();
    let failure: unknown = new Error('answer abandoned before its end');
    try {
      yield* this.answerOn(tx.client, p, layout, engine, out);
      failure = undefined;
    } catch (e) {
      failure = e;
      throw e;
    } finally {
      await tx.end('rollback', failure);
    }
  }

  /** The answer (see answer) inside the client's open transaction; the caller rolls it back. */
  async *answerOn(client: PoolClient, p: PreparedRetrieval, layout: DatasetLayout, engine: PointInTimeEngine, out: AnswerOutput): AsyncGenerator<RecordBatch | (string | null)[][]> {
    const table = `pg_temp.${quoteIdent(`answer_${randomBytes(8).toString('hex')}`)}`;
    if ('arrow' in out) {
      // Streamed straight out of the join (binary COPY of the query): the result is never written to a
      // table; an empty one of its shape gives the stored types the binary decoding needs.
      const { body } = await layout.load(engine, client);
      await client.query(`CREATE TEMP TABLE ${table.slice('pg_temp.'.length)} AS ${body} WITH NO DATA`);
      yield* copyArrowBatches(client, table, layout.columns, out.arrow, 0, null, out.batchRows, `(${body})`);
    } else {
      await layout.createTable(engine, client, table);
      const row = quoteIdent(ROW_COLUMN);
      await client.query(`DECLARE answer_cursor NO SCROLL CURSOR FOR SELECT ${layout.columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${table} ORDER BY ${row}`);
      yield* fetchCursor(client, 'answer_cursor', out.textRows);
    }
  }

  /**
   * Rows [offset, offset + limit) in row order, `chunkRows` at a time from a server-side cursor, every
   * value as PostgreSQL text under the retrieval's session settings (so it decodes exactly as the
   * retrieval's answer did). Returning early rolls back, which closes the cursor.
   */
  async *rows(dataset: TrainingDataset, offset: number, limit: number | null, chunkRows: number): AsyncGenerator<(string | null)[][]> {
    yield* streamInTransaction(await this.exportPool(), 'BEGIN READ ONLY', async function* (client) {
      await client.query(PIT_SESSION);
      const row = quoteIdent(ROW_COLUMN);
      const select =
        `SELECT ${dataset.columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${dataset.table} ` + `WHERE ${row} >= ${Math.trunc(offset)} ORDER BY ${row}${limit === null ? '' : ` LIMIT ${Math.trunc(limit)}`}`;
      await client.query(`DECLARE dataset_cursor NO SCROLL CURSOR FOR ${select}`);
      yield* fetchCursor(client, 'dataset_cursor', chunkRows);
    });
  }
}

/**
 * Rows [offset, offset + limit) of `table` in row order as Arrow record batches of `batchRows`, decoded
 * from a binary COPY on the client's open transaction (session settings already set).
 */
async function* copyArrowBatches(
  client: PoolClient,
  table: string,
  columns: TrainingDataset['columns'],
  schema: Schema,
  offset: number,
  limit: number | null,
  batchRows: number,
  /** A query of the table's shape to read instead of the table (the table then only gives the types). */
  from?: string,
): AsyncGenerator<RecordBatch> {
  const stored = await client.query<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
    [table],
  );
  const { select, wires } = binaryExportColumns(columns, new Map(stored.rows.map((r) => [r.name, r.type])));
  const row = quoteIdent(ROW_COLUMN);
  const sql = from
    ? `COPY (SELECT ${select.join(', ')} FROM ${from} a ORDER BY a.${row}) TO STDOUT (FORMAT binary)`
    : `COPY (SELECT ${select.join(', ')} FROM ${table} WHERE ${row} >= ${Math.trunc(offset)} ORDER BY ${row}` + `${limit === null ? '' : ` LIMIT ${Math.trunc(limit)}`}) TO STDOUT (FORMAT binary)`;
  yield* binaryCopyBatches(client.query(copyTo(sql)), schema, wires, batchRows);
}
