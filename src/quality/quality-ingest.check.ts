import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IngestCheck, IngestCheckRun, IngestChecks } from '../features/ingest/ingest-checks';
import type { OfflineTableEntity } from '../features/offline/offline-table.entity';
import { QualityError, QualityErrorCode } from './quality-error';
import { QualityEvaluator, RuleResult } from './quality-evaluator';
import { outcomeOf, QualityService } from './quality.service';

/** A rule result as the ingest response and its 422 name it. */
function describe(r: RuleResult): Record<string, unknown> {
  return {
    rule: r.path,
    element: r.element,
    ...(r.id ? { id: r.id } : {}),
    ...(r.metric ? { metric: r.metric } : { query: r.query }),
    ...(r.description ? { description: r.description } : {}),
    severity: r.severity,
    status: r.status,
    measured: r.measured,
    expected: r.operator ? { [r.operator]: r.threshold, unit: r.unit } : null,
    message: r.message,
  };
}

/**
 * Runs a table's quality rules inside every ingest transaction, after the rows are inserted and
 * before COMMIT, over the whole table with the new rows (what rowCount and duplicates must see).
 * A failed or unevaluable blocking rule rejects the batch: 422 QUALITY_RULE_FAILED in the ingest
 * error shape (`details.errors[]` with field and reason, plus the rule); other failures are warnings
 * in the response. The run is recorded after the transaction ends, so a rejection leaves it behind.
 */
@Injectable()
export class QualityIngestCheck implements IngestCheck, OnModuleInit {
  constructor(
    private readonly checks: IngestChecks,
    private readonly quality: QualityService,
  ) {}

  onModuleInit(): void {
    this.checks.register(this);
  }

  async prepare(table: OfflineTableEntity): Promise<IngestCheckRun | null> {
    const plan = await this.quality.plan(table);
    if (!plan || plan.rules.length === 0) return null;
    return async (client, inserted) => {
      // Nothing new was stored (every row a re-sent duplicate): the table is as the last run saw it.
      if (inserted === 0) return {};
      const startedAt = new Date();
      const results = await new QualityEvaluator(client, plan.target, this.quality.timeoutMs).evaluate(plan.rules);
      const runId = randomUUID();
      const settle = async (committed: boolean): Promise<void> => {
        await this.quality
          .record(plan, 'ingest', startedAt, results, committed, runId)
          .catch((e: unknown) => this.quality.warn(`cannot record quality run ${runId} of ${table.productId}/${table.port}: ${(e as Error).message}`));
      };
      const bad = results.filter((r) => r.status === 'failed' || r.status === 'error');
      const warnings = bad.filter((r) => !r.blocking).map(describe);
      if (outcomeOf(results) !== 'failed') {
        return { report: { quality: { run: runId, outcome: outcomeOf(results), rules: results.length, warnings } }, settle };
      }
      const blocking = bad.filter((r) => r.blocking);
      const where = `${table.schemaName}.${table.tableName}`;
      const first = blocking[0];
      const reject = new QualityError(
        QualityErrorCode.QUALITY_RULE_FAILED,
        `${blocking.length} blocking data quality rule(s) failed for ${where}, first ${first.path} (${first.metric ?? first.description ?? 'sql'}): ${first.message}; nothing was stored`,
        {
          errors: blocking.map((r) => ({ row: null, field: r.element, reason: r.message, ...describe(r) })),
          total: blocking.length,
          qualityRun: runId,
          warnings,
        },
      );
      return { reject, settle };
    };
  }
}
