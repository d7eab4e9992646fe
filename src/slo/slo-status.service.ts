import { Injectable } from '@nestjs/common';
import { CatalogFactsQuery } from '../catalog/query/catalog-facts.query';
import { TesseraConfig } from '../config/tessera-config';
import { EvaluationRow, SloMeasurementsRepository } from './slo-measurements.repository';
import { ErrorBudget, timeBudget } from './slo-status';

/**
 * Evaluations another module keeps in its own tables but that read as SLO states (model drift:
 * product `model:<name>`, port = version). Registered with SloStatusService.addSource, so the SLO
 * module does not depend on (or read the tables of) the modules that extend it.
 */
export interface SloStateSource {
  /** The latest evaluation of each of its SLOs, optionally only those of one product id. */
  latest(productId?: string): Promise<EvaluationRow[]>;
  /** Evaluations of one SLO since `since`, oldest first, plus the last one before it. */
  history(key: { productId: string; port: string; slo: string; scope: string }, since: Date): Promise<EvaluationRow[]>;
}

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
  private readonly sources: SloStateSource[] = [];

  constructor(
    private readonly catalog: CatalogFactsQuery,
    private readonly repo: SloMeasurementsRepository,
    private readonly config: TesseraConfig,
  ) {}

  /** Adds another module's evaluations to what sloStatus and meshSloStatus answer. */
  addSource(source: SloStateSource): void {
    this.sources.push(source);
  }

  /**
   * The last evaluation of a product's SLOs; empty until the schedule or `evaluateSlos` evaluated it.
   * A read: it never evaluates, records or alerts.
   */
  async forProduct(productId: string, now: Date = new Date()): Promise<SloState[]> {
    const latest = await this.latest(productId);
    return Promise.all(latest.map(([e, source]) => this.state(e, source, now)));
  }

  async mesh(now: Date = new Date()): Promise<ProductSloSummary[]> {
    const latest = await this.latest();
    const products = await this.catalog.products();
    const states = await Promise.all(latest.map(([e, source]) => this.state(e, source, now)));
    const byProduct = new Map<string, SloState[]>();
    for (const s of states) byProduct.set(s.productId, [...(byProduct.get(s.productId) ?? []), s]);
    return [...byProduct].map(([productId, slos]) => ({
      productId,
      domain: products.get(productId)?.domain ?? '',
      met: slos.filter((s) => s.status === 'met').length,
      atRisk: slos.filter((s) => s.status === 'at_risk').length,
      breached: slos.filter((s) => s.status === 'breached').length,
      slos,
    }));
  }

  /** Latest evaluations, each with the source its history comes from, in the SLO tables' order (product, port, SLO, scope). */
  private async latest(productId?: string): Promise<[EvaluationRow, SloStateSource][]> {
    const own = (await this.repo.latest(productId)).map((e): [EvaluationRow, SloStateSource] => [e, this.repo]);
    const added: [EvaluationRow, SloStateSource][] = [];
    for (const source of this.sources) for (const e of await source.latest(productId)) added.push([e, source]);
    if (added.length === 0) return own;
    const merged = [...own, ...added].map(([e, source]) => ({ ...e, source }));
    return (await this.repo.inEvaluationOrder(merged)).map(({ source, ...e }) => [e, source]);
  }

  private async state(e: EvaluationRow, source: SloStateSource, now: Date): Promise<SloState> {
    const windowStart = new Date(now.getTime() - this.config.sloWindowMs);
    const history = await source.history(e, windowStart);
    const errorBudget: ErrorBudget = e.slo === 'availability' ? availabilityBudget(e) : timeBudget(history, windowStart, now);
    return {
      ...e,
      declared: String(e.evidence.declared ?? ''),
      errorBudget,
      history: history
        .slice(-HISTORY)
        .reverse()
        .map((h) => ({ evaluatedAt: h.evaluatedAt, status: h.status, measured: h.measured })),
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
