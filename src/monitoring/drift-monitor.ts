import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { TesseraConfig } from '../config/tessera-config';
import { SloAlerts } from '../slo/slo-alerts';
import { EvaluationRow, SloMeasurementsRepository } from '../slo/slo-measurements.repository';
import { SloRuntime } from '../slo/slo-runtime';
import { DriftRepository } from './drift.repository';
import { DriftReport, DriftService } from './drift.service';

/**
 * On every scheduled SLO tick: the drift of each live model version over the last drift window,
 * stored like an SLO evaluation (product `model:<name>`, port = version, slo `drift`, scope = feature
 * or `output:<name>`), so history and the breach alert (once per episode, through the same outbox)
 * come for free.
 */
@Injectable()
export class DriftMonitor implements OnApplicationBootstrap {
  private readonly logger = new Logger('DriftMonitor');

  constructor(
    private readonly drift: DriftService,
    private readonly repo: DriftRepository,
    private readonly evaluations: SloMeasurementsRepository,
    private readonly alerts: SloAlerts,
    private readonly runtime: SloRuntime,
    private readonly config: TesseraConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.runtime.onTick(async (at) => {
      await this.checkAll(at);
    });
  }

  /** Every live version; a version without a usable training dataset is skipped (logged at debug level). */
  async checkAll(now: Date = new Date()): Promise<DriftReport[]> {
    const reports: DriftReport[] = [];
    for (const { model, version } of await this.repo.liveVersions()) {
      try {
        reports.push(await this.check(model, version, now));
      } catch (err) {
        this.logger.debug(`drift of ${model} ${version} not checked: ${(err as Error).message}`);
      }
    }
    return reports;
  }

  async check(model: string, version: string, now: Date = new Date()): Promise<DriftReport> {
    const report = await this.drift.report(model, version, new Date(now.getTime() - this.config.driftWindowMs), now);
    const key = { productId: `model:${model}`, port: report.version, slo: 'drift' };
    const rows: EvaluationRow[] = [
      ...report.features.map((f) => ({ scope: f.feature, psi: f.psi, drifted: f.drifted, extra: { trainingMissingRate: f.trainingMissingRate, servingMissingRate: f.servingMissingRate } })),
      ...report.predictions.map((p) => ({ scope: `output:${p.output}`, psi: p.psi, drifted: p.drifted, extra: {} })),
    ]
      .filter((r) => r.psi !== null)
      .map((r) => ({
        ...key,
        scope: r.scope,
        evaluatedAt: now,
        status: r.drifted ? 'breached' : 'met',
        measured: r.psi,
        target: report.threshold,
        unit: 'psi',
        evidence: { declared: `PSI ≤ ${report.threshold}`, trainingDataset: report.trainingDataset, servingRows: report.servingRows, ...r.extra },
      }));
    for (const r of rows.filter((x) => x.status === 'breached')) {
      const [previous] = await this.evaluations.history({ ...key, scope: r.scope }, now);
      if (previous?.status === 'breached') continue;
      await this.alerts.raise(
        {
          kind: 'slo.breach',
          productId: key.productId,
          domain: '',
          port: report.version,
          contract: { id: report.trainingDataset, version: report.version },
          slo: 'drift',
          scope: r.scope,
          declared: String(r.evidence.declared),
          target: r.target,
          unit: 'psi',
          measured: r.measured,
          breachStartedAt: now.toISOString(),
          evidence: r.evidence,
        },
        previous ? previous.evaluatedAt.toISOString() : 'first-evaluation',
      );
    }
    await this.evaluations.insertEvaluations(rows);
    return report;
  }
}
