import { Module } from '@nestjs/common';
import { OfflineStoreModule } from '../offline/offline-store.module';
import { RetrievalModule } from '../retrieval/retrieval.module';
import { EntityQueryResolver } from './entity-query-resolver';
import { TrainingDatasetController } from './training-dataset.controller';
import { TrainingDatasetQuery } from './training-dataset.query';
import { TrainingDatasetRepository } from './training-dataset.repository';
import { TrainingDatasetResolver } from './training-dataset.resolver';
import { TrainingDatasetService } from './training-dataset.service';

/** Training datasets: saved retrievals. The retrieval itself (parsing, registry, engine) comes from RetrievalModule. */
@Module({
  imports: [RetrievalModule, OfflineStoreModule],
  controllers: [TrainingDatasetController],
  providers: [EntityQueryResolver, TrainingDatasetRepository, TrainingDatasetService, TrainingDatasetResolver, TrainingDatasetQuery],
  exports: [TrainingDatasetQuery],
})
export class DatasetsModule {}
