import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TesseraConfig } from '../config/tessera-config';
import { SloEvaluator } from './slo-evaluator.service';
import { EvaluationRow, SloMeasurementsRepository, toEvaluation } from './slo-measurements.repository';
import { ErrorBudget, timeBudget } from './slo-status';

/** The current state of one SLO: its latest evaluation, error budget over the window and recent history. */
export interface SloState extends EvaluationRow {
  declared: string;
  errorBudget: ErrorBudget;
  history: Pick<EvaluationRow, 'evaluatedAt' | 'status' | 'measured'>[];
}

export interface ProductSloSummary {
  productId: string;
  domain: string;
  met: number;
  atRisk: number;
  breached: number;
  slos: SloState[];
}

const HISTORY = 20;

/** Read side of SLOs: what `sloStatus` and the mesh view answer. */
@Injectable()
export class SloStatusService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: SloMeasurementsRepository,
    private readonly evaluator: SloEvaluator,
    private readonly config: TesseraConfig,
  ) {}

  /** A product never evaluated yet is evaluated now, so the first look shows real figures. */
  async forProduct(productId: string, now: Date = new Date()): Promise<SloState[]> {
    let latest = await this.latest(productId);
    if (latest.length === 0) {
      await this.evaluator.evaluate(productId, now);
      latest = await this.latest(productId);
    }
    return Promise.all(latest.map((e) => this.state(e, now)));
  }

  async mesh(now: Date = new Date()): Promise<ProductSloSummary[]> {
    const latest = await this.latest();
    const domains = new Map((await this.ds.query<{ id: string; domain: string }[]>(`SELECT id, domain FROM tessera.data_products`)).map((r) => [r.id, r.domain]));
    const states = await Promise.all(latest.map((e) => this.state(e, now)));
    const byProduct = new Map<string, SloState[]>();
    for (const s of states) byProduct.set(s.productId, [...(byProduct.get(s.productId) ?? []), s]);
    return [...byProduct].map(([productId, slos]) => ({
      productId,
      domain: domains.get(productId) ?? '',
      met: slos.filter((s) => s.status === 'met').length,
      atRisk: slos.filter((s) => s.status === 'at_risk').length,
      breached: slos.filter((s) => s.status === 'breached').length,
      slos,
    }));
  }

  private async latest(productId?: string): Promise<EvaluationRow[]> {
    const rows = await this.ds.query<Record<string, unknown>[]>(
      `SELECT DISTINCT ON (product_id, port, slo, scope) *
       FROM tessera.slo_evaluations WHERE $1::text IS NULL OR product_id = $1
       ORDER BY product_id, port, slo, scope, evaluated_at DESC, id DESC`,
      [productId ?? null],
    );
    return rows.map(toEvaluation);
  }

  private async state(e: EvaluationRow, now: Date): Promise<SloState> {
    const windowStart = new Date(now.getTime() - this.config.sloWindowMs);
    const history = await this.repo.history(e, windowStart);
    const errorBudget: ErrorBudget =
      e.slo === 'availability'
        ? availabilityBudget(e)
        : timeBudget(history, windowStart, now);
    return {
      ...e,
      declared: String(e.evidence.declared ?? ''),
      errorBudget,
      history: history.slice(-HISTORY).reverse().map((h) => ({ evaluatedAt: h.evaluatedAt, status: h.status, measured: h.measured })),
    };
  }
}

/** Request-based: (1 - target) of the window's reads may fail. */
function availabilityBudget(e: EvaluationRow): ErrorBudget {
  const ok = Number(e.evidence.ok ?? 0);
  const failed = Number(e.evidence.failed ?? 0);
  const total = (1 - e.target / 100) * (ok + failed);
  return { kind: 'requests', total, consumed: failed, remaining: total > 0 ? 1 - failed / total : failed > 0 ? -1 : 1 };
}
