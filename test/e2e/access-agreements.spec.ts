import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { createHmac } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { hourlyView, ingestDriverRows, servingMeshFiles } from '../fixtures/serving-mesh';
import { startTestApp, TestApp } from '../support/test-app';

const SECRET = 'pii-test-secret-0123456789abcdef';
const token = (v: string) => createHmac('sha256', SECRET).update(v, 'utf8').digest('hex');

/** The serving mesh with `note` classified as personal data, and a second, auto-approving product. */
function files(): { path: string; content: string }[] {
  const base = servingMeshFiles(hourlyView({ ttl: '0' })).map((f) =>
    f.path.endsWith('hourly.odcs.yaml') ? { ...f, content: f.content.replace('{ name: note, logicalType: string, classification: internal }', '{ name: note, logicalType: string, classification: pii }') } : f,
  );
  const open = (id: string, pii: boolean) => `
apiVersion: v1.0.0
kind: DataProduct
id: ${id}
name: ${id}
domain: rides
status: draft
outputPorts:
  - name: daily
    version: 1.0.0
    type: table
    customProperties:
      - { property: containsPii, value: ${pii} }
      - { property: autoApprove, value: true }
`;
  return [...base, { path: 'contracts/rides/open.odps.yaml', content: open('rides-open', false) }, { path: 'contracts/rides/personal.odps.yaml', content: open('rides-personal', true) }];
}

type Created = { createApiKey: { key: string } };
type Agreement = { id: string; status: string; piiAccess: boolean; decidedBy: string | null };
const FIELDS = 'id status piiAccess decidedBy provider { dataProduct outputPort } consumer { kind id }';

