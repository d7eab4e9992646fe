import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { TesseraConfig } from '../config/tessera-config';
import { ModelTrafficQuery } from '../scoring/query/model-traffic.query';
import { SloAlerts } from '../slo/slo-alerts';
import { SloRuntime } from '../slo/slo-runtime';
import { SloStatusService } from '../slo/slo-status.service';
import { DriftEvaluation, DriftRepository } from './drift.repository';
import { DriftReport, DriftService } from './drift.service';
import { DriftSloSource } from './drift-slo-source';

/**
 * On every scheduled SLO tick: the drift of each live model version over the last drift window,
 * stored in drift's own table (scope = feature or `output:<name>`), with the breach alert (once per
 * episode) through the SLO alert outbox. sloStatus and meshSloStatus show the checks as SLO states
 * of `model:<name>` (port = version, slo `drift`) through DriftSloSource.
 */
@Injectable()
export class DriftMonitor implements OnApplicationBootstrap {
  private readonly logger = new Logger('DriftMonitor');

  constructor(
    private readonly drift: DriftService,
    private readonly repo: DriftRepository,
    private readonly traffic: ModelTrafficQuery,
    private readonly alerts: SloAlerts,
    private readonly runtime: SloRuntime,
    private readonly status: SloStatusService,
    private readonly config: TesseraConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.status.addSource(new DriftSloSource(this.repo));
    this.runtime.onTick(async (at) => {
      await this.checkAll(at);
      // Kept as long as SLO evaluations: two windows.
      await this.repo.prune(new Date(Date.now() - 2 * this.config.sloWindowMs));
    });
  }

  /** Every live version; a version without a usable training dataset is skipped (logged at debug level). */
  async checkAll(now: Date = new Date()): Promise<DriftReport[]> {
    const reports: DriftReport[] = [];
    for (const { model, version } of await this.traffic.liveVersions()) {
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
    const rows: DriftEvaluation[] = [
      ...report.features.map((f) => ({ scope: f.feature, psi: f.psi, drifted: f.drifted, extra: { trainingMissingRate: f.trainingMissingRate, servingMissingRate: f.servingMissingRate } })),
      ...report.predictions.map((p) => ({ scope: `output:${p.output}`, psi: p.psi, drifted: p.drifted, extra: {} })),
    ]
      .filter((r) => r.psi !== null)
      .map((r) => ({
        model,
        version: report.version,
        scope: r.scope,
        evaluatedAt: now,
        status: r.drifted ? 'breached' : 'met',
        psi: r.psi,
        threshold: report.threshold,
        evidence: { declared: `PSI ≤ ${report.threshold}`, trainingDataset: report.trainingDataset, servingRows: report.servingRows, ...r.extra },
      }));
    for (const r of rows.filter((x) => x.status === 'breached')) {
      const [previous] = await this.repo.history({ model, version: r.version, scope: r.scope }, now);
      if (previous?.status === 'breached') continue;
      // The payload webhooks have always received for drift: the model as product `model:<name>`, the version as port.
      await this.alerts.raise(
        {
          kind: 'slo.breach',
          productId: `model:${model}`,
          domain: '',
          port: report.version,
          contract: { id: report.trainingDataset, version: report.version },
          slo: 'drift',
          scope: r.scope,
          declared: String(r.evidence.declared),
          target: r.threshold,
          unit: 'psi',
          measured: r.psi,
          breachStartedAt: now.toISOString(),
          evidence: r.evidence,
        },
        previous ? previous.evaluatedAt.toISOString() : 'first-evaluation',
      );
    }
    await this.repo.insert(rows);
    return report;
  }
}
