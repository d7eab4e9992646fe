import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quoteIdent } from '../offline/offline-naming';
import { ExtraKind, extraKind } from '../retrieval/pit-arrow-batch';
import { invalid, Issue } from '../retrieval/pit-entity-frame';
import type { PointInTimeEngine, PreparedRetrieval } from '../retrieval/point-in-time.engine';
import { DatasetColumn, DatasetColumnType, ROW_COLUMN } from './training-dataset';
import type { FeatureValueType } from '../registry/resolved-feature-view';

/** PostgreSQL truncates longer identifiers silently, which would rename (or merge) columns. */
const MAX_IDENTIFIER_BYTES = 63;

const EXTRA_TYPES: Record<ExtraKind, { logical: DatasetColumnType; sql: string }> = {
  int: { logical: 'integer', sql: 'bigint' },
  float: { logical: 'number', sql: 'double precision' },
  bool: { logical: 'boolean', sql: 'boolean' },
  string: { logical: 'string', sql: 'text' },
  // json, not jsonb: jsonb reorders object keys, and the export must give back the text as sent.
  json: { logical: 'json', sql: 'json' },
};

/**
 * How an extra column of an entity query is stored, from its port column's logical type: temporal
 * values as their ISO text (the session is UTC), objects and arrays as JSON.
 */
const PORT_EXTRA_KINDS: Record<FeatureValueType, ExtraKind> = {
  integer: 'int',
  number: 'float',
  boolean: 'bool',
  string: 'string',
  timestamp: 'string',
  date: 'string',
  time: 'string',
  object: 'json',
  array: 'json',
};

/**
 * A join run in steps of `chunkRows` entity rows (retrieval jobs): `progress` is called before the
 * first and after every step with rows joined and the total; it may throw to stop the job (cancel).
 */
export interface JoinSteps {
  chunkRows: number;
  progress(done: number, total: number): Promise<void>;
}

/** An extra entity column and how it is loaded (its temp column `x<i>`). */
interface ExtraColumn {
  name: string;
  kind: ExtraKind;
}

/**
 * How a retrieval becomes a table: its columns with their roles and logical types (extra columns typed
 * from their values exactly as the Arrow answer types them), checked for what a table cannot hold.
 */
export class DatasetLayout {
  readonly columns: DatasetColumn[];
  private readonly extras: ExtraColumn[] = [];

  constructor(private readonly p: PreparedRetrieval) {
    const issues: Issue[] = [];
    this.columns = p.columns.map((c): DatasetColumn => {
      const field = c.kind === 'feature' ? 'features' : `entities.${c.name}`;
      if (c.name === ROW_COLUMN) issues.push({ field, reason: `${ROW_COLUMN} is the dataset's row number column; rename this column` });
      if (Buffer.byteLength(c.name) > MAX_IDENTIFIER_BYTES) issues.push({ field, reason: `column name ${c.name} is longer than ${MAX_IDENTIFIER_BYTES} bytes` });
      switch (c.kind) {
        case 'key':
          return { name: c.name, role: 'key', logicalType: c.type, feature: null };
        case 'timestamp':
          return { name: c.name, role: 'timestamp', logicalType: 'timestamp', feature: null };
        case 'feature':
          return { name: c.name, role: 'feature', logicalType: c.type, feature: `${c.view}:${c.feature}` };
        case 'extra': {
          const staged = p.frame.staged?.columns.find((x) => x.name === c.name);
          if (staged) {
            // An upload's extra columns are typed by the file's schema and already stored (x<i>, in order).
            this.extras.push({ name: c.name, kind: staged.kind! });
            return { name: c.name, role: 'extra', logicalType: EXTRA_TYPES[staged.kind!].logical, feature: null };
          }
          const fromPort = p.frame.query?.columns.find((x) => x.name === c.name);
          if (fromPort) {
            this.extras.push({ name: c.name, kind: PORT_EXTRA_KINDS[fromPort.logicalType] });
            return { name: c.name, role: 'extra', logicalType: EXTRA_TYPES[PORT_EXTRA_KINDS[fromPort.logicalType]].logical, feature: null };
          }
          const kind = extraKind(p.frame.raw[c.name]);
          const nul = kind === 'string' ? p.frame.raw[c.name].findIndex((v) => typeof v === 'string' && v.includes('\u0000')) : -1;
          if (nul >= 0) issues.push({ field: `entities.${c.name}[${nul}]`, reason: `row ${nul}: strings cannot contain NUL characters` });
          this.extras.push({ name: c.name, kind });
          return { name: c.name, role: 'extra', logicalType: EXTRA_TYPES[kind].logical, feature: null };
        }
      }
    });
    if (issues.length) throw invalid(`cannot store this retrieval as a table: ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`, issues);
  }

