import { startTestApp, TestApp } from '../support/test-app';

/** The same table twice: `checked` carries the rules of the example hourly statistics (and more), `plain` none. */
const contract = (id: string, name: string, rules: boolean) => `
apiVersion: v3.1.0
kind: DataContract
id: ${id}
version: 1.0.0
status: active
schema:
  - name: ${name}
    properties:
      - name: driver_id
        logicalType: integer
        required: true
${rules ? '        quality: [{ metric: nullValues, mustBe: 0, severity: error }]' : ''}
      - { name: event_timestamp, logicalType: timestamp, required: true }
      - { name: created, logicalType: timestamp, required: true }
      - { name: conv_rate, logicalType: number }
      - name: city
        logicalType: string
${rules ? "        quality: [{ metric: invalidValues, arguments: { pattern: '^[a-z]+$' }, mustBe: 0, severity: error }, { metric: missingValues, arguments: { missingValues: [null, '', 'n/a'] }, mustBeLessThan: 1, unit: percent, severity: warning }]" : ''}
${
  rules
    ? `    quality:
      - { metric: duplicateValues, arguments: { properties: [driver_id, event_timestamp, created] }, mustBe: 0, severity: error }
      - { metric: rowCount, mustBeGreaterThan: 0, severity: warning }
      - { type: sql, query: 'SELECT COUNT(*) FROM \${table} WHERE conv_rate NOT BETWEEN 0 AND 1', mustBe: 0, severity: error }`
    : ''
}
`;

const product = `
apiVersion: v1.0.0
kind: DataProduct
id: dqcost
name: Quality cost
domain: perf
status: active
outputPorts:
  - { name: checked, version: 1.0.0, type: table, contractId: dqcost-checked-v1 }
  - { name: plain, version: 1.0.0, type: table, contractId: dqcost-plain-v1 }
`;

const ROWS = 100_000;
const BATCH = 1_000;

function rows(from: number, count: number): string {
  let out = '';
  for (let i = from; i < from + count; i++) {
    out += `{"driver_id":${(i % 5000) + 1},"event_timestamp":"2025-06-01T00:00:00Z","created":"${new Date(Date.UTC(2025, 5, 1) + i * 1000).toISOString()}","conv_rate":${(i % 100) / 100},"city":"${['lisbon', 'berlin', 'paris'][i % 3]}"}\n`;
  }
  return out;
}

/**
 * What the quality rules cost on the ingest path (reported in ADR 0013): a 100k-row load and a 1k-row
 * batch into the 100k-row table, with the rules and without. Bounds are loose (shared CI cores);
 * the figures are printed.
 */
describe('data quality: cost on the ingest path', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TESSERA_BODY_LIMIT_BYTES: String(64 * 1024 * 1024), TESSERA_QUALITY_SCHEDULE: 'off', TESSERA_REDIS_PREFIX: 't:data-quality-cost:' });
    const files = [
      { path: 'p.odps.yaml', content: product },
      { path: 'c.odcs.yaml', content: contract('dqcost-checked-v1', 'checked', true) },
      { path: 'p2.odcs.yaml', content: contract('dqcost-plain-v1', 'plain', false) },
    ];
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files } });
    expect(res.statusCode).toBe(200);
  }, 120_000);
  afterAll(() => t.close());

  const timed = async (port: string, body: string) => {
    const start = performance.now();
    const res = await t.app.inject({ method: 'POST', url: `/v1/data-products/dqcost/ports/${port}/rows`, headers: { 'content-type': 'application/x-ndjson' }, payload: body });
    const ms = performance.now() - start;
    expect(res.statusCode).toBe(200);
    return { ms, body: res.json() };
  };

  it(`ingests ${ROWS} rows and then ${BATCH}-row batches with and without rules`, async () => {
    const big = rows(0, ROWS);
    // Rules first, so warm-up favours the plain load if anything.
    const checkedBig = await timed('checked', big);
    const plainBig = await timed('plain', big);
    expect(checkedBig.body.quality).toMatchObject({ outcome: 'passed', rules: 6, warnings: [] });
    const plainSmall: number[] = [];
    const checkedSmall: number[] = [];
    for (let i = 0; i < 3; i++) {
      const batch = rows(ROWS + i * BATCH, BATCH);
      plainSmall.push((await timed('plain', batch)).ms);
      checkedSmall.push((await timed('checked', batch)).ms);
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[1];
    const api = performance.now();
    const run = await t.gql<{ runQualityChecks: { outcome: string; results: { status: string }[] } }>('mutation { runQualityChecks(productId: "dqcost", port: "checked") { outcome results { status } } }');
    const apiMs = performance.now() - api;
    expect(run.data!.runQualityChecks.outcome).toBe('passed');
    // Time spent evaluating inside each ingest transaction (run start to record), oldest first.
    const recorded = await t.dataSource.query<{ trigger: string; ms: number }[]>(
      `SELECT trigger, extract(epoch FROM finished_at - started_at) * 1000 AS ms FROM tessera.quality_runs WHERE product_id = 'dqcost' ORDER BY started_at`,
    );
    expect(recorded.map((r) => r.trigger)).toEqual(['ingest', 'ingest', 'ingest', 'ingest', 'api']);
    console.log(`  rule evaluation per run (ms): ${recorded.map((r) => `${r.trigger} ${Number(r.ms).toFixed(0)}`).join(', ')}`);
    console.log(
      `data quality cost, 6 rules (1 aggregate scan, 1 GROUP BY of 3 columns, 1 sql rule):\n` +
        `  ${ROWS}-row ingest: ${plainBig.ms.toFixed(0)} ms without rules, ${checkedBig.ms.toFixed(0)} ms with (+${(checkedBig.ms - plainBig.ms).toFixed(0)} ms)\n` +
        `  ${BATCH}-row batch into ${ROWS / 1000}k rows (median of 3): ${median(plainSmall).toFixed(0)} ms without, ${median(checkedSmall).toFixed(0)} ms with (+${(median(checkedSmall) - median(plainSmall)).toFixed(0)} ms)\n` +
        `  runQualityChecks over ${(ROWS + 3 * BATCH) / 1000}k rows: ${apiMs.toFixed(0)} ms`,
    );
    // Loose: the rules may cost, but not more than the load itself several times over.
    expect(median(checkedSmall)).toBeLessThan(median(plainSmall) + 5_000);
  }, 300_000);
});
