import { Module } from '@nestjs/common';
import { FeatureRegistryModule } from '../registry/registry.module';
import { OnlineServingService } from './online-serving.service';
import { ServingController } from './serving.controller';
import { ServingResolver } from './serving.resolver';

@Module({
  imports: [FeatureRegistryModule],
  controllers: [ServingController],
  providers: [OnlineServingService, ServingResolver],
  exports: [OnlineServingService],
})
export class ServingModule {}
