import { DynamicModule, Global, Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReadReplicaOptions, ReadRouter } from './read-router';

/**
 * Provides the already-initialised DataSource (opened in bootstrap, before Nest starts) and the
 * ReadRouter that sends heavy reads to DATABASE_READ_URL when set (ADR 0031).
 */
@Global()
@Module({})
export class DatabaseModule implements OnModuleDestroy {
  constructor(@Inject(ReadRouter) private readonly router: ReadRouter) {}

  static forRoot(dataSource: DataSource, readReplica?: ReadReplicaOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DataSource, useValue: dataSource },
        {
          provide: ReadRouter,
          useFactory: async () => {
            const router = new ReadRouter(dataSource, readReplica);
            await router.start();
            return router;
          },
        },
      ],
      exports: [DataSource, ReadRouter],
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.router.stop();
  }
}
