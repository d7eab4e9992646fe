import { Module, OnModuleInit } from '@nestjs/common';
import { ApplyExtensions } from '../catalog/apply/apply-extensions';
import { CatalogModule } from '../catalog/catalog.module';
import { FeaturesModule } from '../features/features.module';
import { OfflineTablesRepository } from '../features/offline/offline-tables.repository';
import { QualityApplyExtension } from './quality-apply.extension';
import { QualityIngestCheck } from './quality-ingest.check';
import { QualityResultsRepository } from './quality-results.repository';
import { QualityRunsQuery } from './quality-runs.query';
import { QualityScheduler } from './quality-scheduler';
import { QualityResolver } from './quality.resolver';
import { QualityService } from './quality.service';

/**
 * Data quality (issue 6, ADR 0013): the ODCS quality rules of table ports, run on ingest (inside
 * its transaction, through the offline store's IngestChecks), on a schedule and on request.
 * QualityRunsQuery is the read interface of the SLO evaluation (ADR 0021).
 */
@Module({
  imports: [FeaturesModule, CatalogModule],
  providers: [QualityResultsRepository, QualityService, QualityIngestCheck, QualityScheduler, QualityResolver, QualityRunsQuery],
  exports: [QualityResultsRepository, QualityService, QualityRunsQuery],
})
export class QualityModule implements OnModuleInit {
  constructor(
    private readonly extensions: ApplyExtensions,
    private readonly tables: OfflineTablesRepository,
  ) {}

  onModuleInit(): void {
    this.extensions.register(new QualityApplyExtension(this.tables));
  }
}
