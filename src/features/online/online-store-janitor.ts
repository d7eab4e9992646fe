import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ONLINE_STORE } from './online-store';
import type { OnlineStore } from './online-store';

/** Between sweeps; expired rows are invisible to reads meanwhile, so this only bounds table growth. */
const SWEEP_MS = 10 * 60_000;
/** Rows per DELETE: short statements, no long lock on a hot table. */
const BATCH = 10_000;
/** Per sweep, so one sweep never runs for long; the next sweep continues. */
const MAX_BATCHES = 50;

/** Purges expired entries from stores that keep them (the PostgreSQL online table). */
@Injectable()
export class OnlineStoreJanitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OnlineStoreJanitor');
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<number>;

  constructor(@Inject(ONLINE_STORE) private readonly store: OnlineStore) {}

  onApplicationBootstrap(): void {
    if (!this.store.purgeExpired) return;
    this.timer = setInterval(() => void this.sweep().catch((err: unknown) => this.logger.warn(`purge of expired online entries failed: ${(err as Error).message}`)), SWEEP_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping?.catch(() => undefined);
  }

  /** One sweep; resolves to the number of entries deleted. */
  sweep(): Promise<number> {
    this.sweeping ??= this.purge().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async purge(): Promise<number> {
    const purge = this.store.purgeExpired?.bind(this.store);
    if (!purge) return 0;
    let total = 0;
    for (let i = 0; i < MAX_BATCHES; i++) {
      const n = await purge(BATCH);
      total += n;
      if (n < BATCH) break;
    }
    return total;
  }
}
