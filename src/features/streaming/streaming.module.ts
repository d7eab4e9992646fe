import { Module } from '@nestjs/common';
import { OfflineStoreModule } from '../offline/offline-store.module';
import { FeatureRegistryModule } from '../registry/registry.module';
import { StreamBatchWriter } from './stream-batch-writer';
import { StreamMetrics } from './stream-metrics';
import { StreamSourceDirectory } from './stream-source-directory';
import { StreamingResolver } from './streaming.resolver';
import { StreamingService } from './streaming.service';

/**
 * Stream sources over NATS JetStream (issue 13, ADR 0026); idle without NATS_URL.
 * TODO(issue 13): model-on-demand workers (tessera.predict.<model> work queue, results with Nats-Msg-Id,
 * `tessera worker --models`, caller's key in a header: ADR 0026) belong to scoring and are not built yet;
 * pause/resume is per replica until it is shared (ADR 0026, Operations).
 */
@Module({
  imports: [OfflineStoreModule, FeatureRegistryModule],
  providers: [StreamSourceDirectory, StreamBatchWriter, StreamMetrics, StreamingService, StreamingResolver],
  exports: [StreamingService],
})
export class StreamingModule {}
