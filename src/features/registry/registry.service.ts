import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RegistryKind, RegistryObjectEntity } from './registry-object.entity';
import { RegistryDocument, RegistryRepository } from './registry.repository';

export type RegistryApplyAction = 'created' | 'updated' | 'unchanged';

/**
 * Stores the tessera/v1 registry documents (Entity, FeatureView, FeatureService, Model) applied with
 * the contracts. TODO(feature store issue): give them meaning (offline tables, materialization, serving).
 */
@Injectable()
export class FeatureRegistryService {
  constructor(private readonly repository: RegistryRepository) {}

  current(manager: EntityManager, kind: RegistryKind, name: string, version = ''): Promise<RegistryObjectEntity | null> {
    return this.repository.find(manager, kind, name, version);
  }

  async apply(manager: EntityManager, doc: RegistryDocument): Promise<RegistryApplyAction> {
    const existing = await this.repository.find(manager, doc.kind, doc.name, doc.version);
    if (existing?.contentHash === doc.contentHash) return 'unchanged';
    await this.repository.upsert(manager, doc);
    return existing ? 'updated' : 'created';
  }

  /** The current document of `kind` named `name` (versionless kinds), or null. */
  find(kind: RegistryKind, name: string): Promise<RegistryObjectEntity | null> {
    return this.repository.findCurrent(kind, name);
  }

  list(kind?: RegistryKind, search?: string): Promise<RegistryObjectEntity[]> {
    return this.repository.list(kind, search);
  }
}
