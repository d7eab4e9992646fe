import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { readProductSnapshots } from '../../catalog/apply/product-snapshot';
import { PoliciesError, PoliciesErrorCode } from './policies-error';
import { evaluateProduct, isCompliant, PolicyResult } from './policy-evaluator';
import { PolicyRepository } from './policy.repository';

export interface ProductCompliance {
  productId: string;
  domain: string;
  status: string;
  compliant: boolean;
  evaluatedAt: Date;
  results: PolicyResult[];
}

export interface PolicyScore {
  policyId: string;
  name: string;
  severity: string;
  evaluated: number;
  passed: number;
  failed: number;
  errored: number;
  /** passed / evaluated × 100, one decimal; 100 when nothing was evaluated. */
  passRate: number;
}

export interface DomainScore {
  domain: string;
  products: number;
  compliantProducts: number;
  complianceRate: number;
  policies: PolicyScore[];
}

export interface Scorecard {
  evaluatedAt: Date;
  activePolicies: number;
  products: number;
  compliantProducts: number;
  complianceRate: number;
  policies: PolicyScore[];
  domains: DomainScore[];
}

const rate = (part: number, whole: number): number => (whole === 0 ? 100 : Math.round((part / whole) * 1000) / 10);

/** Computational governance read side: active policies over the stored catalog, evaluated on request. */
@Injectable()
export class ComplianceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: PolicyRepository,
  ) {}

  async compliance(productId: string): Promise<ProductCompliance> {
    const [snapshot] = await readProductSnapshots(this.dataSource.manager, [productId]);
    if (!snapshot) throw new PoliciesError(PoliciesErrorCode.PRODUCT_NOT_FOUND, `data product ${productId} not found`);
    const results = evaluateProduct(snapshot, await this.repo.list('active'));
    return { productId, domain: snapshot.product.domain, status: snapshot.product.status, compliant: isCompliant(results), evaluatedAt: new Date(), results };
  }

  /** Every product (retired ones excluded) against every active policy, per domain and per policy. */
  async scorecard(): Promise<Scorecard> {
    const policies = await this.repo.list('active');
    const snapshots = (await readProductSnapshots(this.dataSource.manager)).filter((s) => s.product.status !== 'retired');
    const evaluated = snapshots.map((s) => ({ domain: s.product.domain, results: evaluateProduct(s, policies) }));
    const score = (rows: typeof evaluated): PolicyScore[] =>
      policies.map((p) => {
        const rs = rows.map((e) => e.results.find((r) => r.policyId === p.id)!);
        const passed = rs.filter((r) => r.outcome === 'pass').length;
        return {
          policyId: p.id,
          name: p.name,
          severity: p.policy.severity,
          evaluated: rs.length,
          passed,
          failed: rs.filter((r) => r.outcome === 'fail').length,
          errored: rs.filter((r) => r.outcome === 'error').length,
          passRate: rate(passed, rs.length),
        };
      });
    const domains = [...new Set(evaluated.map((e) => e.domain))].sort().map((domain) => {
      const rows = evaluated.filter((e) => e.domain === domain);
      const compliant = rows.filter((e) => isCompliant(e.results)).length;
      return { domain, products: rows.length, compliantProducts: compliant, complianceRate: rate(compliant, rows.length), policies: score(rows) };
    });
    const compliant = evaluated.filter((e) => isCompliant(e.results)).length;
    return {
      evaluatedAt: new Date(),
      activePolicies: policies.length,
      products: evaluated.length,
      compliantProducts: compliant,
      complianceRate: rate(compliant, evaluated.length),
      policies: score(evaluated),
      domains,
    };
  }
}
