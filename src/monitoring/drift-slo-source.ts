import type { EvaluationRow } from '../slo/slo-measurements.repository';
import type { SloStateSource } from '../slo/slo-status.service';
import type { DriftEvaluation, DriftRepository } from './drift.repository';

/** Drift checks appear in sloStatus and meshSloStatus as SLO `drift` of product `model:<name>`, port = version. */
const PREFIX = 'model:';

function asSloEvaluation(d: DriftEvaluation): EvaluationRow {
  return {
    productId: `${PREFIX}${d.model}`,
    port: d.version,
    slo: 'drift',
    scope: d.scope,
    evaluatedAt: d.evaluatedAt,
    status: d.status,
    measured: d.psi,
    target: d.threshold,
    unit: 'psi',
    evidence: d.evidence,
  };
}

/** Drift's own table, read as SLO states (the answers sloStatus gave when drift was stored as SLOs). */
export class DriftSloSource implements SloStateSource {
  constructor(private readonly repo: DriftRepository) {}

  async latest(productId?: string): Promise<EvaluationRow[]> {
    if (productId !== undefined && !productId.startsWith(PREFIX)) return [];
    return (await this.repo.latest(productId?.slice(PREFIX.length))).map(asSloEvaluation);
  }

  async history(key: { productId: string; port: string; slo: string; scope: string }, since: Date): Promise<EvaluationRow[]> {
    if (key.slo !== 'drift' || !key.productId.startsWith(PREFIX)) return [];
    return (await this.repo.history({ model: key.productId.slice(PREFIX.length), version: key.port, scope: key.scope }, since)).map(asSloEvaluation);
  }
}
