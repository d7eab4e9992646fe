import { Module } from '@nestjs/common';
import { OfflineStoreModule } from '../offline/offline-store.module';
import { FeatureRegistryModule } from '../registry/registry.module';
import { StreamBatchWriter } from './stream-batch-writer';
import { StreamMetrics } from './stream-metrics';
import { StreamPauses } from './stream-pauses';
import { StreamSourceDirectory } from './stream-source-directory';
import { StreamingResolver } from './streaming.resolver';
import { StreamingService } from './streaming.service';

/**
 * Stream sources over NATS JetStream (issue 13, ADR 0026); idle without NATS_URL.
 * Model-on-demand workers are scoring's (src/scoring/on-demand, ADR 0027). A pause is shared by every
 * replica (StreamPauses, change feed `streams` kind).
 */
@Module({
  imports: [OfflineStoreModule, FeatureRegistryModule],
  providers: [StreamPauses, StreamSourceDirectory, StreamBatchWriter, StreamMetrics, StreamingService, StreamingResolver],
  exports: [StreamingService],
})
export class StreamingModule {}
