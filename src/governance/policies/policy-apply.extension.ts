import type { ApplyContext, ApplyExtension } from '../../catalog/apply/apply-extensions';
import type { ApplyChange } from '../../catalog/apply/apply-report';
import { productsUsingContracts, readProductSnapshots } from '../../catalog/apply/product-snapshot';
import type { ApplyIssue } from '../../catalog/contracts/documents/apply-issue';
import { evaluateProduct, violationsOf } from './policy-evaluator';
import { PolicyReviewService } from './policy-review.service';
import { PolicyRepository } from './policy.repository';

/** Statuses a product is checked in on apply; deprecated and retired products are on their way out. */
const CHECKED = new Set(['proposed', 'draft', 'active']);

/**
 * Governance's part of an apply (ADR 0010). Policy documents become draft revisions (only the
 * review makes them active). Every product the apply touches is evaluated against the active
 * policies: a blocking violation of a product that is (or becomes) active through this apply is an
 * error, so the apply is refused and the product stays as it was; every other violation is a warning.
 */
export class PolicyApplyExtension implements ApplyExtension {
  constructor(
    private readonly review: PolicyReviewService,
    private readonly repo: PolicyRepository,
  ) {}

  async applyDocuments(ctx: ApplyContext): Promise<ApplyChange[]> {
    const changes: ApplyChange[] = [];
    for (const d of ctx.documents) {
      if (d.kind !== 'Policy') continue;
      const r = await this.review.upsertDraft(ctx.manager, d.value, d.hash, ctx.actor, d.file);
      changes.push({ file: d.file, kind: 'Policy', id: r.id, version: String(r.revision), action: r.action });
    }
    return changes;
  }

  async afterApply(ctx: ApplyContext): Promise<void> {
    const productDocs = new Map<string, { file: string; docIndex: number }>();
    const contractDocs = new Map<string, { file: string; docIndex: number }>();
    for (const d of ctx.documents) {
      if (d.kind === 'DataProduct') productDocs.set(d.value.id, { file: d.file, docIndex: d.docIndex });
      if (d.kind === 'DataContract') contractDocs.set(d.value.id, { file: d.file, docIndex: d.docIndex });
    }
    const changedContracts = ctx.changes.filter((c) => c.kind === 'DataContract' && c.action !== 'unchanged').map((c) => c.id);
    const changedProducts = new Set(ctx.changes.filter((c) => c.kind === 'DataProduct' && c.action !== 'unchanged').map((c) => c.id));
    const viaContracts = await productsUsingContracts(ctx.manager, [...contractDocs.keys()]);
    const ids = [...new Set([...productDocs.keys(), ...viaContracts])];
    if (ids.length === 0) return;
    await this.repo.activateDue(ctx.manager);
    const policies = await this.repo.list('active', ctx.manager);
    if (policies.length === 0) return;
    // A product document the catalog already refused was not stored: judging its old state would mislead.
    const refused = new Set(ctx.issues.filter((i) => i.severity === 'error').map((i) => `${i.file}#${i.docIndex ?? ''}`));
    for (const snapshot of await readProductSnapshots(ctx.manager, ids)) {
      const p = snapshot.product;
      const doc = productDocs.get(p.id);
      if (!CHECKED.has(p.status) || (doc && refused.has(`${doc.file}#${doc.docIndex}`))) continue;
      const own = snapshot.outputPorts.map((o) => o.contractId);
      const changed = changedProducts.has(p.id) || changedContracts.some((c) => own.includes(c));
      for (const r of evaluateProduct(snapshot, policies)) {
        const blocks = r.severity === 'blocking' && p.status === 'active' && changed;
        for (const v of violationsOf(r)) ctx.issues.push(this.issue(p.id, r.policyId, r.severity, blocks, v, productDocs, contractDocs));
      }
    }
  }

  /** A `contractId#path` violation is reported on the contract's document when it is in this apply. */
  private issue(
    product: string,
    policy: string,
    severity: string,
    blocks: boolean,
    v: { path: string; reason: string },
    products: Map<string, { file: string; docIndex: number }>,
    contracts: Map<string, { file: string; docIndex: number }>,
  ): ApplyIssue {
    const hash = v.path.indexOf('#');
    const contractDoc = hash > 0 ? contracts.get(v.path.slice(0, hash)) : undefined;
    const at = contractDoc ?? products.get(product) ?? { file: `data product ${product}`, docIndex: undefined };
    const path = contractDoc ? v.path.slice(hash + 1) : v.path;
    const effect = blocks ? 'the product cannot be active' : severity === 'blocking' ? 'blocks activation' : 'warning';
    return {
      file: at.file,
      ...(at.docIndex === undefined ? {} : { docIndex: at.docIndex }),
      path,
      severity: blocks ? 'error' : 'warning',
      message: `policy ${policy} (${severity}, ${effect}) violated by data product ${product} at ${v.path || '(product)'}: ${v.reason}`,
      policy,
      product,
    };
  }
}
