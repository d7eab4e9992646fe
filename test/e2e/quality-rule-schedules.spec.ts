import { TesseraConfig } from '../../src/config/tessera-config';
import { createApp } from '../../src/create-app';
import { QualityScheduler } from '../../src/quality/quality-scheduler';
import { until } from '../support/local-processes';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A quality rule's own ODCS `schedule` (scheduler `cron` or unset) runs that rule on its cron only;
 * the other rules stay on TESSERA_QUALITY_SCHEDULE; one run per tick across replicas; the crons
 * follow applies; a cron that cannot run is refused at apply, naming the rule's schedule.
 */
const contract = (ruleSchedule: string | null) => `
apiVersion: v3.1.0
kind: DataContract
id: depot-stock-v1
version: 1.0.0
status: active
schema:
  - name: stock
    properties:
      - { name: item_id, logicalType: integer, required: true, primaryKey: true }
      - name: quantity
        logicalType: integer
        quality:
          - { metric: nullValues, mustBe: 0, severity: warning, description: on the global schedule }
          - { metric: nullValues, mustBe: 0, severity: warning, description: orchestrated elsewhere, scheduler: airflow, schedule: '@daily' }
    quality:
      - { metric: rowCount, mustBeGreaterThan: 0, severity: warning, description: own cron${ruleSchedule ? `, scheduler: cron, schedule: '${ruleSchedule}'` : ''} }
`;

const product = `
apiVersion: v1.0.0
kind: DataProduct
id: depot
name: Depot
domain: logistics
status: active
outputPorts:
  - { name: stock, version: 1.0.0, type: table, contractId: depot-stock-v1 }
`;

describe('quality rules on their own ODCS schedule', () => {
  let t: TestApp;
  // The global schedule fires once a year: every scheduled run seen here is a rule's own cron.
  const GLOBAL = '0 0 1 1 *';
  const apply = (schedule: string | null) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/contracts/apply',
      payload: {
        files: [
          { path: 'depot.odps.yaml', content: product },
          { path: 'stock.odcs.yaml', content: contract(schedule) },
        ],
      },
    });
  const scheduledRuns = async () =>
    t.dataSource.query<{ id: string; started_at: Date; rules: string[] }[]>(
      `SELECT r.id, r.started_at, array_agg(q.description ORDER BY q.ordinal) AS rules
         FROM tessera.quality_runs r JOIN tessera.quality_results q ON q.run_id = r.id
        WHERE r.product_id = 'depot' AND r.trigger = 'schedule' GROUP BY r.id, r.started_at ORDER BY r.started_at`,
    );

  beforeAll(async () => {
    t = await startTestApp({ TESSERA_QUALITY_SCHEDULE: GLOBAL, TESSERA_REDIS_PREFIX: 't:quality-schedules:' });
    expect((await apply(null)).statusCode).toBe(200);
    const ingested = await t.app.inject({
      method: 'POST',
      url: '/v1/data-products/depot/ports/stock/rows',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: '{"item_id":1,"quantity":4}\n{"item_id":2,"quantity":null}\n',
    });
    expect(ingested.statusCode).toBe(200);
  });
  afterAll(() => t.close());

  it('refuses at apply a schedule that is not a cron, naming the rule, and changes nothing', async () => {
    const res = await apply('every hour');
    expect(res.statusCode).toBe(422);
    expect(JSON.stringify(res.json())).toMatch(/schema\[0\]\.quality\[0\]\.schedule/);
    expect(JSON.stringify(res.json())).toMatch(/is not a cron expression/);
    expect(t.app.get(QualityScheduler).ruleSchedules()).toEqual([]);
  });

  it('runs only the rule with its own cron on that cron, once per tick across replicas, until the schedule is removed', async () => {
    const scheduler = t.app.get(QualityScheduler);
    expect(scheduler.pattern).toBe(GLOBAL);
    expect((await apply('* * * * * *')).statusCode).toBe(200); // every second
    await until('the rule cron to start on this replica', () => scheduler.ruleSchedules().includes('* * * * * *'), 10_000, 50);
    // A second replica on the same database runs the same cron from its start.
    const config = TesseraConfig.fromEnv({ DATABASE_URL: t.db.url, TESSERA_APPLY_ON_START: 'false', TESSERA_QUALITY_SCHEDULE: GLOBAL, TESSERA_REDIS_PREFIX: 't:quality-schedules:' });
    const other = await createApp(config, t.dataSource, { logger: false });
    try {
      await until('the rule cron on the second replica', () => other.get(QualityScheduler).ruleSchedules().includes('* * * * * *'), 10_000, 50);
      await until('three scheduled runs', async () => (await scheduledRuns()).length >= 3, 15_000, 100);
    } finally {
      await other.close();
    }
    const runs = await scheduledRuns();
    // Each run holds the own-cron rule only: neither the global one nor the one another scheduler runs.
    for (const r of runs) expect(r.rules).toEqual(['own cron']);
    // One run per tick (second) although two replicas ran the cron.
    const seconds = runs.map((r) => Math.floor(r.started_at.getTime() / 1000));
    const perSecond = new Map<number, number>();
    for (const s of seconds) perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(1);

    // The global tick runs the other two rules, not the own-cron one.
    const global = await scheduler.tick(new Date(Math.floor(Date.now() / 60_000) * 60_000));
    expect(global.map((r) => r.results.map((x) => x.description).sort())).toEqual([['on the global schedule', 'orchestrated elsewhere']]);

    // Without the schedule, the cron stops (this replica follows the apply) and no run is added.
    expect((await apply(null)).statusCode).toBe(200);
    await until('the rule cron to stop', () => scheduler.ruleSchedules().length === 0, 10_000, 50);
    await new Promise((r) => setTimeout(r, 1200)); // a tick in flight finishes
    const before = (await scheduledRuns()).length;
    await new Promise((r) => setTimeout(r, 1500));
    expect((await scheduledRuns()).length).toBe(before);
  });
});
