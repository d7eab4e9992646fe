import { Module } from '@nestjs/common';
import { FeatureRegistryModule } from '../registry/registry.module';
import { MaterializationJobRepository } from './materialization-job.repository';
import { MaterializationScheduler } from './materialization-scheduler';
import { MaterializationController } from './materialization.controller';
import { MaterializationQuery } from './materialization.query';
import { MaterializationResolver } from './materialization.resolver';
import { MATERIALIZATION_OPTIONS, MaterializationOptions, MaterializationService } from './materialization.service';
import { TesseraConfig } from '../../config/tessera-config';

@Module({
  imports: [FeatureRegistryModule],
  controllers: [MaterializationController],
  providers: [
    MaterializationJobRepository,
    MaterializationService,
    MaterializationResolver,
    MaterializationScheduler,
    MaterializationQuery,
    { provide: MATERIALIZATION_OPTIONS, inject: [TesseraConfig], useFactory: (config: TesseraConfig): Partial<MaterializationOptions> => ({ chunkRows: config.materializeChunkRows }) },
  ],
  exports: [MaterializationService, MaterializationQuery],
})
export class MaterializationModule {}
