import { forwardRef, Module } from '@nestjs/common';
import { FeaturesModule } from '../features.module';
import { OnlineServingService } from './online-serving.service';
import { ServingController } from './serving.controller';
import { ServingResolver } from './serving.resolver';

/** forwardRef: FeaturesModule imports this module and exports the FeatureViewResolver it needs. */
@Module({
  imports: [forwardRef(() => FeaturesModule)],
  controllers: [ServingController],
  providers: [OnlineServingService, ServingResolver],
  exports: [OnlineServingService],
})
export class ServingModule {}
