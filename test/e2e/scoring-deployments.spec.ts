import '../support/scoring-ort-realm';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { PREDICTION_LOG_SINK, PredictionLogEntry, PredictionLogSink } from '../../src/scoring/prediction-log/prediction-log-entry';
import { goodModel } from '../fixtures/models/scoring-models';
import { modelDoc } from '../fixtures/models/scoring-mesh';
import { directRun, features, gqlAuth, predict, startPredictApp, upload, writeCustomers } from '../fixtures/models/scoring-predict';
import type { TestApp } from '../support/test-app';

const FIELDS = 'name production canary { version percent } shadows previous revision updatedBy';
const N = 2000;
const ids = Array.from({ length: N }, (_, i) => i + 1);
const row = (id: number): number[] => [(id % 7) * 0.5, id % 5];

describe('deployments: production, sticky canary, shadows, rollback, history', () => {
  let t: TestApp;
  const recorded: PredictionLogEntry[] = [];
  const bytes: Record<string, Uint8Array> = { '1.0.0': goodModel(2, { seed: 1 }), '2.0.0': goodModel(2, { seed: 2 }), '3.0.0': goodModel(2, { seed: 3 }) };

  const mutate = async (m: string, args: string) => {
    const res = await gqlAuth<Record<string, Record<string, unknown>>>(t, `mutation { ${m}(name: "customer_value"${args}) { ${FIELDS} } }`);
    return { data: res.data?.[m], error: res.errors?.[0] };
  };
  const stages = async (): Promise<Record<string, string>> => {
    const rows = await t.dataSource.query(`SELECT version, stage FROM tessera.model_versions WHERE name = 'customer_value' ORDER BY version`);
    return Object.fromEntries(rows.map((r: { version: string; stage: string }) => [r.version, r.stage]));
  };
  const versionsOf = async (entities: number[]): Promise<string[]> => {
    const r = await predict(t, 'customer_value', { entities: { customer_id: entities } });
    expect(r.status).toBe(200);
    return r.body.rows.map((x) => x.version);
  };

  beforeAll(async () => {
    t = await startPredictApp('scoring-deployments');
    await writeCustomers(
      t,
      ids.map((id) => ({ id, ageMs: 60_000, spend: row(id)[0], orders: row(id)[1] })),
    );
    for (const v of Object.keys(bytes)) await upload(t, modelDoc({ version: v }), bytes[v]);
    // The real sink, observed: the prediction path holds this very object.
    const sink = t.app.get<PredictionLogSink>(PREDICTION_LOG_SINK);
    sink.record = (entries) => void recorded.push(...entries);
  });
  afterAll(async () => {
    if (!t) return;
    await t.app.get<OnlineStore>(ONLINE_STORE).deleteAll();
    await t.close();
  });

  it('deploys a production version: its stage follows, predict answers with it', async () => {
    expect((await gqlAuth(t, `{ deployment(name: "customer_value") { production } }`)).data).toEqual({ deployment: null });
    const d = await mutate('deployModel', ', version: "1.0.0"');
    expect(d.error).toBeUndefined();
    expect(d.data).toEqual({ name: 'customer_value', production: '1.0.0', canary: null, shadows: [], previous: [], revision: 1, updatedBy: 'admin' });
    expect(await stages()).toEqual({ '1.0.0': 'production', '2.0.0': 'staging', '3.0.0': 'staging' });
    const r = await predict(t, 'customer_value', { entities: { customer_id: [3] } });
    expect(r.body.model).toEqual({ name: 'customer_value', version: '1.0.0' });
    expect(r.body.outputs.probability).toEqual(await directRun(bytes['1.0.0'], { features: features([row(3)]) }));
  });

  it('splits traffic to a canary by entity within binomial tolerance, sticky per entity, scored by the canary', async () => {
    expect((await mutate('setCanary', ', version: "2.0.0", percent: 25')).data).toMatchObject({ production: '1.0.0', canary: { version: '2.0.0', percent: 25 } });
    const first = await predict(t, 'customer_value', { entities: { customer_id: ids } });
    const versions = first.body.rows.map((x) => x.version);
    const canary = versions.filter((v) => v === '2.0.0').length;
    // 25 % of 2000 is 500, sd = sqrt(2000 * 0.25 * 0.75) ~ 19.4: four sd either way.
    expect(Math.abs(canary - 500)).toBeLessThan(78);
    expect(versions.filter((v) => v !== '1.0.0' && v !== '2.0.0')).toEqual([]);
    expect(first.body.model.version).toBe('1.0.0'); // split request: the production version, rows say who answered
    // Each row was scored by the version that claims it.
    const sample = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => versions.indexOf('2.0.0', k * 40));
    for (const i of [...sample, 0, 1]) {
      const [p] = await directRun(bytes[versions[i]], { features: features([row(ids[i])]) });
      expect(first.body.outputs.probability[i]).toBe(p);
      expect(first.body.rows[i].role).toBe(versions[i] === '2.0.0' ? 'canary' : 'production');
    }
    // Sticky: the same entities go to the same versions on every call, alone or in any company.
    expect(await versionsOf([...ids].reverse())).toEqual([...versions].reverse());
    for (const i of [...sample.slice(0, 5), 0, 1, 2]) {
      const alone = await predict(t, 'customer_value', { entities: { customer_id: [ids[i]] } });
      expect(alone.body.model.version).toBe(versions[i]);
    }
    // Raising the share only adds entities to the canary.
    await mutate('setCanary', ', version: "2.0.0", percent: 50');
    const wider = await versionsOf(ids);
    expect(wider.filter((v, i) => versions[i] === '2.0.0' && v !== '2.0.0')).toEqual([]);
    expect(Math.abs(wider.filter((v) => v === '2.0.0').length - 1000)).toBeLessThan(90);
    await mutate('clearCanary', '');
    expect(new Set(await versionsOf(ids.slice(0, 300)))).toEqual(new Set(['1.0.0']));
  });

  it('scores shadows off the answer path: their results reach the prediction log, never the answer', async () => {
    expect((await mutate('addShadow', ', version: "3.0.0"')).data).toMatchObject({ production: '1.0.0', shadows: ['3.0.0'] });
    const r = await predict(t, 'customer_value', { entities: { customer_id: [11, 12, 99_999] } });
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain('3.0.0');
    const deadline = Date.now() + 5000;
    const mine = () => recorded.filter((e) => e.requestId === r.body.requestId);
    while (mine().filter((e) => e.role === 'shadow').length < 3 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    const shadow = mine().filter((e) => e.role === 'shadow');
    const answered = mine().filter((e) => e.role === 'production');
    expect(shadow.map((e) => [e.version, e.entity])).toEqual([
      ['3.0.0', { customer_id: 11 }],
      ['3.0.0', { customer_id: 12 }],
      ['3.0.0', { customer_id: 99_999 }],
    ]);
    const expected = await directRun(bytes['3.0.0'], { features: features([row(11), row(12)]) });
    expect(shadow.map((e) => e.outputs.probability)).toEqual([expected[0], expected[1], undefined]);
    expect(shadow[2].rejected).toBe('customer_daily:spend NOT_FOUND, customer_daily:orders NOT_FOUND');
    expect(answered.map((e) => [e.version, e.outputs.probability])).toEqual([
      ['1.0.0', r.body.outputs.probability[0]],
      ['1.0.0', r.body.outputs.probability[1]],
      ['1.0.0', undefined],
    ]);
    expect(shadow[0].features).toEqual(answered[0].features);
  });

  it('deploys a new production version and rolls back to the previous one, stages following', async () => {
    expect((await mutate('deployModel', ', version: "2.0.0"')).data).toMatchObject({ production: '2.0.0', previous: ['1.0.0'], shadows: ['3.0.0'] });
    expect(await stages()).toEqual({ '1.0.0': 'archived', '2.0.0': 'production', '3.0.0': 'staging' });
    expect(new Set(await versionsOf([1, 2, 3]))).toEqual(new Set(['2.0.0']));
    expect((await mutate('rollback', '')).data).toMatchObject({ production: '1.0.0', previous: [] });
    expect(await stages()).toEqual({ '1.0.0': 'production', '2.0.0': 'archived', '3.0.0': 'staging' });
    expect(new Set(await versionsOf([1, 2, 3]))).toEqual(new Set(['1.0.0']));
    expect((await mutate('rollback', '')).error).toMatchObject({ message: expect.stringMatching(/no previous production version/), extensions: { code: 'CONFLICT', tesseraCode: 'DEPLOYMENT_CONFLICT' } });
  });

  it('promotes a canary (leaving the shadows it was not) and refuses contradictory changes', async () => {
    expect((await mutate('promoteCanary', '')).error!.extensions).toMatchObject({ tesseraCode: 'DEPLOYMENT_CONFLICT' });
    expect((await mutate('setCanary', ', version: "1.0.0", percent: 10')).error!.message).toMatch(/is the production version/);
    expect((await mutate('setCanary', ', version: "2.0.0", percent: 150')).error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', tesseraCode: 'INVALID_DEPLOYMENT' });
    expect((await mutate('addShadow', ', version: "9.9.9"')).error!.extensions).toMatchObject({ tesseraCode: 'MODEL_VERSION_NOT_FOUND' });
    await mutate('setCanary', ', version: "3.0.0", percent: 10');
    expect((await mutate('promoteCanary', '')).data).toMatchObject({ production: '3.0.0', canary: null, shadows: [], previous: ['1.0.0'] });
    expect(await stages()).toEqual({ '1.0.0': 'archived', '2.0.0': 'archived', '3.0.0': 'production' });
    expect((await gqlAuth(t, `{ deployment(name: "customer_value") { production canary { version } } }`)).data).toEqual({ deployment: { production: '3.0.0', canary: null } });
  });

  it('records every change with who made it and the deployment before and after', async () => {
    const res = await gqlAuth<{ deploymentHistory: { seq: number; action: string; before: Record<string, unknown> | null; after: Record<string, unknown>; changedBy: string; changedAt: string }[] }>(
      t,
      `{ deploymentHistory(name: "customer_value") { seq action before after changedBy changedAt } }`,
    );
    const h = res.data!.deploymentHistory;
    expect(h.map((c) => c.action)).toEqual(['deploy', 'set_canary', 'set_canary', 'clear_canary', 'add_shadow', 'deploy', 'rollback', 'set_canary', 'promote_canary']);
    expect(new Set(h.map((c) => c.changedBy))).toEqual(new Set(['admin']));
    expect(h[0].before).toBeNull();
    expect(h[0].after).toEqual({ production: '1.0.0', canary: null, shadows: [], previous: [] });
    expect(h[6]).toMatchObject({ before: { production: '2.0.0', previous: ['1.0.0'] }, after: { production: '1.0.0', previous: [] } });
    expect(h.every((c, i) => i === 0 || c.seq > h[i - 1].seq)).toBe(true);
    expect((await gqlAuth(t, `{ deploymentHistory(name: "nope") { seq } }`)).errors![0].extensions).toMatchObject({ tesseraCode: 'MODEL_NOT_FOUND' });
  });
});
