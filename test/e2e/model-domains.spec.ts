import '../support/scoring-ort-realm';
import { stringify } from 'yaml';
import { ModelDomains1764340210000 } from '../../migrations/1764340210000-model-domains';
import { goodModel } from '../fixtures/models/scoring-models';
import { modelDoc, recordOfflineTable, scoringMeshFiles } from '../fixtures/models/scoring-mesh';
import { registryCounts, UploadAnswer } from '../fixtures/models/scoring-upload';
import { startTestApp, TestApp } from '../support/test-app';

/** A second domain (crm) whose view joins the shop's in one feature service: a model of it has no single domain. */
const CRM_FILES = [
  {
    path: 'contracts/crm/crm-customer-scores.odps.yaml',
    content: `
apiVersion: v1.0.0
kind: DataProduct
id: crm-customer-scores
name: Customer scores
domain: crm
status: active
outputPorts:
  - { name: daily, version: 1.0.0, type: table, contractId: crm-customer-scores-v1 }
`,
  },
  {
    path: 'contracts/crm/crm-customer-scores/daily.odcs.yaml',
    content: `
apiVersion: v3.1.0
kind: DataContract
id: crm-customer-scores-v1
version: 1.0.0
status: active
schema:
  - name: daily
    properties:
      - { name: customer_id, logicalType: integer, required: true, classification: internal }
      - { name: event_timestamp, logicalType: timestamp, required: true, classification: internal }
      - { name: created, logicalType: timestamp, classification: internal }
      - { name: score, logicalType: number, classification: internal }
`,
  },
  {
    path: 'contracts/crm/features.yaml',
    content: `
apiVersion: tessera/v1
kind: FeatureView
name: customer_scores
entities: [customer]
source: { dataProduct: crm-customer-scores, outputPort: daily }
timestampField: event_timestamp
createdTimestampField: created
ttl: 1d
online: true
features: [score]
---
apiVersion: tessera/v1
kind: FeatureService
name: customer_mixed_v1
features: [customer_daily:spend, customer_scores:score]
`,
  },
];

type Key = 'shopMember' | 'shopOwner' | 'crmMember' | 'crmOwner' | 'consumer' | 'both' | 'governance';
const GRANTS: Record<Key, { id: string; roles: { role: string; domain?: string }[] }> = {
  shopMember: { id: 'person:sam', roles: [{ role: 'domain_member', domain: 'shop' }] },
  shopOwner: { id: 'person:sol', roles: [{ role: 'domain_owner', domain: 'shop' }] },
  crmMember: { id: 'person:cid', roles: [{ role: 'domain_member', domain: 'crm' }] },
  crmOwner: { id: 'person:cat', roles: [{ role: 'domain_owner', domain: 'crm' }] },
  consumer: { id: 'service:shop-app', roles: [{ role: 'consumer' }] },
  both: {
    id: 'person:bea',
    roles: [
      { role: 'domain_member', domain: 'shop' },
      { role: 'domain_member', domain: 'crm' },
    ],
  },
  governance: { id: 'person:gil', roles: [{ role: 'governance_member', domain: 'shop' }] },
};

const DEPLOY_FIELDS = 'production canary { version percent } shadows revision';

