import { forwardRef, Module } from '@nestjs/common';
import { FeaturesModule } from '../features.module';
import { OfflineStoreModule } from '../offline/offline-store.module';
import { PushController } from './push.controller';
import { PushService } from './push.service';

@Module({
  // forwardRef: FeaturesModule imports this module and exports the (shared, apply-invalidated) FeatureViewResolver.
  imports: [OfflineStoreModule, forwardRef(() => FeaturesModule)],
  controllers: [PushController],
  providers: [PushService],
})
export class PushModule {}
