import { EntityManager } from 'typeorm';
import { FeatureRegistryService } from '../../features/registry/registry.service';
import type { ApplyIssue } from '../contracts/documents/apply-issue';
import { checkVersionBump, diffContracts, diffFeatureViews } from '../contracts/documents/contract-diff';
import type { NormalizedEntity, NormalizedFeatureView } from '../contracts/documents/normalized-types';
import { ApplyBatch } from './apply-batch';
import type { ApplyChange } from './apply-report';
import { CatalogWriter } from './catalog-writer';
import { lifecycleRefusal } from './product-lifecycle';
import { FeatureViewChecker } from './feature-view-checker';
import { OfflinePortSync } from './offline-port-sync';
import type { OfflineSchemaService } from '../../features/offline/offline-schema.service';
import { ReferenceChecker } from './reference-checker';

/** Applies each kind of document in dependency order: domains, contracts, products, the rest. */
export class DocumentApplier {
  private readonly refs: ReferenceChecker;
  private readonly views: FeatureViewChecker;

  constructor(
    private readonly writer: CatalogWriter,
    private readonly registry: FeatureRegistryService,
    private readonly manager: EntityManager,
    private readonly batch: ApplyBatch,
    private readonly offline: OfflineSchemaService,
  ) {
    this.refs = new ReferenceChecker(writer, registry, manager, batch);
    this.views = new FeatureViewChecker(writer, batch, async (name) => {
      const inBatch = batch.entities.find((e) => e.value.name === name)?.value;
      const stored = inBatch ? null : await registry.current(manager, 'Entity', name);
      return (inBatch ?? (stored?.normalized as unknown as NormalizedEntity | undefined))?.joinKeys ?? null;
    });
  }

  async applyAll(issues: ApplyIssue[]): Promise<ApplyChange[]> {
    const changes: ApplyChange[] = [];
    for (const d of this.batch.domains) {
      const { value: v } = d;
      const action = await this.writer.applyDomain({
        name: v.name,
        description: v.description,
        team: v.team,
        glossary: v.glossary,
        spec: v.raw,
        contentHash: d.hash,
        sourceFile: d.file,
      });
      changes.push({ file: d.file, kind: 'Domain', id: v.name, version: null, action });
    }
    for (const d of this.batch.contracts) changes.push(await this.applyContract(d, issues));
    for (const d of this.batch.products) {
      const p = d.value;
      await this.refs.checkProduct(d, issues);
      const current = await this.writer.currentProduct(p.id);
      const refusal = current ? lifecycleRefusal(current.status, p.status) : null;
      if (refusal) {
        issues.push({ file: d.file, docIndex: d.docIndex, path: 'status', severity: 'error', message: refusal });
        continue;
      }
      if (current?.contentHash === d.hash) {
        changes.push({ file: d.file, kind: 'DataProduct', id: p.id, version: p.version, action: 'unchanged' });
        continue;
      }
      await this.writer.saveProduct(p, p.raw, d.hash, d.file);
      changes.push({ file: d.file, kind: 'DataProduct', id: p.id, version: p.version, action: current ? 'updated' : 'created' });
    }
    const sync = new OfflinePortSync(this.offline, this.writer, this.manager, this.batch, this.registry);
    if (!issues.some((i) => i.severity === 'error')) await sync.syncPorts(issues);
    for (const d of this.batch.domains) await this.refs.checkGlossary(d, issues);
    for (const d of this.batch.useCases) {
      await this.refs.checkUseCase(d, issues);
      const u = d.value;
      const action = await this.writer.applyUseCase({
        name: u.name,
        description: u.description,
        purpose: u.purpose,
        consumer: Object.fromEntries(Object.entries(u.consumer).filter(([, v]) => v !== null)),
        dataProducts: u.dataProducts.map((p) => (p.outputPort ? { id: p.id, outputPort: p.outputPort } : { id: p.id })),
        spec: u.raw,
        contentHash: d.hash,
        sourceFile: d.file,
      });
      changes.push({ file: d.file, kind: 'UseCase', id: u.name, version: null, action });
    }
    for (const d of [...this.batch.entities, ...this.batch.featureViews, ...this.batch.featureServices, ...this.batch.models, ...this.batch.streamSources]) {
      await this.refs.checkRegistryDocument(d, issues);
      if (d.kind === 'FeatureView') {
        await this.views.check(d, issues);
        if (!(await this.viewChangeAllowed(d, issues))) continue;
      }
      const version = d.kind === 'Model' ? d.value.version : '';
      const { raw, ...normalized } = d.value;
      const action = await this.registry.apply(this.manager, {
        kind: d.kind,
        name: d.value.name,
        version,
        spec: raw,
        normalized: normalized,
        contentHash: d.hash,
        sourceFile: d.file,
      });
      changes.push({ file: d.file, kind: d.kind, id: d.value.name, version: version || null, action });
    }
    if (!issues.some((i) => i.severity === 'error')) await sync.indexViews();
    return changes;
  }

  /**
   * Training sets and models bind to a feature view by name, so a breaking change (feature removed,
   * keys, source or event time changed) is refused: publish it as a new view, as a new port for contracts.
   */
  private async viewChangeAllowed(d: Extract<ApplyBatch['featureViews'][number], { kind: 'FeatureView' }>, issues: ApplyIssue[]): Promise<boolean> {
    const current = await this.registry.current(this.manager, 'FeatureView', d.value.name);
    if (!current || current.contentHash === d.hash) return true;
    const diff = diffFeatureViews(current.normalized as unknown as NormalizedFeatureView, d.value);
    for (const b of diff.breaking) {
      issues.push({ file: d.file, docIndex: d.docIndex, path: b.path, severity: 'error', message: `breaking change: ${b.reason}; publish it as a new feature view (e.g. ${d.value.name}_v2) instead` });
    }
    return diff.breaking.length === 0;
  }

  /** A changed contract is diffed against what is stored; a breaking change needs a major version. */
  private async applyContract(d: ApplyBatch['contracts'][number], issues: ApplyIssue[]): Promise<ApplyChange> {
    const c = d.value;
    const base = { file: d.file, kind: 'DataContract', id: c.id, version: c.version };
    const current = await this.writer.currentContract(c.id);
    if (current?.contentHash === d.hash) return { ...base, action: 'unchanged' };
    if (!current) {
      await this.writer.saveContract(c, c.raw, d.hash, d.file, null);
      return { ...base, action: 'created' };
    }
    const diff = diffContracts(current.normalized, c);
    const bump = checkVersionBump(current.normalized, c, diff);
    if (!bump.ok) {
      const issue = (path: string, message: string): ApplyIssue => ({ file: d.file, docIndex: d.docIndex, path, message, severity: 'error' });
      issues.push(issue('version', `${bump.reason ?? 'version not accepted'} (stored ${current.version}, suggested ${diff.suggestedVersion}; or publish it as a new output port)`));
      for (const b of diff.breaking) issues.push(issue(b.path, `breaking change: ${b.reason}`));
    } else if (diff.impact !== 'NONE' && c.version === current.version) {
      issues.push({ file: d.file, docIndex: d.docIndex, path: 'version', severity: 'warning', message: `content changed (${diff.impact}) but version stays ${c.version}; suggested ${diff.suggestedVersion}` });
    }
    if (bump.ok) await this.writer.saveContract(c, c.raw, d.hash, d.file, diff);
    return { ...base, action: 'updated', impact: diff.impact, suggestedVersion: diff.suggestedVersion, diff: diff.changes };
  }
}
