import { Logger } from '@nestjs/common';
import { Client, Notification } from 'pg';
import { CHANGE_CHANNEL } from './change-kind';

export interface ChangeListenerOptions {
  connectionString: string;
  /** Shown in pg_stat_activity, so an operator (or a test) can find this replica's LISTEN backend. */
  applicationName: string;
  onNotification(payload: string): void;
  /** After every (re)connection, once LISTEN is in place: the moment to catch up on what was missed. */
  onListening(): Promise<void>;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * One dedicated connection (never from the pool: a pooled client would be handed to queries and
 * LISTEN is per session) that LISTENs on the change channel. When it drops it reconnects with
 * capped exponential back-off; LISTEN is issued before `onListening` reads the versions, so nothing
 * committed in between can be missed.
 */
export class ChangeListener {
  private readonly logger = new Logger('ChangeFeed');
  private client: Client | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private connected = false;

  constructor(private readonly options: ChangeListenerOptions) {}

  get listening(): boolean {
    return this.connected;
  }

  /** Resolves after the first attempt (successful or not); later attempts run in the background. */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const c = this.client;
    this.client = null;
    this.connected = false;
    await c?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.options.connectionString, application_name: this.options.applicationName, connectionTimeoutMillis: 5000, keepAlive: true });
    let lost = false;
    const onLost = (reason: string): void => {
      if (lost) return;
      lost = true;
      this.connected = false;
      if (this.client === client) this.client = null;
      client.end().catch(() => undefined);
      if (!this.stopped) {
        this.logger.warn(`listening connection lost (${reason}); reconnecting`);
        this.scheduleReconnect();
      }
    };
    client.on('error', (err: Error) => onLost(err.message));
    client.on('end', () => onLost('connection ended'));
    client.on('notification', (n: Notification) => {
      if (n.channel === CHANGE_CHANNEL && n.payload !== undefined) this.options.onNotification(n.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      if (this.stopped) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.connected = true;
      if (this.failures > 0) this.logger.log(`listening again after ${this.failures} failed attempt(s)`);
      this.failures = 0;
      await this.options.onListening();
    } catch (err) {
      onLost((err as Error).message);
    }
  }

  private scheduleReconnect(): void {
    if (this.retryTimer || this.stopped) return;
    const base = this.options.initialBackoffMs ?? 100;
    const delay = Math.min(base * 2 ** Math.min(this.failures, 10), this.options.maxBackoffMs ?? 5000);
    this.failures++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }
}
