import { Injectable, Optional } from '@nestjs/common';
import { PortEvents } from '../../common/events/port-events';
import { countNulls, portDataset, RunDataset, RunEvents, RunKind } from '../../common/events/run-events';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import { majorOf } from '../offline/offline-columns';
import { tableRefOf } from '../offline/offline-partitioning';
import { OfflineTableEntity } from '../offline/offline-table.entity';
import { OfflineTablesRepository } from '../offline/offline-tables.repository';
import { parseArrow } from './arrow-rows';
import { IngestChecks } from './ingest-checks';
import { MAX_INGEST_ROWS, MAX_REPORTED_ERRORS } from './ingest-limits';
import { OfflineIngestRepository } from './offline-ingest.repository';
import { OutputPortDirectory } from './output-port-directory';
import { IngestRowError, uniqueSets, validateRows } from './row-validator';
import { parseCsv, parseNdjson } from './text-row-parsers';
import type { ValueSource } from './value-checkers';

export interface IngestOptions {
  /** Major version of the port; default: the newest one with a table. */
  major?: number;
  /** How strictly values are typed (see ValueSource); default json. */
  source?: ValueSource;
  /** Report the load as a lineage run of its own (default); false when it is a step of a caller's run. */
  reportRun?: boolean;
}

export interface IngestResult {
  rows: number;
  inserted: number;
  duplicates: number;
  /** `schema.table` the rows went to. */
  table: string;
  /** Reports of ingest checks (e.g. `quality`: the data quality run and its warnings). */
  [check: string]: unknown;
}

/** One stream batch after loading: which input rows were refused and why (the rest are stored or duplicates). */
export interface StreamBatchOutcome {
  table: string;
  inserted: number;
  /** Problems per 0-based input index; rows not listed are stored (or were already). */
  refused: Map<number, IngestRowError[]>;
}

/** Null counts of a load's stored rows, kept beside its result without changing the API answer. */
const NULL_COUNTS = new WeakMap<IngestResult, Record<string, number>>();

export const INGEST_MEDIA_TYPES = ['application/x-ndjson', 'text/csv', 'application/vnd.apache.arrow.stream'] as const;
export type IngestMediaType = (typeof INGEST_MEDIA_TYPES)[number];

/**
 * Validates rows against a table port's contract and loads them into its offline table, all or
 * nothing. Used by the ingest route and, with JSON rows, by Feast's /push.
 */
@Injectable()
export class OfflineIngestService {
  constructor(
    private readonly tables: OfflineTablesRepository,
    private readonly loader: OfflineIngestRepository,
    private readonly directory: OutputPortDirectory,
    private readonly checks: IngestChecks,
    @Optional() private readonly events?: PortEvents,
    @Optional() private readonly runs?: RunEvents,
  ) {}

  async ingestRows(productId: string, port: string, rows: Record<string, unknown>[], opts: IngestOptions = {}): Promise<IngestResult> {
    const table = await this.resolveTable(productId, port, opts.major);
    const work = () => this.ingestInto(table, rows, opts.source ?? 'json');
    return this.loaded(table, 'push', opts.reportRun === false ? await work() : await this.tracked(table, 'push', work));
  }

