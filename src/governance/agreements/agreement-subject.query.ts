import { Injectable } from '@nestjs/common';
import { AgreementsRepository } from './agreements.repository';

/** What other modules (authorization) may ask about an agreement without reading its table. */
@Injectable()
export class AgreementSubjectQuery {
  constructor(private readonly repo: AgreementsRepository) {}

  /** The data product an access agreement is about (null: unknown or malformed id). */
  async productOf(agreementId: string): Promise<string | null> {
    return (await this.repo.get(agreementId))?.provider.dataProduct ?? null;
  }
}
