import { readContractDirectory } from '../../src/catalog/apply/read-contract-directory';
import { MetricsService } from '../../src/observability/metrics/metrics.service';
import { QualityResultsRepository } from '../../src/quality/quality-results.repository';
import { QualityScheduler } from '../../src/quality/quality-scheduler';
import { startTestApp, TestApp } from '../support/test-app';

const ordersContract = `
apiVersion: v3.1.0
kind: DataContract
id: shop-orders-v1
version: 1.0.0
status: active
schema:
  - name: orders
    properties:
      - { name: order_id, logicalType: integer, required: true, primaryKey: true }
      - name: status
        logicalType: string
        quality:
          - { metric: nullValues, mustBe: 0, severity: error, dimension: completeness }
          - { metric: invalidValues, arguments: { validValues: [open, paid, shipped] }, mustBeLessOrEqualTo: 50, unit: percent, severity: warning }
      - { name: amount, logicalType: number }
    quality:
      - type: sql
        description: Amounts are never negative.
        query: SELECT COUNT(*) FROM \${table} WHERE amount < 0
        mustBe: 0
        severity: error
      - { metric: rowCount, mustBeLessThan: 3, severity: warning, description: A small shop. }
      - { metric: duplicateValues, arguments: { properties: [status, amount] }, mustBeLessOrEqualTo: 1, severity: warning }
`;

/** Rules that try to write, escape the transaction or reach outside: the PostgreSQL parser refuses them at apply. */
const auditContract = `
apiVersion: v3.1.0
kind: DataContract
id: shop-audit-v1
version: 1.0.0
status: active
schema:
  - name: audit
    properties:
      - { name: id, logicalType: integer, required: true, primaryKey: true }
      - { name: note, logicalType: string }
    quality:
      - { type: sql, description: plain update, query: "UPDATE \${table} SET note = 'pwned'", mustBe: 0, severity: warning }
      - { type: sql, description: update in a CTE, query: "WITH u AS (UPDATE \${table} SET note = 'pwned' RETURNING 1) SELECT count(*) FROM u", mustBe: 0, severity: warning }
      - { type: sql, description: sequence bump, query: "SELECT nextval('public.quality_probe')", mustBe: 0, severity: warning }
      - { type: sql, description: transactional side effect, query: "SELECT count(*) FROM (SELECT lo_create(0)) AS w", mustBe: 0, severity: warning }
      - { type: sql, description: smuggled commit, query: "SELECT 1; COMMIT; UPDATE \${table} SET note = 'pwned'", mustBe: 0, severity: warning }
      - { type: sql, description: slow, query: "SELECT count(*) FROM (SELECT pg_sleep(5)) AS s", mustBe: 1, severity: warning }
      - { type: sql, description: unqualified catalog table, query: "SELECT count(*) FROM data_products", mustBe: 0, severity: warning }
      - { type: sql, description: fine, query: "SELECT count(*) FROM {object} WHERE note IS NULL", mustBe: 0, severity: warning }
`;

/** Rules the parser lets through that fail or are contained at run time: each ends as that rule's error, quoting no value. */
const runtimeContract = `
apiVersion: v3.1.0
kind: DataContract
id: shop-runtime-v1
version: 1.0.0
status: active
schema:
  - name: runtime
    properties:
      - { name: id, logicalType: integer, required: true, primaryKey: true }
      - { name: note, logicalType: string }
    quality:
      - { type: sql, description: slow, query: "SELECT count(*) FROM generate_series(1, 2000000000) AS g", mustBe: 1, severity: warning }
      - { type: sql, description: a value that does not cast, query: "SELECT max(note::int) FROM \${table}", mustBe: 0, severity: warning }
      - { type: sql, description: a text result, query: "SELECT max(note) FROM \${table}", mustBe: 0, severity: warning }
      - { type: sql, description: runs as the domain role, query: "SELECT current_user <> session_user", mustBe: true, severity: warning }
      - { type: sql, description: that role cannot read the service tables, query: "SELECT has_table_privilege('tessera.api_keys', 'SELECT')", mustBe: false, severity: warning }
      - { type: sql, description: fine, query: "SELECT count(*) FROM {object} WHERE note IS NULL", mustBe: 0, severity: warning }
`;

