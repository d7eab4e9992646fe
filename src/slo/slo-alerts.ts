import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TesseraConfig } from '../config/tessera-config';

/** What a webhook receives for one breach episode of one SLO. */
export interface SloBreachAlert {
  kind: 'slo.breach';
  productId: string;
  domain: string;
  port: string;
  contract: { id: string; version: string };
  slo: string;
  scope: string;
  /** The target as the contract declares it, e.g. `1 h`, and in base units. */
  declared: string;
  target: number;
  unit: string;
  measured: number | null;
  breachStartedAt: string;
  evidence: Record<string, unknown>;
}

interface DueDelivery {
  alert_id: string;
  webhook: string;
  attempts: number;
  payload: unknown;
}

const DISPATCH_MS = 1000;
const MAX_ATTEMPTS = 8;
/** A claimed delivery is retried by any replica after this, should its claimant die mid-request. */
const LEASE_MS = 30_000;
const TIMEOUT_MS = 5000;

/**
 * SLO breach alerts through an outbox: one alert per breach episode (the dedupe key is product, port,
 * SLO, scope and the episode, so re-evaluations and replicas never alert twice), one
 * delivery per configured webhook, retried with exponential backoff, claimed atomically so one
 * replica sends each attempt. Receivers get `X-Tessera-Alert-Id` to deduplicate on their side and,
 * with a secret configured, `X-Tessera-Signature: sha256=<HMAC of the body>`.
 */
@Injectable()
export class SloAlerts implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('SloAlerts');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly ds: DataSource,
    private readonly config: TesseraConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.alertWebhooks.length === 0) return;
    this.timer = setInterval(() => void this.dispatch(), DISPATCH_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Records the alert once per episode and queues its deliveries; resolves to whether it was new.
   * `episode` names the breach episode the same way on every replica (the last good evaluation).
   */
  async raise(alert: SloBreachAlert, episode: string): Promise<boolean> {
    const key = [alert.productId, alert.port, alert.slo, alert.scope, episode].join('|');
    const id = randomUUID();
    const created = await this.ds.transaction(async (m) => {
      const rows = await m.query<unknown[]>(
        `INSERT INTO tessera.slo_alerts (id, dedupe_key, product_id, port, slo, scope, breach_started, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
        [id, key, alert.productId, alert.port, alert.slo, alert.scope, alert.breachStartedAt, JSON.stringify({ id, ...alert })],
      );
      if (rows.length === 0) return false;
      if (this.config.alertWebhooks.length > 0) {
        await m.query(`INSERT INTO tessera.alert_deliveries (alert_id, webhook) SELECT $1, unnest($2::text[])`, [id, this.config.alertWebhooks]);
      }
      return true;
    });
    if (created) {
      this.logger.warn(`SLO breached: ${alert.productId}/${alert.port} ${alert.slo} (${alert.scope}) measured ${alert.measured ?? 'nothing'} against ${alert.declared}`);
      void this.dispatch();
    }
    return created;
  }

  /** Sends every due delivery once; overlapping calls share one run. */
  dispatch(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.sendDue()
      .catch((err: unknown) => this.logger.warn(`alert dispatch failed: ${(err as Error).message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async sendDue(): Promise<void> {
    const due = await this.ds.query<[DueDelivery[], number]>(
      `UPDATE tessera.alert_deliveries d SET next_attempt_at = now() + make_interval(secs => $1::double precision / 1000), attempts = d.attempts + 1
       FROM tessera.slo_alerts a
       WHERE a.id = d.alert_id AND (d.alert_id, d.webhook) IN (
         SELECT alert_id, webhook FROM tessera.alert_deliveries WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT 20 FOR UPDATE SKIP LOCKED)
       RETURNING d.alert_id, d.webhook, d.attempts, a.payload`,
      [LEASE_MS],
    );
    // TypeORM answers UPDATE ... RETURNING as [rows, affected count].
    await Promise.all(due[0].map((r) => this.deliver(r)));
  }

  private async deliver(r: DueDelivery): Promise<void> {
    const body = JSON.stringify(r.payload);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-tessera-alert-id': r.alert_id, 'x-tessera-attempt': String(r.attempts) };
    if (this.config.alertWebhookSecret) headers['x-tessera-signature'] = `sha256=${createHmac('sha256', this.config.alertWebhookSecret).update(body).digest('hex')}`;
    let error: string | null = null;
    try {
      const res = await fetch(r.webhook, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!res.ok) error = `HTTP ${res.status}`;
      await res.body?.cancel().catch(() => undefined);
    } catch (err) {
      error = (err as Error).message;
    }
    if (error === null) {
      await this.ds.query(`UPDATE tessera.alert_deliveries SET status = 'delivered', delivered_at = now(), last_error = NULL WHERE alert_id = $1 AND webhook = $2`, [r.alert_id, r.webhook]);
      return;
    }
    const final = r.attempts >= MAX_ATTEMPTS;
    const backoff = this.config.alertRetryBaseMs * 2 ** (r.attempts - 1);
    await this.ds.query(`UPDATE tessera.alert_deliveries SET status = $3, last_error = $4, next_attempt_at = now() + make_interval(secs => $5::double precision / 1000) WHERE alert_id = $1 AND webhook = $2`, [
      r.alert_id,
      r.webhook,
      final ? 'failed' : 'pending',
      error,
      backoff,
    ]);
    if (final) this.logger.error(`alert ${r.alert_id} to ${r.webhook} given up after ${r.attempts} attempts: ${error}`);
  }
}
