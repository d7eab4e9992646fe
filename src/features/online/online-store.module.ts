import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TesseraConfig } from '../../config/tessera-config';
import { ONLINE_STORE } from './online-store';
import type { OnlineStore } from './online-store';
import { createOnlineStore } from './online-store.provider';
import { OnlineStoreJanitor } from './online-store-janitor';
import { InstrumentedOnlineStore } from '../../observability/metrics/instrumented-online-store';
import { MetricsService } from '../../observability/metrics/metrics.service';

/**
 * Provides ONLINE_STORE. Global because the readiness check (observability's HealthController) reports on
 * it as well as the feature store's own modules.
 */
@Global()
@Module({
  providers: [
    {
      provide: ONLINE_STORE,
      useFactory: async (config: TesseraConfig, dataSource: DataSource, metrics?: MetricsService) => {
        const store = await createOnlineStore(config, dataSource);
        return metrics ? new InstrumentedOnlineStore(store, metrics) : store;
      },
      inject: [TesseraConfig, DataSource, { token: MetricsService, optional: true }],
    },
    OnlineStoreJanitor,
  ],
  exports: [ONLINE_STORE, OnlineStoreJanitor],
})
export class OnlineStoreModule implements OnApplicationShutdown {
  constructor(@Inject(ONLINE_STORE) private readonly store: OnlineStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
