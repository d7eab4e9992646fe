import { EntityManager } from 'typeorm';
import type { OfflineSchemaService } from '../../features/offline/offline-schema.service';
import type { FeatureRegistryService } from '../../features/registry/registry.service';
import type { ApplyIssue } from '../contracts/documents/apply-issue';
import type { NormalizedContract, NormalizedEntity, NormalizedFeatureView } from '../contracts/documents/normalized-types';
import { ApplyBatch } from './apply-batch';
import { CatalogWriter } from './catalog-writer';

/**
 * Keeps offline tables in step with the catalog inside the apply transaction: every stored port of an
 * applied product, and every port whose contract changed, gets its table created or migrated; every
 * applied feature view gets the (keys, event time desc) index its point-in-time lookups use. The
 * offline tables and registry are the feature store's: reached through its services, never its SQL.
 */
export class OfflinePortSync {
  constructor(
    private readonly offline: OfflineSchemaService,
    private readonly writer: CatalogWriter,
    private readonly manager: EntityManager,
    private readonly batch: ApplyBatch,
    private readonly registry: FeatureRegistryService,
  ) {}

  async syncPorts(issues: ApplyIssue[]): Promise<void> {
    const targets = new Map<string, { productId: string; port: string }>();
    for (const p of this.batch.products) for (const o of p.value.outputPorts) targets.set(`${p.value.id}\u0000${o.name}`, { productId: p.value.id, port: o.name });
    for (const c of this.batch.contracts) {
      for (const r of await this.writer.portsUsingContract(c.value.id)) targets.set(`${r.productId}\u0000${r.port}`, r);
    }
    for (const { productId, port } of targets.values()) {
      const product = await this.writer.currentProduct(productId);
      const ports = await this.writer.outputPortVersions(productId, port);
      for (const p of ports) {
        const contract = p.contractId ? await this.contract(p.contractId) : null;
        try {
          await this.offline.syncPort(this.manager, { domain: product!.domain, productId, port: { name: port, version: p.version, type: p.type }, contract });
        } catch (err) {
          const file = this.batch.products.find((d) => d.value.id === productId)?.file ?? this.batch.contracts.find((d) => d.value.id === p.contractId)?.file ?? '';
          issues.push({ file, path: 'outputPorts', severity: 'error', message: `offline table of ${productId}/${port}@${p.version}: ${(err as Error).message}` });
        }
      }
    }
  }

  async indexViews(): Promise<void> {
    for (const d of this.batch.featureViews) {
      const v: NormalizedFeatureView = d.value;
      const keys: string[] = [];
      for (const e of v.entities) keys.push(...((await this.entity(e))?.joinKeys.map((k) => k.name) ?? []));
      // A source not stored yet is skipped: indexed when the view is applied again.
      await this.offline.ensureViewIndex(this.manager, { productId: v.source.dataProduct, port: v.source.outputPort }, keys, v.timestampField, v.createdTimestampField);
    }
  }

  private async contract(id: string): Promise<NormalizedContract | null> {
    return this.batch.contracts.find((c) => c.value.id === id)?.value ?? (await this.writer.currentContract(id))?.normalized ?? null;
  }

  private async entity(name: string): Promise<NormalizedEntity | null> {
    const inBatch = this.batch.entities.find((e) => e.value.name === name)?.value;
    if (inBatch) return inBatch;
    const stored = await this.registry.current(this.manager, 'Entity', name);
    return (stored?.normalized as unknown as NormalizedEntity | undefined) ?? null;
  }
}
