import { DynamicModule, Global, Module } from '@nestjs/common';
import { ChangeFeed } from './change-feed';
import { CHANGE_FEED_OPTIONS, type ChangeFeedOptions } from './change-feed-options';

/** The change feed, global: every module with a cache subscribes, every module with a mutation publishes. */
@Global()
@Module({})
export class ChangesModule {
  static forRoot(options: ChangeFeedOptions): DynamicModule {
    return { module: ChangesModule, providers: [{ provide: CHANGE_FEED_OPTIONS, useValue: options }, ChangeFeed], exports: [ChangeFeed] };
  }
}
