import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Measured SLOs (issue 6): what they are measured from (loads, reads), every evaluation (the history
 * error budgets are computed from), and alerts with their webhook deliveries (an outbox: retried,
 * one alert per breach episode).
 */
export class Slo1764339600000 implements MigrationInterface {
  name = 'Slo1764339600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tessera.port_loads (
        id          bigserial   PRIMARY KEY,
        product_id  text        NOT NULL,
        port        text        NOT NULL,
        loaded_at   timestamptz NOT NULL DEFAULT now(),
        rows        int         NOT NULL,
        inserted    int         NOT NULL,
        via         text        NOT NULL CHECK (via IN ('ingest', 'push'))
      )`);
    await q.query(`CREATE INDEX port_loads_by_port ON tessera.port_loads (product_id, port, loaded_at DESC)`);
    await q.query(`
      CREATE TABLE tessera.table_reads (
        table_name  text        NOT NULL,
        minute      timestamptz NOT NULL,
        ok          bigint      NOT NULL DEFAULT 0,
        failed      bigint      NOT NULL DEFAULT 0,
        PRIMARY KEY (table_name, minute)
      )`);
    await q.query(`
      CREATE TABLE tessera.slo_evaluations (
        id            bigserial   PRIMARY KEY,
        product_id    text        NOT NULL,
        port          text        NOT NULL,
        slo           text        NOT NULL,
        scope         text        NOT NULL,
        evaluated_at  timestamptz NOT NULL DEFAULT now(),
        status        text        NOT NULL CHECK (status IN ('met', 'at_risk', 'breached')),
        measured      double precision,
        target        double precision NOT NULL,
        unit          text        NOT NULL,
        evidence      jsonb       NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX slo_evaluations_by_slo ON tessera.slo_evaluations (product_id, port, slo, scope, evaluated_at DESC)`);
    await q.query(`
      CREATE TABLE tessera.slo_alerts (
        id             uuid        PRIMARY KEY,
        dedupe_key     text        NOT NULL UNIQUE,
        product_id     text        NOT NULL,
        port           text        NOT NULL,
        slo            text        NOT NULL,
        scope          text        NOT NULL,
        breach_started timestamptz NOT NULL,
        payload        jsonb       NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE tessera.alert_deliveries (
        alert_id        uuid        NOT NULL REFERENCES tessera.slo_alerts(id) ON DELETE CASCADE,
        webhook         text        NOT NULL,
        status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts        int         NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error      text,
        delivered_at    timestamptz,
        PRIMARY KEY (alert_id, webhook)
      )`);
    await q.query(`CREATE INDEX alert_deliveries_due ON tessera.alert_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`
      CREATE TABLE tessera.slo_schedule_claims (
        tick_at     timestamptz PRIMARY KEY,
        claimed_by  text        NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['slo_schedule_claims', 'alert_deliveries', 'slo_alerts', 'slo_evaluations', 'table_reads', 'port_loads']) await q.query(`DROP TABLE IF EXISTS tessera.${t}`);
  }
}
