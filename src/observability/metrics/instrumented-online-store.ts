import type { ResolvedFeatureView } from '../../features/registry/resolved-feature-view';
import type { OnlineEntry, OnlineReadRequest, OnlineStore, OnlineWriteRow } from '../../features/online/online-store';
import { MetricsService, secondsSince } from './metrics.service';

/** Any OnlineStore, with each read and write round trip timed (one hrtime pair and one observe: ~1 µs). */
export class InstrumentedOnlineStore implements OnlineStore {
  readonly kind: string;
  readonly purgeExpired?: (limit: number) => Promise<number>;
  readonly redis?: OnlineStore['redis'];
  readonly readBytes?: OnlineStore['readBytes'];
  readonly decodeBytes?: OnlineStore['decodeBytes'];

  constructor(
    private readonly inner: OnlineStore,
    private readonly metrics: MetricsService,
  ) {
    this.kind = inner.kind;
    this.redis = inner.redis;
    if (inner.purgeExpired) this.purgeExpired = (limit) => inner.purgeExpired!(limit);
    if (inner.readBytes && inner.decodeBytes) {
      this.readBytes = (requests) => this.timed('read', () => inner.readBytes!(requests));
      this.decodeBytes = (requests, bytes) => inner.decodeBytes!(requests, bytes);
    }
  }

  read(requests: OnlineReadRequest[]): Promise<(OnlineEntry | null)[][]> {
    return this.timed('read', () => this.inner.read(requests));
  }

  write(view: ResolvedFeatureView, rows: OnlineWriteRow[]): Promise<number> {
    return this.timed('write', () => this.inner.write(view, rows));
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  deleteAll(): Promise<void> {
    return this.inner.deleteAll();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** One derived promise, no async frame: it wraps every online read (issue 16). */
  private timed<T>(operation: 'read' | 'write', op: () => Promise<T>): Promise<T> {
    const start = process.hrtime.bigint();
    const observe = (outcome: 'ok' | 'error') => this.metrics.onlineStoreDuration.observe({ store: this.kind, operation, outcome }, secondsSince(start));
    return op().then(
      (result) => {
        observe('ok');
        return result;
      },
      (err: Error) => {
        observe('error');
        throw err;
      },
    );
  }
}