describe('access agreements: every feature read needs one; personal values are masked without PII access', () => {
  let t: TestApp;
  const keys: Record<string, string> = {};
  const inFuture = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const online = (key: string) =>
    t.as(key).inject({ method: 'POST', url: '/get-online-features', payload: { features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:note'], entities: { driver_id: [1, 2] } } });
  const request = async (key: string, port: { dataProduct: string; outputPort: string }, piiAccess = false) => {
    const res = await t.as(key).gql<{ requestAccess: Agreement }>(`mutation($i: AccessRequestInput!) { requestAccess(input: $i) { ${FIELDS} } }`, {
      i: { ...port, purpose: 'fraud dashboard', endDate: inFuture, piiAccess },
    });
    expect(res.errors).toBeUndefined();
    return res.data!.requestAccess;
  };

  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', TESSERA_REDIS_PREFIX: `t:agreements:${randomBytes(4).toString('hex')}:`, TESSERA_PII_HMAC_SECRET: SECRET });
    const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: files() } });
    expect(applied.json()).toMatchObject({ applied: true });
    await ingestDriverRows(t.app, [
      { driver_id: 1, event_timestamp: new Date(Date.now() - 60_000), conv_rate: 0.5, note: 'ana@example.com' },
      { driver_id: 2, event_timestamp: new Date(Date.now() - 60_000), conv_rate: 0.7, note: 'ben@example.com' },
    ]);
    const mat = await t.app.inject({ method: 'POST', url: '/materialize-incremental', payload: { end_ts: new Date().toISOString(), feature_views: ['driver_hourly_stats'] } });
    expect(mat.json().job.status).toBe('succeeded');
    for (const [name, roles] of [
      ['dave', [{ role: 'consumer' }]],
      ['rita', [{ role: 'domain_owner', domain: 'rides' }]],
      ['mia', [{ role: 'domain_member', domain: 'rides' }]],
      ['paul', [{ role: 'domain_owner', domain: 'payments' }]],
    ] as const) {
      const res = await t.gql<Created>(`mutation($p: PrincipalInput!, $r: [RoleGrantInput!]) { createApiKey(principal: $p, roles: $r) { key } }`, { p: { id: `person:${name}`, kind: 'person' }, r: roles });
      keys[name] = res.data!.createApiKey.key;
    }
  });
  afterAll(async () => {
    await t?.app.get<OnlineStore>(ONLINE_STORE).deleteAll(); // the shared Redis keeps nothing of this suite
    await t?.close();
  });

  it('refuses a consumer without an agreement, naming the port; the port’s own domain reads freely', async () => {
    const denied = await online(keys.dave);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error).toMatchObject({ code: 'ACCESS_AGREEMENT_REQUIRED', details: { missing: [{ dataProduct: 'rides-driver-stats', outputPort: 'hourly', view: 'driver_hourly_stats' }] } });
    expect(denied.json().error.message).toMatch(/person:dave holds no approved access agreement for rides-driver-stats\/hourly/);
    const team = await online(keys.mia);
    expect(team.statusCode).toBe(200);
    expect(team.json().results[2].values).toEqual(['ana@example.com', 'ben@example.com']);
  });

  it('lets only the port’s domain owner decide; then the consumer reads with personal values masked by HMAC', async () => {
    const a = await request(keys.dave, { dataProduct: 'rides-driver-stats', outputPort: 'hourly' });
    expect(a).toMatchObject({ status: 'requested', piiAccess: false, consumer: { kind: 'principal', id: 'person:dave' } });
    const foreign = await t.as(keys.paul).gql(`mutation { approveAccess(id: "${a.id}") { status } }`);
    expect(foreign.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    const approved = await t.as(keys.rita).gql<{ approveAccess: Agreement }>(`mutation { approveAccess(id: "${a.id}", reason: "ok for the dashboard") { ${FIELDS} } }`);
    expect(approved.data!.approveAccess).toMatchObject({ status: 'approved', decidedBy: 'person:rita' });

    const res = await online(keys.dave);
    expect(res.statusCode).toBe(200);
    expect(res.json().results[1].values).toEqual([0.5, 0.7]);
    expect(res.json().results[2].values).toEqual([token('ana@example.com'), token('ben@example.com')]);

    // The offline answer masks with the same tokens (computed in SQL): joins across both still work.
    const hist = await t.as(keys.dave).inject({
      method: 'POST',
      url: '/v1/historical-features',
      payload: { features: ['driver_hourly_stats:note', 'driver_hourly_stats:conv_rate'], entities: { driver_id: [2, 1], event_timestamp: [new Date().toISOString(), new Date().toISOString()] } },
    });
    expect(hist.statusCode).toBe(200);
    expect(hist.json().columns.note).toEqual([token('ben@example.com'), token('ana@example.com')]);
    expect(hist.json().columns.conv_rate).toEqual([0.7, 0.5]);
  });

  it('shows personal values in clear under an agreement granting PII access, and stops reads once revoked', async () => {
    const b = await request(keys.dave, { dataProduct: 'rides-driver-stats', outputPort: 'hourly' }, true);
    await t.as(keys.rita).gql(`mutation { approveAccess(id: "${b.id}") { status } }`);
    expect((await online(keys.dave)).json().results[2].values).toEqual(['ana@example.com', 'ben@example.com']);
    const all = await t.as(keys.dave).gql<{ accessAgreements: Agreement[] }>(`{ accessAgreements(consumerId: "person:dave") { ${FIELDS} } }`);
    for (const a of all.data!.accessAgreements) {
      const r = await t.as(keys.dave).gql<{ revokeAccess: Agreement }>(`mutation { revokeAccess(id: "${a.id}", reason: "dashboard retired") { status } }`);
      expect(r.data!.revokeAccess.status).toBe('revoked');
    }
    expect((await online(keys.dave)).statusCode).toBe(403);
    const again = await t.as(keys.rita).gql(`mutation { approveAccess(id: "${b.id}") { status } }`);
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT' });
  });

  it('stops honouring an agreement at its end date, even while the gate holds it cached', async () => {
    const endsAt = Date.now() + 4000; // shorter than the gate's 5 s cache: only the per-read window check can refuse in time
    const req = await t.as(keys.dave).gql<{ requestAccess: Agreement }>(`mutation($i: AccessRequestInput!) { requestAccess(input: $i) { ${FIELDS} } }`, {
      i: { dataProduct: 'rides-driver-stats', outputPort: 'hourly', purpose: 'short trial', endDate: new Date(endsAt).toISOString() },
    });
    expect(req.errors).toBeUndefined();
    await t.as(keys.rita).gql(`mutation { approveAccess(id: "${req.data!.requestAccess.id}") { status } }`);
    expect((await online(keys.dave)).statusCode).toBe(200); // the gate caches dave's grants now
    await new Promise((r) => setTimeout(r, Math.max(0, endsAt - Date.now()) + 100));
    const after = await online(keys.dave);
    expect(after.statusCode).toBe(403);
    expect(after.json().error.code).toBe('ACCESS_AGREEMENT_REQUIRED');
  });

  it('approves at once on a non-PII port that declares autoApprove, never on a PII one', async () => {
    expect(await request(keys.dave, { dataProduct: 'rides-open', outputPort: 'daily' })).toMatchObject({ status: 'approved', decidedBy: 'auto-approve' });
    expect(await request(keys.dave, { dataProduct: 'rides-personal', outputPort: 'daily' })).toMatchObject({ status: 'requested', decidedBy: null });
    expect(await request(keys.dave, { dataProduct: 'rides-open', outputPort: 'daily' }, true)).toMatchObject({ status: 'requested' });
  });

  it('refuses bad requests by field', async () => {
    const past = await t.as(keys.dave).gql(`mutation { requestAccess(input: { dataProduct: "rides-driver-stats", outputPort: "hourly", purpose: "x y z", endDate: "2020-01-01T00:00:00Z" }) { id } }`);
    expect(past.errors?.[0]).toMatchObject({ message: 'endDate: must be in the future and after startDate', extensions: { code: 'BAD_USER_INPUT' } });
    const port = await t.as(keys.dave).gql(`mutation { requestAccess(input: { dataProduct: "rides-driver-stats", outputPort: "nope", purpose: "x y z", endDate: "${inFuture}" }) { id } }`);
    expect(port.errors?.[0].message).toBe('outputPort: data product rides-driver-stats has no output port nope');
  });
  it('pages agreements newest first with first/after, filtering the status before the limit', async () => {
    // 12 more requests, then every agreement read 5 at a time: each once, in the order of one big read.
    for (let i = 0; i < 12; i++) await request(keys.mia, { dataProduct: 'rides-personal', outputPort: 'daily' });
    type Row = { id: string; status: string };
    const page = async (vars: { status?: string; first: number; after?: string }) => {
      const res = await t.gql<{ accessAgreements: Row[] }>(`query($s: String, $f: Int!, $a: ID) { accessAgreements(status: $s, first: $f, after: $a) { id status } }`, {
        s: vars.status ?? null,
        f: vars.first,
        a: vars.after ?? null,
      });
      expect(res.errors).toBeUndefined();
      return res.data!.accessAgreements;
    };
    const all = await page({ first: 500 });
    expect(all.length).toBeGreaterThan(12);
    const paged: Row[] = [];
    for (let next = await page({ first: 5 }); next.length > 0; next = await page({ first: 5, after: paged.at(-1)!.id })) paged.push(...next);
    expect(paged).toEqual(all);
    // A status filter applies before the limit: page 1 of "requested" is full even when newer
    // agreements of other statuses come first.
    const requested = all.filter((a) => a.status === 'requested');
    const approved = await request(keys.dave, { dataProduct: 'rides-open', outputPort: 'daily' });
    expect(approved.status).toBe('approved');
    expect(await page({ status: 'requested', first: 5 })).toEqual(requested.slice(0, 5));
    expect((await page({ status: 'approved', first: 1 }))[0].id).toBe(approved.id);
    // An unknown cursor is refused by field.
    const bad = await t.gql(`{ accessAgreements(first: 5, after: "00000000-0000-0000-0000-000000000000") { id } }`);
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', details: [{ field: 'after' }] } });
  });
});
