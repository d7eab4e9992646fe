import { EntityManager } from 'typeorm';
import { FeatureRegistryService } from '../../features/registry/registry.service';
import type { ApplyIssue } from '../contracts/documents/apply-issue';
import type { ValidatedDocument } from '../contracts/documents/normalized-types';
import { ApplyBatch } from './apply-batch';
import { CatalogWriter } from './catalog-writer';

type Doc<K extends ValidatedDocument['kind']> = Extract<ValidatedDocument, { kind: K }>;

/**
 * Cross-document references resolved against the batch and the catalog. An unresolved reference is a
 * warning, not an error: meshes are applied domain by domain, so upstream documents may arrive later.
 */
export class ReferenceChecker {
  constructor(
    private readonly writer: CatalogWriter,
    private readonly registry: FeatureRegistryService,
    private readonly manager: EntityManager,
    private readonly batch: ApplyBatch,
  ) {}

  async checkProduct(d: Doc<'DataProduct'>, issues: ApplyIssue[]): Promise<void> {
    const warn = this.warner(d, issues);
    for (const [i, port] of d.value.inputPorts.entries()) {
      if (!(await this.contractKnown(port.contractId))) warn(`inputPorts[${i}].contractId`, `contract ${port.contractId} is not in the catalog yet`);
    }
    for (const [i, port] of d.value.outputPorts.entries()) {
      if (port.contractId && !(await this.contractKnown(port.contractId))) warn(`outputPorts[${i}].contractId`, `contract ${port.contractId} is not in the catalog yet`);
    }
  }

  async checkGlossary(d: Doc<'Domain'>, issues: ApplyIssue[]): Promise<void> {
    const warn = this.warner(d, issues);
    for (const [i, term] of d.value.glossary.entries()) {
      for (const [j, id] of term.products.entries()) {
        if (!(await this.productKnown(id))) warn(`glossary[${i}].products[${j}]`, `data product ${id} is not in the catalog yet`);
      }
    }
  }

  async checkUseCase(d: Doc<'UseCase'>, issues: ApplyIssue[]): Promise<void> {
    const warn = this.warner(d, issues);
    for (const [i, ref] of d.value.dataProducts.entries()) {
      if (!(await this.productKnown(ref.id))) warn(`dataProducts[${i}].id`, `data product ${ref.id} is not in the catalog yet`);
      else if (ref.outputPort && !(await this.portKnown(ref.id, ref.outputPort))) warn(`dataProducts[${i}].outputPort`, `data product ${ref.id} has no output port ${ref.outputPort}`);
    }
  }

  async checkRegistryDocument(d: Doc<'Entity' | 'FeatureView' | 'FeatureService' | 'Model' | 'StreamSource'>, issues: ApplyIssue[]): Promise<void> {
    const warn = this.warner(d, issues);
    if (d.kind === 'FeatureView') {
      const v = d.value;
      for (const [i, e] of v.entities.entries()) {
        if (!this.batch.hasEntity(e) && !(await this.registry.current(this.manager, 'Entity', e))) warn(`entities[${i}]`, `entity ${e} is not in the registry yet`);
      }
      if (!(await this.productKnown(v.source.dataProduct))) warn('source.dataProduct', `data product ${v.source.dataProduct} is not in the catalog yet`);
      else if (!(await this.portKnown(v.source.dataProduct, v.source.outputPort))) warn('source.outputPort', `data product ${v.source.dataProduct} has no output port ${v.source.outputPort}`);
    } else if (d.kind === 'FeatureService') {
      for (const [i, ref] of d.value.featureRefs.entries()) {
        const view = this.batch.featureView(ref.view) ?? ((await this.registry.current(this.manager, 'FeatureView', ref.view))?.normalized as { features?: { name: string }[] } | undefined);
        if (!view) warn(`features[${i}]`, `feature view ${ref.view} is not in the registry yet`);
        else if (!(view.features ?? []).some((f) => f.name === ref.feature)) warn(`features[${i}]`, `feature view ${ref.view} has no feature ${ref.feature}`);
      }
    } else if (d.kind === 'Model') {
      const fs = d.value.featureService;
      if (!this.batch.hasFeatureService(fs) && !(await this.registry.current(this.manager, 'FeatureService', fs))) warn('featureService', `feature service ${fs} is not in the registry yet`);
    } else if (d.kind === 'StreamSource') {
      const s = d.value;
      if (!(await this.productKnown(s.dataProduct))) warn('dataProduct', `data product ${s.dataProduct} is not in the catalog yet: messages wait in the stream until it is`);
      else if (!(await this.portKnown(s.dataProduct, s.outputPort))) warn('outputPort', `data product ${s.dataProduct} has no output port ${s.outputPort}: messages wait in the stream until it does`);
    }
  }

  private warner(d: ValidatedDocument, issues: ApplyIssue[]): (path: string, message: string) => void {
    return (path, message) => issues.push({ file: d.file, docIndex: d.docIndex, path, message, severity: 'warning' });
  }

  private async contractKnown(id: string): Promise<boolean> {
    return this.batch.hasContract(id) || (await this.writer.contractExists(id));
  }

  private async productKnown(id: string): Promise<boolean> {
    return this.batch.product(id) !== undefined || (await this.writer.productExists(id));
  }

  private async portKnown(productId: string, port: string): Promise<boolean> {
    const inBatch = this.batch.product(productId);
    if (inBatch) return inBatch.outputPorts.some((p) => p.name === port);
    return this.writer.outputPortExists(productId, port);
  }
}
