import { Module } from '@nestjs/common';
import { OfflineStoreModule } from '../offline/offline-store.module';
import { FeatureRegistryModule } from '../registry/registry.module';
import { PushController } from './push.controller';
import { PushService } from './push.service';

@Module({
  imports: [OfflineStoreModule, FeatureRegistryModule],
  controllers: [PushController],
  providers: [PushService],
})
export class PushModule {}
