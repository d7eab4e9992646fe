import '../support/scoring-ort-realm';
import { domainRoleName } from '../../src/features/offline/domain-roles';
import { OfflineTablesQuery } from '../../src/features/offline/offline-tables.query';
import { fitLogisticRegression } from '../../src/scoring/training/fit-logistic-regression';
import { AUTH, startPredictApp } from '../fixtures/models/scoring-predict';
import type { TestApp } from '../support/test-app';

/**
 * Federated training (issue 14 point 3, ADR 0033): two domains keep labelled rows in their own data
 * products; the coordinator sees only per-domain aggregates, computed as each domain's role. The
 * result must equal centralized full-batch gradient descent on the union of the rows, computed here
 * by an independent reference, and register as a model version listing domains and row counts.
 */
const product = (id: string, domain: string, contract: string) => `
apiVersion: v1.0.0
kind: DataProduct
id: ${id}
name: ${id}
domain: ${domain}
status: active
outputPorts:
  - { name: events, version: 1.0.0, type: table, contractId: ${contract} }
`;
const contract = (id: string, labelType: string) => `
apiVersion: v3.1.0
kind: DataContract
id: ${id}
version: 1.0.0
status: active
schema:
  - name: events
    properties:
      - { name: id, logicalType: integer, required: true, primaryKey: true }
      - { name: spend, logicalType: number }
      - { name: orders, logicalType: integer }
      - { name: churned, logicalType: ${labelType} }
`;

interface Row {
  id: number;
  spend: number | null;
  orders: number | null;
  churned: number | boolean | null;
}

/** Deterministic rows (a small LCG): a noisy logistic relation, some rows without a feature or label. */
function rows(seed: number, count: number, shift: number, asBoolean: boolean): Row[] {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: count }, (_, i) => {
    const spend = Math.round((next() * 80 + shift) * 100) / 100;
    const orders = Math.floor(next() * 20);
    const y = next() < 1 / (1 + Math.exp(-(0.05 * spend - 0.2 * orders + 0.5))) ? 1 : 0;
    const gap = next();
    return { id: i + 1, spend: gap < 0.05 ? null : spend, orders: gap > 0.97 ? null : orders, churned: gap > 0.05 && gap < 0.08 ? null : asBoolean ? y === 1 : y };
  });
}

/** The reference: plain full-batch gradient descent on the union, standardized (population std), L2 on weights. */
function centralized(x: number[][], y: number[], epochs: number, lr: number, l2: number): { weights: number[]; bias: number } {
  const n = x.length;
  const f = x[0].length;
  const mean: number[] = [];
  const std: number[] = [];
  for (let j = 0; j < f; j++) {
    let sum = 0;
    for (const r of x) sum += r[j];
    mean.push(sum / n);
    let sq = 0;
    for (const r of x) sq += (r[j] - mean[j]) * (r[j] - mean[j]);
    std.push(Math.sqrt(sq / n) || 1);
  }
  const w = new Array<number>(f).fill(0);
  let b = 0;
  for (let e = 0; e < epochs; e++) {
    const g = new Array<number>(f).fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      let t = b;
      for (let j = 0; j < f; j++) t += w[j] * ((x[i][j] - mean[j]) / std[j]);
      const p = t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
      for (let j = 0; j < f; j++) g[j] += (p - y[i]) * ((x[i][j] - mean[j]) / std[j]);
      gb += p - y[i];
    }
    for (let j = 0; j < f; j++) w[j] -= lr * (g[j] / n + l2 * w[j]);
    b -= lr * (gb / n);
  }
  return { weights: w.map((wj, j) => wj / std[j]), bias: b - w.reduce((s, wj, j) => s + (wj * mean[j]) / std[j], 0) };
}

const usable = (r: Row): boolean => r.spend !== null && r.orders !== null && r.churned !== null;

function expectClose(actual: number[], expected: number[], tolerance: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected[i]))));
}

