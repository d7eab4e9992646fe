import { Injectable, Logger, Optional } from '@nestjs/common';
import { TesseraConfig } from '../config/tessera-config';
import { MetricsService } from '../observability/metrics/metrics.service';
import { SloAlerts } from './slo-alerts';
import { SloDefinition, sloDefinitions } from './slo-definition';
import { MeasuredPort, MeasuredPorts } from './measured-ports';
import { EvaluationRow, SloMeasurementsRepository } from './slo-measurements.repository';
import { judgeAvailability, judgeFrequency, judgeLatency, judgeQuality, judgeRetention, Judgement } from './slo-status';

const STATUS_VALUE = { met: 0, at_risk: 1, breached: 2 } as const;

/**
 * Measures every SLO a table output port's contract declares from real data, stores each evaluation,
 * and raises an alert when an SLO enters a breach (for active products; drafts are measured, not alerted).
 */
@Injectable()
export class SloEvaluator {
  private readonly logger = new Logger('SloEvaluator');

  constructor(
    private readonly repo: SloMeasurementsRepository,
    private readonly sources: MeasuredPorts,
    private readonly alerts: SloAlerts,
    private readonly config: TesseraConfig,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /** Every table port (of one product, or of the mesh). */
  async evaluate(productId?: string, now: Date = new Date()): Promise<EvaluationRow[]> {
    const ports = await this.sources.ports(productId);
    const out: EvaluationRow[] = [];
    for (const port of ports) {
      try {
        out.push(...(await this.evaluatePort(port, now)));
      } catch (err) {
        this.logger.warn(`SLOs of ${port.productId}/${port.port} not evaluated: ${(err as Error).message}`);
      }
    }
    return out;
  }

  async evaluatePorts(select: (p: MeasuredPort) => boolean, now: Date = new Date()): Promise<EvaluationRow[]> {
    const ports = (await this.sources.ports()).filter(select);
    const out: EvaluationRow[] = [];
    for (const port of ports) out.push(...(await this.evaluatePort(port, now)));
    return out;
  }

  private async evaluatePort(port: MeasuredPort, now: Date): Promise<EvaluationRow[]> {
    const { definitions } = sloDefinitions(port.sla);
    const windowStart = new Date(now.getTime() - this.config.sloWindowMs);
    const rows: EvaluationRow[] = [];
    const row = (def: SloDefinition, scope: string, j: Judgement): EvaluationRow => ({
      productId: port.productId,
      port: port.port,
      slo: def.slo,
      scope,
      evaluatedAt: now,
      status: j.status,
      measured: j.measured,
      target: def.target,
      unit: def.unit,
      evidence: { declared: def.declared, ...j.evidence },
    });
    for (const def of definitions) {
      switch (def.slo) {
        case 'latency': {
          const column = timestampColumn(port, def.column);
          if (!column) break;
          const { newest } = await this.sources.eventRange(port, column);
          const age = newest ? (now.getTime() - newest.getTime()) / 1000 : null;
          rows.push(row(def, 'offline', judgeLatency(def, age, { column, newestEventTs: newest?.toISOString() ?? null })));
          const materialized = await this.sources.lastMaterialized(port.onlineViews);
          for (const view of port.onlineViews) {
            const at = materialized.get(view) ?? null;
            const online = at ? (now.getTime() - at.getTime()) / 1000 : null;
            rows.push(row(def, `online:${view}`, judgeLatency(def, online, { view, lastMaterializedAt: at?.toISOString() ?? null })));
          }
          break;
        }
        case 'frequency': {
          const [last] = await this.repo.lastLoads(port.productId, port.port, 1);
          const since = last ? (now.getTime() - last.loadedAt.getTime()) / 1000 : null;
          rows.push(row(def, 'offline', judgeFrequency(def, since, { lastLoadAt: last?.loadedAt.toISOString() ?? null, lastLoadRows: last?.rows ?? null })));
          break;
        }
        case 'availability': {
          const reads = await this.repo.readTotals(`${port.schema}.${port.table}`, windowStart);
          const j = judgeAvailability(def, reads, { windowDays: this.config.sloWindowMs / 86_400_000 });
          rows.push(row(def, 'reads', j));
          break;
        }
        case 'retention': {
          const column = timestampColumn(port, def.column);
          if (!column) break;
          const { oldest } = await this.sources.eventRange(port, column);
          const history = await this.repo.history({ productId: port.productId, port: port.port, slo: 'retention', scope: 'offline' }, windowStart);
          const seen = history
            .map((h) => h.evidence.oldestEventTs)
            .filter((t): t is string => typeof t === 'string')
            .map((t) => new Date(t));
          const earlier = seen.length > 0 ? new Date(Math.min(...seen.map((d) => d.getTime()))) : null;
          rows.push(row(def, 'offline', judgeRetention(def, oldest, earlier, now)));
          break;
        }
        case 'completeness':
          break; // the target of the quality SLO below
      }
    }
    // Every port with quality runs gets a data-quality SLO (ODCS quality rules), declared or not.
    const run = await this.sources.latestQualityRun(port.productId, port.port);
    if (run) {
      const declared = definitions.find((d) => d.slo === 'completeness');
      const def = declared
        ? { ...declared, fromContract: true }
        : { slo: 'completeness' as const, target: 100, unit: 'percent' as const, column: null, declared: 'no blocking quality rule fails', fromContract: false };
      rows.push(row(def, 'quality', judgeQuality(def, run, { qualityRunId: run.id, runFinishedAt: run.finishedAt.toISOString() })));
    }
    await this.alertOnNewBreaches(port, rows, definitions);
    await this.repo.insertEvaluations(rows);
    for (const r of rows) this.metrics?.sloStatus.set({ product: r.productId, port: r.port, slo: `${r.slo}:${r.scope}` }, STATUS_VALUE[r.status]);
    return rows;
  }

  /**
   * A breach is new when the previous evaluation of the same SLO and scope was not a breach. The
   * episode is named by that previous evaluation, which every replica sees alike, so two replicas
   * evaluating at once raise one alert.
   */
  private async alertOnNewBreaches(port: MeasuredPort, rows: EvaluationRow[], defs: SloDefinition[]): Promise<void> {
    if (port.productStatus !== 'active') return;
    for (const r of rows.filter((x) => x.status === 'breached')) {
      const [previous] = await this.repo.history({ productId: r.productId, port: r.port, slo: r.slo, scope: r.scope }, r.evaluatedAt);
      if (previous?.status === 'breached') continue;
      const def = defs.find((d) => d.slo === r.slo);
      await this.alerts.raise(
        {
          kind: 'slo.breach',
          productId: port.productId,
          domain: port.domain,
          port: port.port,
          contract: { id: port.contractId, version: port.contractVersion },
          slo: r.slo,
          scope: r.scope,
          declared: def?.declared ?? String(r.evidence.declared ?? ''),
          target: r.target,
          unit: r.unit,
          measured: r.measured,
          breachStartedAt: r.evaluatedAt.toISOString(),
          evidence: r.evidence,
        },
        previous ? previous.evaluatedAt.toISOString() : 'first-evaluation',
      );
    }
  }
}

/** The contract's element column when the table has it as a timestamp, else a feature view's timestamp field, else the first timestamp column. */
function timestampColumn(port: MeasuredPort, declared: string | null): string | null {
  const isTs = (name: string) => port.columns.some((c) => c.name === name && (c.logicalType === 'timestamp' || c.logicalType === 'date'));
  if (declared && isTs(declared)) return declared;
  const fromView = port.viewTimestampColumns.find(isTs);
  if (fromView) return fromView;
  return port.columns.find((c) => c.logicalType === 'timestamp' || c.logicalType === 'date')?.name ?? null;
}
