import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Model drift gets its own table (ADR 0021). Drift checks used to be stored as SLO evaluations of a
 * made-up product `model:<name>` (port = version, slo `drift`); they move here, with their history,
 * and the SLO tables hold data products' SLOs only. Alerts stay in the SLO alert outbox (one delivery
 * mechanism), with the payload webhooks already receive.
 */
export class ModelDriftEvaluations1764340400000 implements MigrationInterface {
  name = 'ModelDriftEvaluations1764340400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tessera.model_drift_evaluations (
        id            bigserial   PRIMARY KEY,
        model         text        NOT NULL,
        version       text        NOT NULL,
        scope         text        NOT NULL,
        evaluated_at  timestamptz NOT NULL DEFAULT now(),
        status        text        NOT NULL CHECK (status IN ('met', 'breached')),
        psi           double precision,
        threshold     double precision NOT NULL,
        evidence      jsonb       NOT NULL DEFAULT '{}'
      )`);
    await q.query(`COMMENT ON COLUMN tessera.model_drift_evaluations.scope IS 'view:feature, or output:<name> for prediction drift'`);
    await q.query(`CREATE INDEX model_drift_evaluations_by_scope ON tessera.model_drift_evaluations (model, version, scope, evaluated_at DESC)`);
    await q.query(`
      INSERT INTO tessera.model_drift_evaluations (model, version, scope, evaluated_at, status, psi, threshold, evidence)
      SELECT substr(product_id, length('model:') + 1), port, scope, evaluated_at, status, measured, target, evidence
        FROM tessera.slo_evaluations WHERE slo = 'drift' AND product_id LIKE 'model:%' ORDER BY id`);
    await q.query(`DELETE FROM tessera.slo_evaluations WHERE slo = 'drift' AND product_id LIKE 'model:%'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO tessera.slo_evaluations (product_id, port, slo, scope, evaluated_at, status, measured, target, unit, evidence)
      SELECT 'model:' || model, version, 'drift', scope, evaluated_at, status, psi, threshold, 'psi', evidence
        FROM tessera.model_drift_evaluations ORDER BY id`);
    await q.query(`DROP TABLE tessera.model_drift_evaluations`);
  }
}