  /**
   * Inside the client's open transaction: runs the retrieval and writes its result into `table`
   * (qualified, quoted) with CREATE TABLE AS (or, with `steps`, INSERTs of `_row` ranges), entity
   * columns joined back from the engine's temp table and extra columns from one of ours. Returns the row count.
   */
  async createTable(engine: PointInTimeEngine, client: PoolClient, table: string, steps?: JoinSteps): Promise<number> {
    const { body, entityTable } = await this.load(engine, client);
    let rowCount: number;
    if (!steps) {
      rowCount = (await client.query(`CREATE TABLE ${table} AS ${body} ORDER BY q._row`)).rowCount ?? 0;
    } else {
      // In `_row` ranges: the range predicate reaches the entity table's primary key through the
      // subquery (no LIMIT in it), so each step joins only its own rows; progress is reported between.
      await client.query(`CREATE TABLE ${table} AS ${body} WITH NO DATA`);
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(entityTable)}`);
      const total = Number(rows[0].n);
      rowCount = 0;
      await steps.progress(0, total);
      for (let from = 0; from < total; from += steps.chunkRows) {
        const res = await client.query(`INSERT INTO ${table} ${body} WHERE q._row >= ${from} AND q._row < ${from + steps.chunkRows} ORDER BY q._row`);
        rowCount += res.rowCount ?? 0;
        await steps.progress(rowCount, total);
      }
    }
    await client.query(`ALTER TABLE ${table} ADD PRIMARY KEY (${quoteIdent(ROW_COLUMN)})`);
    return rowCount;
  }

  /**
   * Inside the client's open transaction: loads the entity rows (and extra columns) and answers the
   * retrieval as one SELECT (`body`: ROW_COLUMN then every column under its name, in no order; add
   * `ORDER BY q._row`) over the temp tables of this transaction, for createTable or for a caller that
   * streams it out without writing it anywhere (TrainingDatasetRepository.answerOn).
   */
  async load(engine: PointInTimeEngine, client: PoolClient): Promise<{ body: string; entityTable: string }> {
    // An entity query's extra columns are in its spine table (made by the engine, named by column).
    const spine = this.p.frame.query;
    const staged = this.p.frame.staged;
    const extrasTable = spine
      ? quoteIdent(spine.spineTable)
      : staged
        ? staged.schema === null
          ? quoteIdent(staged.table)
          : `${quoteIdent(staged.schema)}.${quoteIdent(staged.table)}`
        : this.extras.length
          ? quoteIdent(await this.loadExtras(client))
          : null;
    return engine.runInto(this.p, client, async ({ select, entityTable, keys }) => {
      let fi = 0;
      let xi = 0;
      const extraSource = (name: string, i: number): string => {
        if (!spine) return `x.x${i}`;
        const kind = this.extras.find((x) => x.name === name)!.kind;
        const column = `x.${quoteIdent(name)}`;
        // Cast to the stored type the export codec reads (an int4 or numeric port column included).
        return kind === 'json' ? `to_json(${column})` : `${column}::${EXTRA_TYPES[kind].sql}`;
      };
      const outputs = this.p.columns.map((c) => {
        const source = c.kind === 'key' ? `e.${keys.find((k) => k.name === c.name)!.column}` : c.kind === 'timestamp' ? 'e._ts' : c.kind === 'extra' ? extraSource(c.name, xi++) : `q.f${fi++}`;
        return `${source} AS ${quoteIdent(c.name)}`;
      });
      // The entity query's spine table is always joined (its extras are named by column); others only with extras.
      const extrasJoin = extrasTable && (spine || this.extras.length > 0) ? ` JOIN ${extrasTable} x ON x._row = q._row` : '';
      const body = `SELECT q._row AS ${quoteIdent(ROW_COLUMN)}, ${outputs.join(', ')} FROM (${select}) q JOIN ${quoteIdent(entityTable)} e ON e._row = q._row${extrasJoin}`;
      return { body, entityTable };
    });
  }

  /** COPYs the extra columns into a temp table `(_row, x0..xn)` typed by their kind. */
  private async loadExtras(client: ClientBase): Promise<string> {
    const temp = `ds_extras_${randomBytes(6).toString('hex')}`;
    const defs = this.extras.map((x, i) => `x${i} ${EXTRA_TYPES[x.kind].sql}`).join(', ');
    await client.query(`CREATE TEMP TABLE ${quoteIdent(temp)} (_row bigint PRIMARY KEY, ${defs}) ON COMMIT DROP`);
    const copy = `COPY ${quoteIdent(temp)} (_row, ${this.extras.map((_, i) => `x${i}`).join(', ')}) FROM STDIN`;
    await pipeline(
      Readable.from(
        extraLines(
          this.extras.map((x) => ({ kind: x.kind, values: this.p.frame.raw[x.name] })),
          this.p.frame.rowCount,
        ),
      ),
      client.query(copyFrom(copy)),
    );
    return temp;
  }
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function copyValue(kind: ExtraKind, v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const text = kind === 'bool' ? (v ? 't' : 'f') : kind === 'json' ? JSON.stringify(v) : String(v);
  return text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]);
}

/** COPY text of the extra columns, ~1 MB at a time. */
function* extraLines(columns: { kind: ExtraKind; values: readonly unknown[] }[], rowCount: number): Generator<string> {
  let buf = '';
  for (let i = 0; i < rowCount; i++) {
    let line = String(i);
    for (const c of columns) line += `\t${copyValue(c.kind, c.values[i])}`;
    buf += `${line}\n`;
    if (buf.length >= 1 << 20) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}