/** A blocking rule that cannot be evaluated: fail closed. */
const brokenContract = `
apiVersion: v3.1.0
kind: DataContract
id: shop-broken-v1
version: 1.0.0
status: active
schema:
  - name: broken
    properties:
      - { name: id, logicalType: integer, required: true, primaryKey: true }
    quality:
      - { type: sql, query: "SELECT count(*) FROM \${table} WHERE nope > 0", mustBe: 0, severity: error }
`;

const shopProduct = `
apiVersion: v1.0.0
kind: DataProduct
id: shop
name: Shop
domain: retail
status: active
outputPorts:
  - { name: orders, version: 1.0.0, type: table, contractId: shop-orders-v1 }
  - { name: runtime, version: 1.0.0, type: table, contractId: shop-runtime-v1 }
  - { name: broken, version: 1.0.0, type: table, contractId: shop-broken-v1 }
`;

const ndjson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

interface RunView {
  trigger: string;
  outcome: string;
  ingestAccepted: boolean | null;
  results: { path: string; status: string; measured: number | null; message: string; blocking: boolean }[];
}
const RUN_FIELDS = 'id trigger outcome ingestAccepted contractId contractVersion results { path element kind metric status measured message blocking severity }';

describe('data quality rules (ODCS quality) on ingest, on schedule and on request', () => {
  let t: TestApp;
  const ingest = (product: string, port: string, rows: unknown[]) =>
    t.app.inject({ method: 'POST', url: `/v1/data-products/${product}/ports/${port}/rows`, headers: { 'content-type': 'application/x-ndjson' }, payload: ndjson(rows) });
  const count = async (table: string): Promise<number> => Number((await t.dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);
  const runs = async (product: string, port: string): Promise<RunView[]> => {
    const r = await t.gql<{ qualityRuns: RunView[] }>(`query($p: String!, $port: String!) { qualityRuns(productId: $p, port: $port, first: 20) { ${RUN_FIELDS} } }`, { p: product, port });
    expect(r.errors).toBeUndefined();
    return r.data!.qualityRuns;
  };

  beforeAll(async () => {
    t = await startTestApp({ TESSERA_QUALITY_SCHEDULE: 'off', TESSERA_QUALITY_TIMEOUT_MS: '1000', TESSERA_REDIS_PREFIX: 't:data-quality:' });
    const files = [
      { path: 'shop.odps.yaml', content: shopProduct },
      { path: 'orders.odcs.yaml', content: ordersContract },
      { path: 'runtime.odcs.yaml', content: runtimeContract },
      { path: 'broken.odcs.yaml', content: brokenContract },
    ];
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files } });
    expect(res.statusCode).toBe(200);
  });
  afterAll(() => t.close());

  it('rejects a batch failing a blocking rule: 422 naming the rule, nothing stored, the run recorded', async () => {
    const res = await ingest('shop', 'orders', [
      { order_id: 1, status: 'open', amount: 10 },
      { order_id: 2, status: null, amount: 5 },
    ]);
    expect(res.statusCode).toBe(422);
    const body = res.json().error;
    expect(body.code).toBe('QUALITY_RULE_FAILED');
    expect(body.message).toMatch(/schema\[0\]\.properties\[1\]\.quality\[0\] \(nullValues\).*nothing was stored/);
    expect(body.details.total).toBe(1);
    expect(body.details.errors[0]).toMatchObject({
      row: null,
      field: 'orders.status',
      rule: 'schema[0].properties[1].quality[0]',
      metric: 'nullValues',
      severity: 'error',
      status: 'failed',
      measured: 1,
      expected: { mustBe: 0, unit: 'rows' },
    });
    expect(await count('dom_retail.shop__orders__v1')).toBe(0);

    const [run] = await runs('shop', 'orders');
    expect(run).toMatchObject({ trigger: 'ingest', outcome: 'failed', ingestAccepted: false });
    expect(run.results.find((r) => r.path === 'schema[0].properties[1].quality[0]')).toMatchObject({ status: 'failed', measured: 1, blocking: true });
    expect(body.details.qualityRun).toBe((await t.app.get(QualityResultsRepository).latestRun('shop', 'orders'))!.id);
  });

  it('rejects on a blocking sql rule too, and stores nothing of the batch', async () => {
    const res = await ingest('shop', 'orders', [{ order_id: 3, status: 'open', amount: -1 }]);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.errors[0]).toMatchObject({ rule: 'schema[0].quality[0]', description: 'Amounts are never negative.', measured: 1, status: 'failed' });
    expect(await count('dom_retail.shop__orders__v1')).toBe(0);
  });

  it('rejects a batch when a blocking rule cannot be evaluated (fail closed)', async () => {
    const res = await ingest('shop', 'broken', [{ id: 1 }]);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.errors[0]).toMatchObject({ rule: 'schema[0].quality[0]', status: 'error', measured: null, reason: 'sql rule failed: SQLSTATE 42703, undefined column' });
    expect(await count('dom_retail.shop__broken__v1')).toBe(0);
    expect((await runs('shop', 'broken'))[0]).toMatchObject({ outcome: 'failed', ingestAccepted: false });
  });

  it('stores a batch that only fails warning rules, and says which rules warned', async () => {
    const res = await ingest('shop', 'orders', [
      { order_id: 1, status: 'open', amount: 10 },
      { order_id: 2, status: 'lost', amount: 10 },
      { order_id: 3, status: 'lost', amount: 10 },
    ]);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.inserted).toBe(3);
    expect(body.quality.outcome).toBe('warned');
    // rowCount 3 is not < 3; invalid status 2 of 3 rows = 66.7 % > 50 %; (lost, 10) appears twice: 1 surplus copy (<= 1 passes)
    expect(body.quality.warnings.map((w: { rule: string; metric: string }) => `${w.rule} ${w.metric}`).sort()).toEqual(['schema[0].properties[1].quality[1] invalidValues', 'schema[0].quality[1] rowCount']);
    const invalid = body.quality.warnings.find((w: { metric: string }) => w.metric === 'invalidValues');
    expect(invalid.measured).toBeCloseTo(66.6667, 3);
    expect(await count('dom_retail.shop__orders__v1')).toBe(3);
    const [run] = await runs('shop', 'orders');
    expect(run).toMatchObject({ trigger: 'ingest', outcome: 'warned', ingestAccepted: true });
    expect(run.results.find((r) => r.path === 'schema[0].quality[2]')).toMatchObject({ status: 'passed', measured: 1 });
  });

  it('does not run the rules again when a batch stores nothing new', async () => {
    const before = (await runs('shop', 'orders')).length;
    const res = await ingest('shop', 'orders', [{ order_id: 1, status: 'open', amount: 10 }]);
    expect(res.json()).toMatchObject({ inserted: 0, duplicates: 1 });
    expect((await runs('shop', 'orders')).length).toBe(before);
  });

  it('refuses at apply rules that write, escape the transaction or reach outside the domain, naming each rule', async () => {
    const product = shopProduct.replace('id: shop', 'id: shop-audit').replace(/outputPorts:[\s\S]*/, 'outputPorts:\n  - { name: audit, version: 1.0.0, type: table, contractId: shop-audit-v1 }\n');
    const files = [
      { path: 'audit.odps.yaml', content: product },
      { path: 'audit.odcs.yaml', content: auditContract },
    ];
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files } });
    expect(res.statusCode).toBe(422);
    const errors = res.json().error.details.errors as { file: string; path: string; message: string }[];
    expect(errors.map((e) => [e.file, e.path, e.message])).toEqual([
      ['audit.odcs.yaml', 'schema[0].quality[0].query', expect.stringMatching(/^sql rule refused: the query does not parse: syntax error/)],
      ['audit.odcs.yaml', 'schema[0].quality[1].query', 'sql rule refused: data-modifying statements are not allowed'],
      ['audit.odcs.yaml', 'schema[0].quality[2].query', expect.stringMatching(/^sql rule refused: function nextval:/)],
      ['audit.odcs.yaml', 'schema[0].quality[3].query', expect.stringMatching(/^sql rule refused: function lo_create:/)],
      ['audit.odcs.yaml', 'schema[0].quality[4].query', 'sql rule refused: the query must be a single statement (no ;)'],
      ['audit.odcs.yaml', 'schema[0].quality[5].query', expect.stringMatching(/^sql rule refused: function pg_sleep:/)],
      ['audit.odcs.yaml', 'schema[0].quality[6].query', expect.stringMatching(/^sql rule refused: relation data_products: unqualified names resolve to the system catalog/)],
    ]);
    expect(await t.dataSource.query(`SELECT 1 FROM tessera.data_contracts WHERE id = 'shop-audit-v1'`)).toEqual([]);
    expect(await t.dataSource.query(`SELECT 1 FROM tessera.offline_tables WHERE product_id = 'shop-audit'`)).toEqual([]);
    // Before any port stores the contract its rules run nowhere: the same reasons come back as warnings.
    const alone = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: [files[1]], dryRun: true } });
    expect(alone.statusCode).toBe(200);
    expect(alone.json().warnings.filter((w: { message: string }) => w.message.startsWith('sql rule will be refused when a port stores this contract: '))).toHaveLength(7);
  });

  it('turns rules that fail, hang or return the wrong thing into rule errors quoting no value, run as the domain role', async () => {
    expect((await ingest('shop', 'runtime', [{ id: 1, note: 'hello' }])).statusCode).toBe(200); // warnings only
    const r = await t.gql<{ runQualityChecks: RunView }>(`mutation { runQualityChecks(productId: "shop", port: "runtime") { ${RUN_FIELDS} } }`);
    expect(r.errors).toBeUndefined();
    const run = r.data!.runQualityChecks;
    expect(run).toMatchObject({ trigger: 'api', outcome: 'warned', ingestAccepted: null });
    expect(run.results.map((x) => [x.status, x.measured, x.message])).toEqual([
      ['error', null, 'sql rule failed: SQLSTATE 57014, canceled: the statement timeout was reached'],
      ['error', null, 'sql rule failed: SQLSTATE 22P02, data exception (a value the expression cannot handle)'],
      ['error', null, 'sql rule failed: the query must return a number or a boolean (got another type)'],
      ['passed', 1, 'query measured true, expected = true'],
      ['error', null, "sql rule failed: SQLSTATE 42501, insufficient privilege: the domain's role may read only its own domain's schema"],
      ['passed', 0, 'query measured 0, expected = 0'],
    ]);
    expect(JSON.stringify(run)).not.toContain('hello');
    expect(await t.dataSource.query(`SELECT id::int, note FROM dom_retail.shop__runtime__v1`)).toEqual([{ id: 1, note: 'hello' }]);
  });

  it('runs every port on a scheduled tick once across replicas, and latestRun serves the SLO work', async () => {
    const scheduler = t.app.get(QualityScheduler);
    expect(scheduler.pattern).toBeNull(); // TESSERA_QUALITY_SCHEDULE=off
    const tick = new Date(Math.floor(Date.now() / 3600_000) * 3600_000 + 400); // this hour's tick (older claims are pruned)
    const made = await scheduler.tick(tick);
    expect(made.map((m) => `${m.productId}/${m.port}`).sort()).toEqual(['shop/broken', 'shop/orders', 'shop/runtime']);
    expect(await scheduler.tick(tick)).toEqual([]); // the same tick, claimed already (another replica)
    const latest = await t.app.get(QualityResultsRepository).latestRun('shop', 'orders');
    expect(latest).toMatchObject({ trigger: 'schedule', outcome: 'warned', contractId: 'shop-orders-v1', contractVersion: '1.0.0', failedCount: 2, passedCount: 3, errorCount: 0 });
    expect(latest!.results).toHaveLength(5);
    const metrics = await t.app.get(MetricsService).registry.getSingleMetricAsString('tessera_quality_rule_results_total');
    expect(metrics).toMatch(/tessera_quality_rule_results_total\{product="shop",port="orders",outcome="failed"\} \d+/);
  });

  it('answers 404 for a port without a table and refuses silly page sizes', async () => {
    const r = await t.gql('mutation { runQualityChecks(productId: "shop", port: "nope") { id } }');
    expect(r.errors![0].extensions!.code).toBe('NOT_FOUND');
    const p = await t.gql('{ qualityRuns(productId: "shop", port: "orders", first: 0) { id } }');
    expect(p.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });

  it("evaluates every rule of the example mesh's contracts without errors on valid example rows", async () => {
    const files = readContractDirectory('contracts');
    const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files } });
    expect(applied.statusCode).toBe(200);
    const ts = (h: number) => `2025-06-01T${String(h).padStart(2, '0')}:00:00Z`;
    const batches: [string, string, Record<string, unknown>[]][] = [
      [
        'rides-drivers',
        'profiles',
        [1001, 1002].map((id) => ({
          driver_id: id,
          full_name: `Driver ${id}`,
          email: `d${id}@example.com`,
          phone: '+351912345678',
          city: 'lisbon',
          vehicle_class: 'economy',
          status: 'active',
          onboarded_at: ts(1),
          updated_at: ts(2),
        })),
      ],
      [
        'rides-trips',
        'trips',
        [1001, 1002].map((id, i) => ({
          trip_id: `0000000${i}-0000-4000-8000-000000000000`,
          driver_id: id,
          rider_id: 7,
          city: 'lisbon',
          pickup_zone: '87283472bffffff',
          dropoff_zone: '87283472affffff',
          status: 'completed',
          requested_at: ts(3),
          pickup_at: ts(4),
          dropoff_at: ts(5),
          distance_km: 5.2,
          fare_amount: 11.3,
          currency: 'EUR',
        })),
      ],
      ['rides-driver-stats', 'hourly', [1001, 1002].map((id) => ({ driver_id: id, event_timestamp: ts(10), created: ts(11), conv_rate: 0.5, acc_rate: 0.9, avg_daily_trips: 12 }))],
      [
        'payments-transactions',
        'transactions',
        [
          {
            transaction_id: '10000000-0000-4000-8000-000000000000',
            trip_id: '00000000-0000-4000-8000-000000000000',
            rider_id: 7,
            driver_id: 1001,
            amount: 11.3,
            currency: 'EUR',
            status: 'captured',
            payment_method: 'card',
            card_brand: 'visa',
            card_last4: '4242',
            card_holder_name: 'A Rider',
            billing_email: 'r@example.com',
            created_at: ts(5),
            updated_at: ts(6),
          },
          {
            transaction_id: '20000000-0000-4000-8000-000000000000',
            trip_id: '00000001-0000-4000-8000-000000000000',
            rider_id: 8,
            driver_id: 1002,
            amount: 9,
            currency: 'EUR',
            status: 'captured',
            payment_method: 'cash',
            billing_email: 'c@example.com',
            created_at: ts(5),
            updated_at: ts(6),
          },
        ],
      ],
      [
        'payments-driver-activity',
        'daily',
        [1001, 1002].map((id) => ({ driver_id: id, event_timestamp: ts(23), created: ts(23), txn_count: 3, gross_amount_usd: 42.5, declined_rate: 0.1, refund_rate: 0, chargeback_count: 0 })),
      ],
      [
        'risk-driver-features',
        'driver-risk',
        [1001, 1002].map((id) => ({ driver_id: id, event_timestamp: ts(12), conv_rate: 0.5, acc_rate: 0.9, avg_daily_trips: 12, declined_rate: 0.1, refund_rate: 0, chargeback_count: 0 })),
      ],
    ];
    let rules = 0;
    for (const [product, port, rows] of batches) {
      const res = await ingest(product, port, rows);
      expect([product, port, res.statusCode, res.json().quality?.outcome ?? res.body]).toEqual([product, port, 200, 'passed']);
      const [run] = await runs(product, port);
      expect(run.results.filter((r) => r.status === 'error')).toEqual([]);
      rules += run.results.filter((r) => r.status === 'passed').length;
    }
    expect(rules).toBeGreaterThanOrEqual(15);
  });
});
