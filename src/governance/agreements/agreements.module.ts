import { Global, Module } from '@nestjs/common';
import { CatalogModule } from '../../catalog/catalog.module';
import { FeaturesModule } from '../../features/features.module';
import { AccessGate } from './access-gate';
import { AgreementPorts } from './agreement-ports';
import { AgreementSubjectQuery } from './agreement-subject.query';
import { AgreementsRepository } from './agreements.repository';
import { AgreementsResolver } from './agreements.resolver';
import { AgreementsService } from './agreements.service';

/** Access agreements and the access gate every feature read goes through (global: the read paths live in other modules). */
@Global()
@Module({
  // The ports agreements are about come from the catalog's and the offline store's query interfaces.
  imports: [CatalogModule, FeaturesModule],
  providers: [AgreementsRepository, AgreementPorts, AccessGate, AgreementsService, AgreementsResolver, AgreementSubjectQuery],
  exports: [AccessGate, AgreementSubjectQuery],
})
export class AgreementsModule {}