describe('federated training of a logistic regression across domains (POST /v1/models/federated-training)', () => {
  let t: TestApp;
  const north = rows(7, 70, 0, false);
  const south = rows(11, 95, 20, true);
  const body = (over: Record<string, unknown> = {}) => ({
    name: 'churn_federated',
    version: '1.0.0',
    featureService: 'customer_value_v1',
    label: 'churned',
    participants: [
      { product: 'north-outcomes', port: 'events' },
      { product: 'south-outcomes', port: 'events' },
    ],
    epochs: 150,
    learningRate: 0.5,
    l2: 1e-3,
    ...over,
  });
  const train = (payload: unknown) => t.app.inject({ method: 'POST', url: '/v1/models/federated-training', headers: AUTH, payload: payload as Record<string, unknown> });
  const ingest = (id: string, data: Row[]) =>
    t.app.inject({ method: 'POST', url: `/v1/data-products/${id}/ports/events/rows`, headers: { ...AUTH, 'content-type': 'application/x-ndjson' }, payload: data.map((r) => JSON.stringify(r)).join('\n') + '\n' });

  beforeAll(async () => {
    t = await startPredictApp('federated-training');
    const applied = await t.app.inject({
      method: 'POST',
      url: '/v1/contracts/apply',
      headers: AUTH,
      payload: {
        files: [
          { path: 'contracts/north/north-outcomes.odps.yaml', content: product('north-outcomes', 'north', 'north-outcomes-v1') },
          { path: 'contracts/north/north-outcomes/events.odcs.yaml', content: contract('north-outcomes-v1', 'integer') },
          { path: 'contracts/south/south-outcomes.odps.yaml', content: product('south-outcomes', 'south', 'south-outcomes-v1') },
          { path: 'contracts/south/south-outcomes/events.odcs.yaml', content: contract('south-outcomes-v1', 'boolean') },
        ],
      },
    });
    expect(applied.json()).toMatchObject({ applied: true });
    for (const [id, data] of [
      ['north-outcomes', north],
      ['south-outcomes', south],
    ] as const) {
      const res = await ingest(id, data);
      expect(res.statusCode).toBe(200);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('equals centralized full-batch gradient descent on the union, and registers a version listing domains and row counts', async () => {
    const res = await train(body());
    expect(res.statusCode).toBe(201);
    const result = res.json();
    const union = [...north.filter(usable), ...south.filter(usable)];
    const x = union.map((r) => [r.spend as number, r.orders as number]);
    const y = union.map((r) => (r.churned === true || r.churned === 1 ? 1 : 0));
    const reference = centralized(x, y, 150, 0.5, 1e-3);
    // Same arithmetic in another order of summation (per domain, then across): equal to ~1e-12; 1e-9 leaves room.
    expectClose(result.weights, reference.weights, 1e-9);
    expectClose([result.bias], [reference.bias], 1e-9);
    // And the production centralized fit agrees too.
    const fit = fitLogisticRegression(x, y, { epochs: 150, learningRate: 0.5, l2: 1e-3 });
    expectClose(result.weights, fit.params.weights, 1e-9);
    // The fit learned something: the generating relation has spend up, orders down.
    expect(result.weights[0]).toBeGreaterThan(0);
    expect(result.weights[1]).toBeLessThan(0);

    expect(result.participants).toEqual([
      { domain: 'north', product: 'north-outcomes', port: 'events', rows: north.filter(usable).length },
      { domain: 'south', product: 'south-outcomes', port: 'events', rows: south.filter(usable).length },
    ]);
    expect(result.rows).toBe(union.length);
    expect(north.filter(usable).length).toBeLessThan(north.length); // rows without a feature or label were left out

    const model = (await t.app.inject({ method: 'GET', url: '/v1/models/churn_federated/versions/1.0.0', headers: AUTH })).json();
    expect(model.tags).toEqual(['federated']);
    expect(model.sha256).toBe(result.model.sha256);
    expect(model.modelCard.training).toMatchObject({ protocol: 'tessera.federated-logistic-regression/v1', label: 'churned', epochs: 150, participants: result.participants });
    expect(model.modelCard.metrics.rows).toBe(union.length);
    expect(model.features.map((f: { ref: string }) => f.ref)).toEqual(['customer_daily:spend', 'customer_daily:orders']);

    // The same request again: the same weights, so the identical version (200, unchanged).
    const again = await train(body());
    expect(again.statusCode).toBe(200);
    expect(again.json().action).toBe('unchanged');
  });

  it("reads each domain's rows as that domain's role: revoking its grant makes its site fail, nothing registered", async () => {
    const [table] = (await t.app.get(OfflineTablesQuery).newest('north-outcomes')).filter((x) => x.port === 'events');
    const [{ db }] = await t.dataSource.query<{ db: string }[]>('SELECT current_database() AS db');
    const role = domainRoleName(db, table.schema);
    await t.dataSource.query(`REVOKE SELECT ON "${table.schema}"."${table.table}" FROM "${role}"`);
    try {
      const res = await train(body({ version: '1.0.1' }));
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'TRAINING_SITE_FAILED' });
      expect(res.json().error.message).toContain('domain north');
      expect(res.json().error.message).toContain('SQLSTATE 42501');
    } finally {
      await t.dataSource.query(`GRANT SELECT ON "${table.schema}"."${table.table}" TO "${role}"`);
    }
    expect((await t.app.inject({ method: 'GET', url: '/v1/models/churn_federated/versions/1.0.1', headers: AUTH })).statusCode).toBe(404);
  });

  it('needs models.register in every participating domain: an owner of the model domain alone is refused before any round', async () => {
    const created = await t.gql<{ createApiKey: { key: string } }>(
      `mutation($p: PrincipalInput!, $r: [RoleGrantInput!]) { createApiKey(principal: $p, roles: $r) { key } }`,
      {
        p: { id: 'person:shopper', kind: 'person' },
        r: [
          { role: 'domain_owner', domain: 'shop' },
          { role: 'domain_owner', domain: 'south' },
        ],
      },
      AUTH,
    );
    const key = created.data!.createApiKey.key;
    const res = await t.app.inject({ method: 'POST', url: '/v1/models/federated-training', headers: { authorization: `Bearer ${key}` }, payload: body({ version: '3.0.0' }) });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('north');
    const southOnly = await t.app.inject({
      method: 'POST',
      url: '/v1/models/federated-training',
      headers: { authorization: `Bearer ${key}` },
      payload: body({ version: '3.0.0', participants: [{ product: 'south-outcomes', port: 'events' }] }),
    });
    expect(southOnly.statusCode).toBe(201);
    expect(southOnly.json().participants).toEqual([{ domain: 'south', product: 'south-outcomes', port: 'events', rows: south.filter(usable).length }]);
  });

  it('refuses a missing port, feature column or label with the field named, and trains nothing', async () => {
    const noPort = await train(body({ version: '2.0.0', participants: [{ product: 'north-outcomes', port: 'nope' }] }));
    expect(noPort.statusCode).toBe(400);
    expect(noPort.json().error.details).toEqual([{ field: 'participants[0].port', reason: 'data product north-outcomes has no stored table for port nope' }]);
    const noLabel = await train(body({ version: '2.0.0', label: 'missing' }));
    expect(noLabel.statusCode).toBe(400);
    expect(noLabel.json().error.details.map((d: { field: string }) => d.field)).toEqual(['label', 'label']);
    const noService = await train(body({ version: '2.0.0', featureService: 'nope' }));
    expect(noService.json().error).toMatchObject({ code: 'INVALID_TRAINING_REQUEST', details: [{ field: 'featureService' }] });
    // A participant with fewer usable rows than TESSERA_FEDERATED_MIN_ROWS (25) would give its rows away in its sums.
    const tiny = rows(13, 12, 5, false);
    const west = await t.app.inject({
      method: 'POST',
      url: '/v1/contracts/apply',
      headers: AUTH,
      payload: {
        files: [
          { path: 'contracts/west/west-outcomes.odps.yaml', content: product('west-outcomes', 'west', 'west-outcomes-v1') },
          { path: 'contracts/west/west-outcomes/events.odcs.yaml', content: contract('west-outcomes-v1', 'integer') },
        ],
      },
    });
    expect(west.json()).toMatchObject({ applied: true });
    expect((await ingest('west-outcomes', tiny)).statusCode).toBe(200);
    const few = await train(
      body({
        version: '2.0.0',
        participants: [
          { product: 'north-outcomes', port: 'events' },
          { product: 'west-outcomes', port: 'events' },
        ],
      }),
    );
    expect(few.statusCode).toBe(400);
    expect(few.json().error).toMatchObject({ code: 'INVALID_TRAINING_REQUEST' });
    expect(few.json().error.details).toEqual([
      { field: 'participants[1]', reason: `west: ${tiny.filter(usable).length} usable rows, fewer than 25 (TESSERA_FEDERATED_MIN_ROWS): its aggregates would reveal its rows` },
    ]);
    const bad = await train({ ...body(), epochs: 0 });
    expect(bad.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/v1/models/churn_federated/versions/2.0.0', headers: AUTH })).statusCode).toBe(404);
  });
});
