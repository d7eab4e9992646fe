import { Injectable } from '@nestjs/common';
import { MaterializationJobRepository } from './materialization-job.repository';

/** Materialization's read interface for other modules (SLOs): no other module reads its tables (ADR 0021). */
@Injectable()
export class MaterializationQuery {
  constructor(private readonly jobs: MaterializationJobRepository) {}

  /** When each online view was last materialized (its watermark last moved); never-materialized views are absent. */
  lastMaterialized(views: readonly string[]): Promise<Map<string, Date>> {
    return this.jobs.watermarkUpdates(views);
  }
}
