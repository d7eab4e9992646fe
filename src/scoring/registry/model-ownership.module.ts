import { Module } from '@nestjs/common';
import { ModelDomainRepository } from './model-domain.repository';
import { ModelOwnershipQuery } from './model-ownership.query';

/** Model ownership alone: small, so authorization can import it without the scoring runtime. */
@Module({
  providers: [ModelDomainRepository, ModelOwnershipQuery],
  exports: [ModelDomainRepository, ModelOwnershipQuery],
})
export class ModelOwnershipModule {}
