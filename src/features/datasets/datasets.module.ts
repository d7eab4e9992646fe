import { Module } from '@nestjs/common';
import { OfflineStoreModule } from '../offline/offline-store.module';
import { RetrievalModule } from '../retrieval/retrieval.module';
import { HistoricalFeaturesController } from '../retrieval/historical-features.controller';
import { HistoricalFeaturesResolver } from '../retrieval/historical-features.resolver';
import { EntityQueryResolver } from './entity-query-resolver';
import { RetrievalJobController } from './retrieval-job.controller';
import { RetrievalJobRepository } from './retrieval-job.repository';
import { RetrievalJobResolver } from './retrieval-job.resolver';
import { RetrievalJobService } from './retrieval-job.service';
import { RetrievalJobWorker } from './retrieval-job.worker';
import { TrainingDatasetController } from './training-dataset.controller';
import { TrainingDatasetQuery } from './training-dataset.query';
import { TrainingDatasetRepository } from './training-dataset.repository';
import { TrainingDatasetResolver } from './training-dataset.resolver';
import { TrainingDatasetService } from './training-dataset.service';

/** Training datasets: saved retrievals, and retrieval jobs (ADR 0028). The retrieval itself (parsing, registry, engine) comes from RetrievalModule. */
@Module({
  imports: [RetrievalModule, OfflineStoreModule],
  controllers: [TrainingDatasetController, HistoricalFeaturesController, RetrievalJobController],
  providers: [
    EntityQueryResolver,
    TrainingDatasetRepository,
    TrainingDatasetService,
    TrainingDatasetResolver,
    TrainingDatasetQuery,
    RetrievalJobRepository,
    RetrievalJobService,
    RetrievalJobWorker,
    RetrievalJobResolver,
    HistoricalFeaturesResolver,
  ],
  exports: [TrainingDatasetQuery],
})
export class DatasetsModule {}
