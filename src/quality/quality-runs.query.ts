import { Injectable } from '@nestjs/common';
import { QualityResultsRepository, StoredRunSummary } from './quality-results.repository';

/** Data quality's read interface for other modules (SLOs): none reads tessera.quality_runs itself (ADR 0021). */
@Injectable()
export class QualityRunsQuery {
  constructor(private readonly results: QualityResultsRepository) {}

  /** The latest run describing the port's stored data (accepted ingests, scheduled and API runs); null if none. */
  latestStoredRun(productId: string, port: string): Promise<StoredRunSummary | null> {
    return this.results.latestStoredRun(productId, port);
  }
}
