import { Module } from '@nestjs/common';
import { FeatureRegistryModule } from '../registry/registry.module';
import { OnlineServingService } from './online-serving.service';
import { ServingController } from './serving.controller';
import { ServingResolver } from './serving.resolver';

@Module({
  imports: [FeatureRegistryModule],
  // ServingController is a fast route (ADR 0037): a provider that src/governance/auth/fast-routes.ts routes, not a Nest controller.
  providers: [OnlineServingService, ServingResolver, ServingController],
  exports: [OnlineServingService],
})
export class ServingModule {}
