import { forwardRef, Module } from '@nestjs/common';
import { FeaturesModule } from '../features.module';
import { MaterializationJobRepository } from './materialization-job.repository';
import { MaterializationScheduler } from './materialization-scheduler';
import { MaterializationController } from './materialization.controller';
import { MaterializationResolver } from './materialization.resolver';
import { MaterializationService } from './materialization.service';

/** forwardRef: FeaturesModule imports this module and exports the FeatureViewResolver it needs. */
@Module({
  imports: [forwardRef(() => FeaturesModule)],
  controllers: [MaterializationController],
  providers: [MaterializationJobRepository, MaterializationService, MaterializationResolver, MaterializationScheduler],
  exports: [MaterializationService],
})
export class MaterializationModule {}