describe('models belong to a domain: registering, staging and deploying need its role', () => {
  let t: TestApp;
  const keys = {} as Record<Key, string>;

  const upload = async (who: Key | 'admin', metadata: Record<string, unknown>, bytes = goodModel(2)): Promise<UploadAnswer> => {
    const form = new FormData();
    form.append('metadata', JSON.stringify(metadata));
    form.append('file', new Blob([bytes], { type: 'application/octet-stream' }), 'model.onnx');
    const key = who === 'admin' ? t.adminKey : keys[who];
    const res = await t.app.inject({ method: 'POST', url: '/v1/models', headers: { authorization: `Bearer ${key}` }, payload: form });
    return { status: res.statusCode, body: res.json() };
  };
  const modelFiles = (doc: Record<string, unknown>, bytes = goodModel(2)) => {
    const base = `contracts/models/${String(doc.name)}-${String(doc.version)}`;
    return [
      { path: `${base}.yaml`, content: stringify({ ...doc, file: `${String(doc.name)}-${String(doc.version)}.onnx` }) },
      { path: `${base}.onnx`, content: Buffer.from(bytes).toString('base64'), encoding: 'base64' },
    ];
  };
  const owner = async (name: string): Promise<string | null> => (await t.dataSource.query<{ domain: string }[]>(`SELECT domain FROM tessera.model_domains WHERE name = $1`, [name]))[0]?.domain ?? null;
  const deniedAudit = async (principal: string, action: string): Promise<number> =>
    (await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM tessera.audit_log WHERE principal_id = $1 AND action = $2 AND outcome = 'denied'`, [principal, action]))[0].n;
  const deployment = async (name: string) => (await t.gql<{ deployment: Record<string, unknown> | null }>(`query($n: String!) { deployment(name: $n) { ${DEPLOY_FIELDS} } }`, { n: name })).data!.deployment;

  beforeAll(async () => {
    t = await startTestApp({ TESSERA_REDIS_PREFIX: 't:model-domains:' });
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: [...scoringMeshFiles(), ...CRM_FILES] } });
    expect(res.json()).toMatchObject({ applied: true });
    await recordOfflineTable(t.dataSource);
    for (const [k, g] of Object.entries(GRANTS)) {
      const r = await t.gql<{ createApiKey: { key: string } }>(`mutation($p: PrincipalInput!, $r: [RoleGrantInput!]) { createApiKey(principal: $p, roles: $r) { key } }`, {
        p: { id: g.id, kind: g.id.split(':')[0] },
        r: g.roles,
      });
      expect(r.errors).toBeUndefined();
      keys[k as Key] = r.data!.createApiKey.key;
    }
  });
  afterAll(() => t.close());

  describe('registering over REST (POST /v1/models)', () => {
    it('a member of the feature service’s domain registers; the model is stored with that domain', async () => {
      const r = await upload('shopMember', modelDoc());
      expect([r.status, r.body.action, r.body.model?.domain]).toEqual([201, 'created', 'shop']);
      expect(await owner('customer_value')).toBe('shop');
      const read = await t.as(keys.consumer).gql<{ model: { domain: string } }>(`{ model(name: "customer_value") { domain } }`);
      expect(read.data!.model.domain).toBe('shop');
    });

    it('a member of another domain gets 403 and nothing is stored; a consumer and a governance member too', async () => {
      const before = await registryCounts(t);
      const crm = await upload('crmMember', modelDoc({ version: '1.1.0' }));
      expect([crm.status, crm.body.error]).toEqual([
        403,
        { code: 'FORBIDDEN', message: 'forbidden: model customer_value belongs to domain shop; person:cid may models.register only in domain(s) crm', details: expect.anything() },
      ]);
      expect(await deniedAudit('person:cid', 'models.register')).toBe(1);
      for (const who of ['consumer', 'governance'] as const) {
        const r = await upload(who, modelDoc({ version: '1.1.0' }));
        expect([who, r.status, r.body.error?.message]).toEqual([who, 403, `forbidden: ${GRANTS[who].id} has no role allowing models.register`]);
      }
      // Even an identical re-registration (a no-op) needs the owner's role.
      expect((await upload('crmMember', modelDoc())).status).toBe(403);
      expect(await registryCounts(t)).toEqual(before);
      expect(await owner('customer_value')).toBe('shop');
    });

    it('a model whose feature service spans domains is refused with MODEL_DOMAIN_REQUIRED naming `domain`, even for admin; declaring one registers it', async () => {
      const before = await registryCounts(t);
      const mixed = { ...modelDoc({ name: 'customer_mixed', featureService: 'customer_mixed_v1' }) };
      const refused = await upload('admin', mixed);
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({
        code: 'MODEL_DOMAIN_REQUIRED',
        details: [{ field: 'metadata.domain', reason: 'feature service customer_mixed_v1 reads data products of several domains (crm, shop); declare domain: the one that owns the model' }],
      });
      const unknown = await upload('admin', { ...mixed, domain: 'nowhere' });
      expect([unknown.status, unknown.body.error?.code, unknown.body.error?.details]).toEqual([
        400,
        'INVALID_METADATA',
        [{ field: 'metadata.domain', reason: 'domain nowhere is not in the catalog (apply its Domain document first)' }],
      ]);
      const badName = await upload('admin', { ...mixed, domain: 'Not A Name' });
      expect([badName.status, badName.body.error?.details?.[0].field]).toEqual([400, 'metadata.domain']);
      expect(await registryCounts(t)).toEqual(before);

      // Declared: the domain's role decides, whatever domains the features come from.
      expect((await upload('shopMember', { ...mixed, domain: 'crm' })).status).toBe(403);
      const ok = await upload('crmMember', { ...mixed, domain: 'crm' });
      expect([ok.status, ok.body.action]).toEqual([201, 'created']);
      expect(await owner('customer_mixed')).toBe('crm');
    });

    it('moving a model to another domain needs a role in both', async () => {
      const move = modelDoc({ version: '3.0.0', domain: 'crm' });
      const shopOnly = await upload('shopMember', move);
      expect([shopOnly.status, shopOnly.body.error?.message]).toEqual([
        403,
        'forbidden: model customer_value moves between domains crm and shop, which needs a role in each; person:sam may models.register only in domain(s) shop',
      ]);
      expect((await upload('crmMember', move)).status).toBe(403);
      expect(await owner('customer_value')).toBe('shop');
      const r = await upload('both', move);
      expect([r.status, r.body.action]).toEqual([201, 'created']);
      expect(await owner('customer_value')).toBe('crm');
      // Back to shop for the tests below.
      expect((await upload('both', modelDoc({ version: '3.1.0', domain: 'shop' }))).status).toBe(201);
      expect(await owner('customer_value')).toBe('shop');
    });
  });

  describe('registering through contracts apply (REST and GraphQL)', () => {
    const applyRest = (who: Key, files: unknown[]) => t.as(keys[who]).inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files } });
    const applyGql = (who: Key, files: unknown[]) =>
      t
        .as(keys[who])
        .gql<{ applyContracts: { applied: boolean; changes: { kind: string; id: string; version: string | null; action: string }[]; errors: { path: string; message: string }[] } }>(
          `mutation($f: [ContractFileInput!]!) { applyContracts(files: $f) { applied changes { kind id version action } errors { path message } } }`,
          { f: files },
        );

    it('a Model document is scoped to its domain, not mesh-level any more', async () => {
      const files = modelFiles(modelDoc({ version: '2.0.0' }));
      const rest = await applyRest('crmMember', files);
      expect(rest.statusCode).toBe(403);
      expect(rest.json().error.message).toBe('forbidden: document contracts/models/customer_value-2.0.0.yaml#0 (Model customer_value) touches domain shop; person:cid may catalog.apply only in domain(s) crm');
      const gql = await applyGql('crmMember', files);
      expect(gql.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/\(Model customer_value\) touches domain shop/) });
      expect(await t.dataSource.query(`SELECT version FROM tessera.model_versions WHERE name = 'customer_value' AND version = '2.0.0'`)).toEqual([]);

      const ok = await applyGql('shopMember', files);
      expect(ok.errors).toBeUndefined();
      expect(ok.data!.applyContracts.changes).toEqual(expect.arrayContaining([{ kind: 'ModelVersion', id: 'customer_value', version: '2.0.0', action: 'created' }]));
      const viaRest = await applyRest('shopMember', modelFiles(modelDoc({ version: '2.1.0' })));
      expect([viaRest.statusCode, viaRest.json().applied]).toEqual([200, true]);
    });

    it('the domain is derived from feature views applied in the same batch; a move by apply needs both domains', async () => {
      const move = modelFiles(modelDoc({ version: '4.0.0', domain: 'crm' }));
      expect((await applyRest('shopMember', move)).json().error.message).toMatch(/\(Model customer_value\) touches domain crm/);
      expect((await applyRest('crmMember', move)).json().error.message).toMatch(/\(Model customer_value\) touches domain shop/);
      // Features and model together: the guard reads the model's domain off the batch's own FeatureService and FeatureView.
      const fresh = modelFiles(modelDoc({ name: 'crm_only', version: '1.0.0', featureService: 'crm_scores_v1' }), goodModel(1));
      const service = { path: 'contracts/crm/more-features.yaml', content: 'apiVersion: tessera/v1\nkind: FeatureService\nname: crm_scores_v1\nfeatures: [customer_scores:score]\n' };
      expect((await applyRest('shopMember', [service, ...fresh])).json().error.message).toMatch(/\(Model crm_only\) touches domain crm/);
      const ok = await applyRest('crmMember', [service, ...fresh]);
      expect([ok.statusCode, ok.json().applied, ok.json().errors]).toEqual([200, true, []]);
      expect(await owner('crm_only')).toBe('crm');
    });

    it('without a resolvable domain the apply fails on the document’s `domain`, nothing registered', async () => {
      const r = await applyGql('both', modelFiles(modelDoc({ name: 'mixed_apply', version: '1.0.0', featureService: 'customer_mixed_v1' })));
      expect(r.errors).toBeUndefined();
      expect(r.data!.applyContracts.applied).toBe(false);
      expect(r.data!.applyContracts.errors).toEqual([
        { path: 'domain', message: 'feature service customer_mixed_v1 reads data products of several domains (crm, shop); declare domain: the one that owns the model (MODEL_DOMAIN_REQUIRED)' },
      ]);
      expect(await t.dataSource.query(`SELECT name FROM tessera.model_versions WHERE name = 'mixed_apply'`)).toEqual([]);
    });
  });

  describe('staging and deploying (GraphQL)', () => {
    const MUTATIONS: [string, string][] = [
      ['setModelStage', `mutation { setModelStage(name: "customer_value", version: "1.1.0", stage: staging) { stage } }`],
      ['deployModel', `mutation { deployModel(name: "customer_value", version: "1.0.0") { revision } }`],
      ['setCanary', `mutation { setCanary(name: "customer_value", version: "1.1.0", percent: 10) { revision } }`],
      ['clearCanary', `mutation { clearCanary(name: "customer_value") { revision } }`],
      ['addShadow', `mutation { addShadow(name: "customer_value", version: "2.0.0") { revision } }`],
      ['removeShadow', `mutation { removeShadow(name: "customer_value", version: "2.0.0") { revision } }`],
      ['promoteCanary', `mutation { promoteCanary(name: "customer_value") { revision } }`],
      ['rollback', `mutation { rollback(name: "customer_value") { revision } }`],
      ['setPredictionLogSampleRate', `mutation { setPredictionLogSampleRate(model: "customer_value", sampleRate: 0.5) { sampleRate } }`],
    ];

    beforeAll(async () => {
      expect((await upload('shopMember', modelDoc({ version: '1.1.0' }))).status).toBe(201);
    });

    it('every deployment mutation is refused (403, audited, nothing changed) to members, other domains’ owners and consumers', async () => {
      const before = await t.dataSource.query(`SELECT (SELECT count(*) FROM tessera.model_deployment_changes)::int AS changes, (SELECT count(*) FROM tessera.model_stage_changes)::int AS stages`);
      const expectedReason: Record<string, string> = {
        shopMember: 'person:sam has no role allowing models.deploy',
        crmOwner: 'model customer_value belongs to domain shop; person:cat may models.deploy only in domain(s) crm',
        consumer: 'service:shop-app has no role allowing models.deploy',
      };
      for (const who of ['shopMember', 'crmOwner', 'consumer'] as const) {
        for (const [name, query] of MUTATIONS) {
          const r = await t.as(keys[who]).gql(query);
          expect([who, name, r.errors?.[0].extensions?.code, r.errors?.[0].message]).toEqual([who, name, 'FORBIDDEN', `forbidden: ${expectedReason[who]}`]);
        }
      }
      expect(await deniedAudit('person:cat', 'models.deploy')).toBe(MUTATIONS.length);
      expect(await t.dataSource.query(`SELECT (SELECT count(*) FROM tessera.model_deployment_changes)::int AS changes, (SELECT count(*) FROM tessera.model_stage_changes)::int AS stages`)).toEqual(before);
      expect(await deployment('customer_value')).toBeNull();
    });

    it('the owner of the model’s domain stages, deploys, canaries, shadows, promotes and rolls back', async () => {
      const as = t.as(keys.shopOwner);
      const query = Object.fromEntries(MUTATIONS);
      const steps = ['setModelStage', 'deployModel', 'setCanary', 'clearCanary', 'addShadow', 'removeShadow', 'setCanary', 'promoteCanary', 'rollback', 'setPredictionLogSampleRate'].map((n) => [n, query[n]]);
      for (const [name, query] of steps) {
        const r = await as.gql(query);
        expect([name, r.errors]).toEqual([name, undefined]);
      }
      expect(await deployment('customer_value')).toMatchObject({ production: '1.0.0', canary: null, shadows: [] }); // rolled back from the promoted 1.1.0
      const stage = await as.gql<{ setModelStage: { stage: string } }>(`mutation { setModelStage(name: "customer_value", version: "2.1.0", stage: archived) { stage } }`);
      expect(stage.data!.setModelStage.stage).toBe('archived');
    });

    it('an unknown model is the service’s 404, not a 403, for a deploying role', async () => {
      const r = await t.as(keys.crmOwner).gql(`mutation { deployModel(name: "no_such_model", version: "1.0.0") { revision } }`);
      expect(r.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });

    it('a model registered before models had domains needs admin', async () => {
      await t.dataSource.query(`DELETE FROM tessera.model_domains WHERE name = 'customer_mixed'`);
      const r = await t.as(keys.crmOwner).gql(`mutation { deployModel(name: "customer_mixed", version: "1.0.0") { revision } }`);
      expect(r.errors?.[0].message).toBe('forbidden: model customer_mixed needs admin: it was registered before models had domains; an admin registers a version that declares its domain');
      expect((await upload('crmMember', modelDoc({ name: 'customer_mixed', version: '1.1.0', featureService: 'customer_mixed_v1', domain: 'crm' }))).status).toBe(403);
      expect((await t.gql(`mutation { deployModel(name: "customer_mixed", version: "1.0.0") { revision } }`)).errors).toBeUndefined();
      // The admin gives it a domain again by registering a version that declares one.
      expect((await upload('admin', modelDoc({ name: 'customer_mixed', version: '1.1.0', featureService: 'customer_mixed_v1', domain: 'crm' }))).status).toBe(201);
      expect((await t.as(keys.crmOwner).gql(`mutation { setCanary(name: "customer_mixed", version: "1.1.0", percent: 5) { revision } }`)).errors).toBeUndefined();
    });
  });

  it('the migration gives models registered before it the single domain of their feature service, and none when it spans domains', async () => {
    const before = await t.dataSource.query<{ name: string; domain: string }[]>(`SELECT name, domain FROM tessera.model_domains ORDER BY name`);
    expect(before).toEqual([
      { name: 'crm_only', domain: 'crm' },
      { name: 'customer_mixed', domain: 'crm' },
      { name: 'customer_value', domain: 'shop' },
    ]);
    const runner = t.dataSource.createQueryRunner();
    try {
      await runner.query(`DROP TABLE tessera.model_domains`);
      await new ModelDomains1764340210000().up(runner);
    } finally {
      await runner.release();
    }
    // customer_mixed declared crm, but its service reads shop and crm: the backfill cannot know, so admin-only.
    expect(await t.dataSource.query(`SELECT name, domain, changed_by FROM tessera.model_domains ORDER BY name`)).toEqual([
      { name: 'crm_only', domain: 'crm', changed_by: 'migration:model-domains' },
      { name: 'customer_value', domain: 'shop', changed_by: 'migration:model-domains' },
    ]);
    await t.dataSource.query(`INSERT INTO tessera.model_domains (name, domain, changed_by) VALUES ('customer_mixed', 'crm', 'test')`);
  });

  it('reads and predict keep their rules: any role reads a model of any domain', async () => {
    for (const who of ['consumer', 'crmMember', 'governance'] as const) {
      const rest = await t.as(keys[who]).inject({ method: 'GET', url: '/v1/models/customer_value' });
      expect([who, rest.statusCode]).toEqual([who, 200]);
      const gql = await t.as(keys[who]).gql<{ model: { name: string } }>(`{ model(name: "customer_value") { name } deployment(name: "customer_value") { production } }`);
      expect([who, gql.errors]).toEqual([who, undefined]);
    }
    // Predict passes authorization for every reading role, whatever the model's domain; what follows is the
    // access gate of the features it reads (ADR 0016), unchanged: a consumer without an agreement is told so.
    const predict = await t.as(keys.consumer).inject({ method: 'POST', url: '/v1/models/customer_value/predict', payload: { entities: { customer_id: [1] } } });
    expect([predict.statusCode, predict.json().error.code]).toEqual([403, 'ACCESS_AGREEMENT_REQUIRED']);
    const own = await t.as(keys.shopOwner).inject({ method: 'POST', url: '/v1/models/customer_value/predict', payload: { entities: { customer_id: [1] } } });
    expect(own.statusCode).toBe(200);
  });
});
