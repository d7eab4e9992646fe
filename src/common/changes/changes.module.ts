import { Global, Module } from '@nestjs/common';
import { ChangeFeed } from './change-feed';

/** The change feed, global: every module with a cache subscribes, every module with a mutation publishes. */
@Global()
@Module({ providers: [ChangeFeed], exports: [ChangeFeed] })
export class ChangesModule {}
