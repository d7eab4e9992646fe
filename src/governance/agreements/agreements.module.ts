import { Global, Module } from '@nestjs/common';
import { AccessGate } from './access-gate';
import { AgreementSubjectQuery } from './agreement-subject.query';
import { AgreementsRepository } from './agreements.repository';
import { AgreementsResolver } from './agreements.resolver';
import { AgreementsService } from './agreements.service';

/** Access agreements and the access gate every feature read goes through (global: the read paths live in other modules). */
@Global()
@Module({
  providers: [AgreementsRepository, AccessGate, AgreementsService, AgreementsResolver, AgreementSubjectQuery],
  exports: [AccessGate, AgreementSubjectQuery],
})
export class AgreementsModule {}