  /** A raw request body: the port is resolved first, so a wrong URL is a 404 whatever the body. */
  async ingestBody(productId: string, port: string, mediaType: IngestMediaType, body: unknown, opts: { major?: number } = {}): Promise<IngestResult> {
    const table = await this.resolveTable(productId, port, opts.major);
    const size = typeof body === 'string' || Buffer.isBuffer(body) ? body.length : 0;
    if (size === 0) throw new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, 'request body is empty');
    return this.loaded(table, 'ingest', await this.tracked(table, 'ingest', () => this.parsedInto(table, mediaType, body)));
  }

  private parsedInto(table: OfflineTableEntity, mediaType: IngestMediaType, body: unknown): Promise<IngestResult> {
    switch (mediaType) {
      case 'application/x-ndjson':
        return this.ingestInto(table, parseNdjson(String(body)), 'json');
      case 'text/csv':
        return this.ingestInto(table, parseCsv(String(body)), 'csv');
      case 'application/vnd.apache.arrow.stream':
        if (!Buffer.isBuffer(body)) throw new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, 'Arrow body must be binary');
        return this.ingestInto(table, parseArrow(body), 'arrow');
    }
  }

  /**
   * A batch of stream messages: validated exactly like an HTTP upload and loaded with the same
   * idempotency (row hash), but a refused row does not sink the others — it is reported by index so
   * its message goes to the dead-letter subject. A row whose key is stored with other values is
   * refused too, and the rest loaded again.
   */
  async ingestStreamBatch(productId: string, port: string, input: Record<string, unknown>[]): Promise<StreamBatchOutcome> {
    const table = await this.resolveTable(productId, port, undefined);
    const name = `${table.schemaName}.${table.tableName}`;
    const run = this.runs?.start('stream', portDataset(productId, port), [], [this.portOutput(table)]);
    try {
      const outcome = await this.streamBatchInto(table, name, input);
      run?.complete([{ ...this.portOutput(table), rowCount: outcome.inserted }]);
      return outcome;
    } catch (err) {
      run?.fail(err);
      throw err;
    }
  }

  private async streamBatchInto(table: OfflineTableEntity, name: string, input: Record<string, unknown>[]): Promise<StreamBatchOutcome> {
    const checked = validateRows(table.columns, input, 'json', Number.MAX_SAFE_INTEGER);
    const refused = new Map<number, IngestRowError[]>();
    const refuse = (e: IngestRowError) => refused.set(e.row - 1, [...(refused.get(e.row - 1) ?? []), e]);
    checked.errors.forEach(refuse);
    let rows = checked.rows;
    let inserted = 0;
    // Each round refuses at least one row, so this ends; usually one round, two with conflicts.
    while (rows.length > 0) {
      const outcome = await this.loader.load(tableRefOf(table), table.columns, rows, uniqueSets(table.columns), rows.length, await this.checks.prepare(table));
      if ('conflicts' in outcome) {
        outcome.conflicts.forEach(refuse);
        rows = rows.filter((r) => !refused.has(r.row - 1));
        continue;
      }
      inserted = outcome.inserted;
      break;
    }
    this.loaded(table, 'stream', { rows: input.length, inserted, duplicates: input.length - refused.size - inserted, table: name });
    return { table: name, inserted, refused };
  }

  private async ingestInto(table: OfflineTableEntity, input: Record<string, unknown>[], source: ValueSource): Promise<IngestResult> {
    const name = `${table.schemaName}.${table.tableName}`;
    if (input.length > MAX_INGEST_ROWS) throw new FeaturesError(FeaturesErrorCode.TOO_MANY_ROWS, `at most ${MAX_INGEST_ROWS} rows per request; split the upload`);
    const checked = validateRows(table.columns, input, source, MAX_REPORTED_ERRORS);
    if (checked.errorCount > 0) throw rejected(name, checked.errors, checked.errorCount);
    if (checked.rows.length === 0) return { rows: input.length, inserted: 0, duplicates: input.length, table: name };
    const outcome = await this.loader.load(tableRefOf(table), table.columns, checked.rows, uniqueSets(table.columns), MAX_REPORTED_ERRORS, await this.checks.prepare(table));
    if ('conflicts' in outcome) throw rejected(name, outcome.conflicts, outcome.conflictCount);
    const nulls = this.runs?.heard
      ? countNulls(
          table.columns.map((c) => c.name),
          checked.rows,
        )
      : undefined;
    const result: IngestResult = { ...outcome.report, rows: input.length, inserted: outcome.inserted, duplicates: input.length - outcome.inserted, table: name };
    if (nulls) NULL_COUNTS.set(result, nulls);
    return result;
  }

  /** Reports the load as a lineage run (ADR 0034): START before the work, COMPLETE or FAIL after. */
  private async tracked(table: OfflineTableEntity, via: Extract<RunKind, 'ingest' | 'push'>, work: () => Promise<IngestResult>): Promise<IngestResult> {
    const run = this.runs?.start(via, portDataset(table.productId, table.port), [], [this.portOutput(table)]);
    try {
      const result = await work();
      run?.complete([{ ...this.portOutput(table), rowCount: result.inserted, nullCounts: NULL_COUNTS.get(result), checkedRows: result.rows }]);
      return result;
    } catch (err) {
      run?.fail(err);
      throw err;
    }
  }

  private portOutput(table: OfflineTableEntity): RunDataset {
    return {
      name: portDataset(table.productId, table.port),
      source: { name: 'offline store', uri: `postgresql://tessera/${table.schemaName}.${table.tableName}` },
      fields: table.columns.map((c) => ({ name: c.name, type: c.logicalType })),
    };
  }

  /** Tells the SLO context a load happened (frequency is measured from loads). */
  private loaded(table: OfflineTableEntity, via: 'ingest' | 'push' | 'stream', result: IngestResult): IngestResult {
    this.events?.portLoaded({ productId: table.productId, port: table.port, rows: result.rows, inserted: result.inserted, via, at: new Date() });
    return result;
  }

  private async resolveTable(productId: string, port: string, major: number | undefined): Promise<OfflineTableEntity> {
    const majors = await this.tables.majors(productId, port);
    const table = major === undefined ? majors[0] : majors.find((t) => t.major === major);
    if (table) return table;
    throw await this.whyMissing(productId, port, major);
  }

  /** 404 when the catalog has no such port (version), 409 when it exists but stores no rows. */
  private async whyMissing(productId: string, port: string, major: number | undefined): Promise<FeaturesError> {
    const versions = (await this.directory.ports(productId, port)) ?? [];
    const wanted = major === undefined ? versions : versions.filter((v) => safeMajor(v.version) === major);
    const where = `${productId}/${port}${major === undefined ? '' : ` v${major}`}`;
    if (wanted.length === 0) {
      const others = major !== undefined && versions.length > 0 ? ` (it has version ${versions.map((v) => v.version).join(', ')})` : '';
      return new FeaturesError(FeaturesErrorCode.PORT_NOT_FOUND, `output port ${where} not found${others}`);
    }
    const p = wanted[0];
    const why =
      p.type !== 'table' && p.type !== 'featureView'
        ? `it is of type ${p.type ?? '(none)'}; only table and featureView ports store rows`
        : !p.contractId
          ? 'it has no contract, so there are no columns to store'
          : 'its contract has not been turned into a table yet (apply it again)';
    return new FeaturesError(FeaturesErrorCode.OFFLINE_TABLE_MISSING, `output port ${where} has no offline table: ${why}`);
  }
}

function safeMajor(version: string): number | null {
  try {
    return majorOf(version);
  } catch {
    return null;
  }
}

function rejected(table: string, errors: unknown[], total: number): FeaturesError {
  return new FeaturesError(FeaturesErrorCode.INGEST_REJECTED, `${total} problem(s) in the rows for ${table}; nothing was stored`, { errors, total });
}
