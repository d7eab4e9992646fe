import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The prediction log (ADR 0012): sampled scored rows written in batches off the hot path, read back
 * by model and time range for monitoring and the next training set; plus the per-model sample rate.
 */
export class PredictionLog1764339300000 implements MigrationInterface {
  name = 'PredictionLog1764339300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tessera.prediction_log (
        id          bigserial PRIMARY KEY,
        request_id  text NOT NULL,
        model       text NOT NULL,
        version     text NOT NULL,
        role        text NOT NULL CHECK (role IN ('production', 'canary', 'shadow')),
        entity      jsonb NOT NULL DEFAULT '{}',
        features    jsonb NOT NULL DEFAULT '{}',
        statuses    jsonb NOT NULL DEFAULT '{}',
        outputs     jsonb NOT NULL DEFAULT '{}',
        rejected    text,
        latency_ms  double precision NOT NULL,
        at          timestamptz NOT NULL
      )`);
    // Every read is "one model, a time range, in time order"; id breaks ties for keyset paging.
    await q.query(`CREATE INDEX prediction_log_model_at ON tessera.prediction_log (model, at, id)`);
    await q.query(`CREATE INDEX prediction_log_request ON tessera.prediction_log (request_id)`);
    await q.query(`
      CREATE TABLE tessera.prediction_log_settings (
        model        text PRIMARY KEY,
        sample_rate  double precision NOT NULL CHECK (sample_rate >= 0 AND sample_rate <= 1),
        updated_by   text NOT NULL,
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS tessera.prediction_log_settings`);
    await q.query(`DROP TABLE IF EXISTS tessera.prediction_log`);
  }
}
