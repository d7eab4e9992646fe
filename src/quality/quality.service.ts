import { Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { CatalogError } from '../catalog/catalog-error';
import type { LocatedQualityRule } from '../catalog/contracts/documents/normalized-types';
import { CatalogQueryService } from '../catalog/discovery/catalog-query.service';
import { TesseraConfig } from '../config/tessera-config';
import type { OfflineTableEntity } from '../features/offline/offline-table.entity';
import { OfflineTablesRepository } from '../features/offline/offline-tables.repository';
import { MetricsService } from '../observability/metrics/metrics.service';
import { QualityError, QualityErrorCode } from './quality-error';
import { QualityEvaluator, RuleResult } from './quality-evaluator';
import { QualityOutcome, QualityResultsRepository, QualityRun, QualityTrigger } from './quality-results.repository';
import { PlannedRule, planRules, QualityTarget } from './quality-rule';

/** A table's rules, ready to evaluate. */
export interface QualityPlan {
  table: OfflineTableEntity;
  target: QualityTarget;
  contractId: string;
  contractVersion: string;
  rules: PlannedRule[];
}

/** failed: a blocking rule failed or could not be evaluated; warned: only non-blocking ones did. */
export function outcomeOf(results: readonly RuleResult[]): QualityOutcome {
  const bad = results.filter((r) => r.status === 'failed' || r.status === 'error');
  if (bad.some((r) => r.blocking)) return 'failed';
  return bad.length > 0 ? 'warned' : 'passed';
}

/**
 * Evaluates the ODCS quality rules of output ports against their offline tables and records every
 * run. Ingest runs happen inside the ingest transaction (QualityIngestCheck); scheduled and API runs
 * here, in a read-only transaction of their own.
 */
@Injectable()
export class QualityService {
  private readonly logger = new Logger('QualityService');

  constructor(
    private readonly ds: DataSource,
    private readonly tables: OfflineTablesRepository,
    private readonly catalog: CatalogQueryService,
    private readonly results: QualityResultsRepository,
    private readonly config: TesseraConfig,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  get timeoutMs(): number {
    return this.config.qualityTimeoutMs;
  }

  /** The table's rules from its contract's current version; null when the contract is gone. */
  async plan(table: OfflineTableEntity): Promise<QualityPlan | null> {
    let contract;
    try {
      contract = await this.catalog.contract(table.contractId);
    } catch (e) {
      if (e instanceof CatalogError) return null;
      throw e;
    }
    // The schema object the port publishes, as the offline store picks it (by port name, physical name, else first).
    const object = contract.schema.find((s) => s.name === table.port) ?? contract.schema.find((s) => s.physicalName === table.port) ?? contract.schema[0];
    if (!object) return null;
    const target: QualityTarget = { schema: table.schemaName, table: table.tableName, columns: table.columns, objectName: object.name };
    return { table, target, contractId: contract.id, contractVersion: contract.version, rules: planRules(contract.quality as LocatedQualityRule[], target) };
  }

  /** Runs a port's rules now (newest major unless given) and records the run. */
  async runPort(productId: string, port: string, trigger: QualityTrigger, major?: number): Promise<QualityRun> {
    const majors = await this.tables.majors(productId, port);
    const table = major === undefined ? majors[0] : majors.find((t) => t.major === major);
    if (!table) throw new QualityError(QualityErrorCode.PORT_NOT_FOUND, `output port ${productId}/${port}${major === undefined ? '' : ` v${major}`} has no offline table to check`);
    return this.runTable(table, trigger);
  }

  /** Runs the table's rules (those `select` keeps, when given) and records the run. */
  async runTable(table: OfflineTableEntity, trigger: QualityTrigger, select?: (rule: PlannedRule) => boolean): Promise<QualityRun> {
    const full = await this.plan(table);
    if (!full) throw new QualityError(QualityErrorCode.CONTRACT_NOT_FOUND, `contract ${table.contractId} of ${table.productId}/${table.port} is not in the catalog`);
    return this.runPlan(select ? { ...full, rules: full.rules.filter(select) } : full, trigger);
  }

  /** Runs a plan's rules in a read-only transaction of their own and records the run. */
  async runPlan(plan: QualityPlan, trigger: QualityTrigger): Promise<QualityRun> {
    const startedAt = new Date();
    const client: PoolClient = await (this.ds.driver as unknown as { master: Pool }).master.connect();
    let broken: Error | undefined;
    let results: RuleResult[];
    try {
      await client.query('BEGIN READ ONLY');
      results = await new QualityEvaluator(client, plan.target, this.timeoutMs).evaluate(plan.rules);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch((err: Error) => (broken = err));
      throw e;
    } finally {
      client.release(broken);
    }
    return this.record(plan, trigger, startedAt, results, null);
  }

  /** Stores a run (outside any ingest transaction) and counts its results. */
  async record(plan: QualityPlan, trigger: QualityTrigger, startedAt: Date, results: RuleResult[], ingestAccepted: boolean | null, id: string = randomUUID()): Promise<QualityRun> {
    const { productId, port, major } = plan.table;
    for (const r of results) this.metrics?.qualityRuleResults.inc({ product: productId, port, outcome: r.status });
    return this.results.record({
      id,
      productId,
      port,
      major,
      contractId: plan.contractId,
      contractVersion: plan.contractVersion,
      trigger,
      startedAt,
      finishedAt: new Date(),
      outcome: outcomeOf(results),
      ingestAccepted,
      results,
    });
  }

  /** Every port major with an offline table. */
  allTables(): Promise<OfflineTableEntity[]> {
    return this.tables.all();
  }

  warn(message: string): void {
    this.logger.warn(message);
  }
}
