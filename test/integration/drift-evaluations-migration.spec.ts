import { DataSource } from 'typeorm';
import { ModelDriftEvaluations1764340400000 } from '../../migrations/1764340400000-model-drift-evaluations';
import { openDatabase } from '../../src/database';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * Migration 1764340400000 moves drift checks (stored as SLO evaluations of a made-up product
 * `model:<name>`) into tessera.model_drift_evaluations, and `down` puts them back.
 */
describe('migration: drift evaluations leave the SLO tables with their history', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const migration = new ModelDriftEvaluations1764340400000();

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDatabase(db.url);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('moves every drift row (and nothing else), keeping its values, and down() restores the old layout', async () => {
    const runner = ds.createQueryRunner();
    try {
      await migration.down(runner); // the layout before the migration
      expect(await runner.query(`SELECT to_regclass('tessera.model_drift_evaluations') AS t`)).toEqual([{ t: null }]);
      await runner.query(
        `INSERT INTO tessera.slo_evaluations (product_id, port, slo, scope, evaluated_at, status, measured, target, unit, evidence) VALUES
         ('model:risk', '1.0.0', 'drift', 'stats:conv_rate', '2026-01-01T00:00:00Z', 'met', 0.05, 0.2, 'psi', '{"declared": "PSI ≤ 0.2", "servingRows": 500}'),
         ('model:risk', '1.0.0', 'drift', 'stats:conv_rate', '2026-01-01T01:00:00Z', 'breached', 0.31, 0.2, 'psi', '{"declared": "PSI ≤ 0.2"}'),
         ('model:risk', '1.1.0', 'drift', 'output:probability', '2026-01-01T01:00:00Z', 'met', 0.01, 0.2, 'psi', '{}'),
         ('rides-driver-stats', 'hourly', 'latency', 'offline', '2026-01-01T01:00:00Z', 'met', 60, 3600, 'seconds', '{}')`,
      );

      await migration.up(runner);

      expect(await runner.query(`SELECT product_id, slo FROM tessera.slo_evaluations`)).toEqual([{ product_id: 'rides-driver-stats', slo: 'latency' }]);
      const moved = (await runner.query(`SELECT model, version, scope, evaluated_at, status, psi, threshold, evidence FROM tessera.model_drift_evaluations ORDER BY id`)) as Record<string, unknown>[];
      expect(moved).toEqual([
        {
          model: 'risk',
          version: '1.0.0',
          scope: 'stats:conv_rate',
          evaluated_at: new Date('2026-01-01T00:00:00Z'),
          status: 'met',
          psi: 0.05,
          threshold: 0.2,
          evidence: { declared: 'PSI ≤ 0.2', servingRows: 500 },
        },
        { model: 'risk', version: '1.0.0', scope: 'stats:conv_rate', evaluated_at: new Date('2026-01-01T01:00:00Z'), status: 'breached', psi: 0.31, threshold: 0.2, evidence: { declared: 'PSI ≤ 0.2' } },
        { model: 'risk', version: '1.1.0', scope: 'output:probability', evaluated_at: new Date('2026-01-01T01:00:00Z'), status: 'met', psi: 0.01, threshold: 0.2, evidence: {} },
      ]);

      await migration.down(runner);
      const back = (await runner.query(`SELECT product_id, port, slo, scope, status, measured, unit FROM tessera.slo_evaluations WHERE slo = 'drift' ORDER BY evaluated_at, port`)) as Record<string, unknown>[];
      expect(back).toEqual([
        { product_id: 'model:risk', port: '1.0.0', slo: 'drift', scope: 'stats:conv_rate', status: 'met', measured: 0.05, unit: 'psi' },
        { product_id: 'model:risk', port: '1.0.0', slo: 'drift', scope: 'stats:conv_rate', status: 'breached', measured: 0.31, unit: 'psi' },
        { product_id: 'model:risk', port: '1.1.0', slo: 'drift', scope: 'output:probability', status: 'met', measured: 0.01, unit: 'psi' },
      ]);
      await migration.up(runner); // leave the database as migrated
    } finally {
      await runner.release();
    }
  });
});
