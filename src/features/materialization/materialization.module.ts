import { forwardRef, Module } from '@nestjs/common';
import { FeaturesModule } from '../features.module';
import { MaterializationJobRepository } from './materialization-job.repository';
import { MaterializationScheduler } from './materialization-scheduler';
import { MaterializationController } from './materialization.controller';
import { MaterializationResolver } from './materialization.resolver';
import { MATERIALIZATION_OPTIONS, MaterializationOptions, MaterializationService } from './materialization.service';
import { TesseraConfig } from '../../config/tessera-config';

/** forwardRef: FeaturesModule imports this module and exports the FeatureViewResolver it needs. */
@Module({
  imports: [forwardRef(() => FeaturesModule)],
  controllers: [MaterializationController],
  providers: [
    MaterializationJobRepository,
    MaterializationService,
    MaterializationResolver,
    MaterializationScheduler,
    { provide: MATERIALIZATION_OPTIONS, inject: [TesseraConfig], useFactory: (config: TesseraConfig): Partial<MaterializationOptions> => ({ chunkRows: config.materializeChunkRows }) },
  ],
  exports: [MaterializationService],
})
export class MaterializationModule {}
