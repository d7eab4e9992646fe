import { Injectable } from '@nestjs/common';
import { ModelDomainRepository } from './model-domain.repository';

/** What other modules (authorization) may ask about who owns a model, without reading scoring's tables. */
@Injectable()
export class ModelOwnershipQuery {
  constructor(private readonly repo: ModelDomainRepository) {}

  /** Owning domain of each registered model (null: registered before models had domains); unregistered names are absent. */
  modelDomains(names: readonly string[]): Promise<Map<string, string | null>> {
    return this.repo.ownership(names);
  }
}
